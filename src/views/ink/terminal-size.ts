// The terminal's size as React state, kept current when the window is resized (the live regions lay out and
// window their lines to it).
import { useStdout } from "ink";
import { useEffect, useState } from "react";

export interface TerminalSize {
  columns: number;
  rows: number;
}

const FALLBACK: TerminalSize = { columns: 80, rows: 24 };

function sizeOf(stream: NodeJS.WriteStream): TerminalSize {
  return { columns: stream.columns || FALLBACK.columns, rows: stream.rows || FALLBACK.rows };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = (): void => setSize(sizeOf(stdout));
    stdout.on("resize", onResize);
    return () => void stdout.off("resize", onResize);
  }, [stdout]);
  return size;
}
