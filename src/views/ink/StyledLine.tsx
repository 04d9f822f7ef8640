// Paints one line of the text model with Ink: each segment a <Text> with its tone's colour. With colour off
// (NO_COLOR, --no-color) the words and symbols of the line still say everything.
import { Box, Text } from "ink";
import type { Line, Segment, Tone } from "./lines.js";

interface ToneStyle {
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
}

const TONES: Record<Tone, ToneStyle> = {
  add: { color: "green" },
  change: { color: "yellow" },
  remove: { color: "red" },
  adopt: { color: "cyan" },
  danger: { color: "red" },
  warn: { color: "yellow" },
  good: { color: "green" },
  muted: { dimColor: true },
  heading: { bold: true },
};

function styleOf(s: Segment): ToneStyle {
  const tone = s.tone ? TONES[s.tone] : {};
  return s.bold ? { ...tone, bold: true } : tone;
}

export interface StyledLineProps {
  line: Line;
  /** "wrap" keeps every character (lines printed for good); "truncate-end" keeps one row per line (lines already
   *  broken to the width, and the live region, which must not grow). */
  wrap?: "wrap" | "truncate-end";
}

/** The line's leading spaces as a count, and the segments after them. */
export function splitIndent(line: Line): { indent: number; rest: Line } {
  let indent = 0;
  const rest: Line = [];
  let leading = true;
  for (const s of line) {
    if (leading) {
      const text = s.text.trimStart();
      indent += s.text.length - text.length;
      if (text === "") continue;
      leading = false;
      rest.push({ ...s, text });
      continue;
    }
    rest.push(s);
  }
  return { indent, rest };
}

function Segments({ segments, wrap }: { segments: Line; wrap: "wrap" | "truncate-end" }) {
  return (
    <Text wrap={wrap}>
      {segments.map((s, i) => (
        <Text key={i} {...styleOf(s)}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

export function StyledLine({ line, wrap = "wrap" }: StyledLineProps) {
  const { indent, rest } = splitIndent(line);
  // An empty <Text> takes no row; a space keeps the blank line.
  if (rest.length === 0) return <Text> </Text>;
  // The indent is padding, not text, so that a wrapped line continues at its own indent; a hanging segment
  // (a label, a symbol) gets a column of its own for the same reason.
  const cut = rest.findIndex((s) => s.hang) + 1;
  if (cut === 0 || cut === rest.length || wrap !== "wrap") {
    return (
      <Box paddingLeft={indent}>
        <Segments segments={rest} wrap={wrap} />
      </Box>
    );
  }
  const head = rest.slice(0, cut);
  return (
    <Box paddingLeft={indent}>
      <Box flexShrink={0}>
        <Segments segments={head} wrap="truncate-end" />
      </Box>
      <Segments segments={rest.slice(cut)} wrap={wrap} />
    </Box>
  );
}
