// The live view of a refresh and an apply. Finished resources (and warnings, failures, skips) are printed
// once, through <Static>, and stay in the scrollback; the live region below shows only what is in flight:
// a spinner, the address, the action, the time it has taken, and any propagation delay being waited out.
// The live region is cut to the terminal's height. Errors are repeated after the view ends, where they
// cannot scroll away.
import { Box, Static, Text } from "ink";
import Spinner from "ink-spinner";
import { useEffect, useState, useSyncExternalStore } from "react";
import { seconds, VERB } from "../progress-plain.js";
import { hang, seg, type Line } from "./lines.js";
import type { InFlight, Printed, Progress, ProgressStore } from "./progress-state.js";
import { StyledLine } from "./StyledLine.js";
import { useTerminalSize } from "./terminal-size.js";

export function printedLine(item: Printed): Line {
  switch (item.kind) {
    case "done":
      return [seg("✓", "good", true), hang(seg(" ")), seg(item.address, undefined, true), seg(`: ${VERB[item.action]?.[1] ?? "Done"} after ${seconds(item.durationMs)}`)];
    case "failed":
      return [seg("✗", "danger", true), hang(seg(" ")), seg(item.address, undefined, true), seg(": "), seg("failed", "danger", true), seg(`: ${item.message}`)];
    case "skipped":
      return [seg("○", "muted"), hang(seg(" ")), seg(item.address, undefined, true), seg(`: skipped (${item.because})`, "muted")];
    case "warning":
      return [seg("!", "warn", true), hang(seg(" ")), seg("Warning:", "warn", true), seg(` ${item.message}`)];
    case "read-failed":
      return [seg("✗", "danger", true), hang(seg(" ")), seg(`${item.accountId}/${item.region}: `), seg("read failed", "danger", true), seg(`: ${item.message}`)];
    case "read-summary":
      return [seg("✓", "good", true), hang(seg(" ")), seg(`Read the live state: ${item.lanes} account-region${item.lanes === 1 ? "" : "s"}, ${item.objects} object${item.objects === 1 ? "" : "s"}.`)];
    case "notice":
      return [seg(item.text)];
  }
}

/** Whole seconds, as the live region shows time ("12 s"). */
function wholeSeconds(ms: number): string {
  return `${Math.max(0, Math.floor(ms / 1000))} s`;
}

/** One change in flight; `pad` aligns the actions of the lines shown together. */
export function inFlightLine(f: InFlight, now: number, pad = 0): Line {
  const line: Line = [seg(f.address, undefined, true), seg(`${" ".repeat(Math.max(0, pad - f.address.length))}  ${VERB[f.action]?.[0] ?? f.action}…  ${wholeSeconds(now - f.startedAt)}`)];
  if (f.wait) line.push(seg("  "), seg(`${f.wait.reason}, ${wholeSeconds(f.wait.waitedMs + now - f.wait.at)}`, "warn"));
  return line;
}

export function footerLine(p: Progress): Line | undefined {
  if (p.refresh) {
    const r = p.refresh;
    const what = `Reading the live state of ${r.accounts} account${r.accounts === 1 ? "" : "s"} in ${r.regions} region${r.regions === 1 ? "" : "s"}`;
    return [seg(`${what}… ${r.objects} object${r.objects === 1 ? "" : "s"} found (${r.lanesRead} read${r.lanesRead === 1 ? "" : "s"} done)`)];
  }
  if (p.inFlight.length === 0) return undefined;
  const c = p.counts;
  const finished = c.done + c.failed + c.skipped;
  const of = p.total !== undefined ? ` of ${p.total}` : "";
  const failed = c.failed > 0 ? [seg(", "), seg(`${c.failed} failed`, "danger", true)] : [];
  return [seg(`${finished}${of} finished, ${p.inFlight.length} in flight`), ...failed];
}

/** The current time, ticking every `ms` while `active` (elapsed times in the live region). */
function useNow(clock: () => number, ms: number, active: boolean): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    if (!active) return undefined;
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), ms);
    return () => clearInterval(timer);
  }, [clock, ms, active]);
  return now;
}

export interface ProgressViewProps {
  store: ProgressStore;
  clock?: () => number;
  /** Override the terminal's height (tests). */
  rows?: number;
}

export function ProgressView({ store, clock = Date.now, rows }: ProgressViewProps) {
  const p = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const size = useTerminalSize();
  const height = rows ?? size.rows;
  const live = !p.closed && (p.inFlight.length > 0 || p.refresh !== undefined);
  const now = Math.max(useNow(clock, 1000, live), ...p.inFlight.map((f) => f.wait?.at ?? f.startedAt));
  // The footer, a line for "more in flight" and one spare row: the live region stays shorter than the screen.
  const room = Math.max(1, height - 3);
  const shown = p.inFlight.slice(0, room);
  const hidden = p.inFlight.length - shown.length;
  const pad = Math.max(0, ...shown.map((f) => f.address.length));
  const footer = footerLine(p);
  return (
    <>
      <Static items={p.printed}>{(item) => <StyledLine key={item.id} line={printedLine(item)} />}</Static>
      {live && (
        <Box flexDirection="column">
          {shown.map((f) => (
            <Box key={f.address}>
              <Text color="cyan">
                <Spinner type="dots" />
              </Text>
              <Text> </Text>
              <StyledLine wrap="truncate-end" line={inFlightLine(f, now, pad)} />
            </Box>
          ))}
          {hidden > 0 && <Text dimColor>{`  … and ${hidden} more in flight`}</Text>}
          {footer && (
            <Box>
              {p.refresh && (
                <Text color="cyan">
                  <Spinner type="dots" />{" "}
                </Text>
              )}
              <StyledLine wrap="truncate-end" line={footer} />
            </Box>
          )}
        </Box>
      )}
    </>
  );
}
