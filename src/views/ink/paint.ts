// Lines to terminal text: each segment in its tone's colour (SGR codes, the same colours StyledLine gives
// Ink) or, with colour off, as plain text. The printed plan goes through here rather than through Ink's
// layout, which costs about a millisecond a line (a plan of 10,000 changes took minutes; see
// docs/decisions.md); the lines are the same ones the Ink components show.
import { fitLines, type Line, type Segment, type Tone } from "./lines.js";

const SGR: Record<Tone, string> = {
  add: "32",
  change: "33",
  remove: "31",
  adopt: "36",
  danger: "31",
  warn: "33",
  good: "32",
  muted: "2",
  heading: "1",
};

function paintSegment(s: Segment): string {
  const codes = [s.tone ? SGR[s.tone] : undefined, s.bold && s.tone !== "heading" ? "1" : undefined].filter(Boolean);
  return codes.length === 0 || s.text === "" ? s.text : `\x1b[${codes.join(";")}m${s.text}\x1b[0m`;
}

/** The lines broken to `columns` (hanging indents kept) and joined, coloured when `color`. */
export function paintLines(lines: readonly Line[], columns: number, color: boolean): string {
  return fitLines(lines, columns)
    .map((l) => (color ? l.map(paintSegment) : l.map((s) => s.text)).join("").trimEnd())
    .join("\n");
}
