// A text table laid out to a width: columns keep their natural width when the table fits, otherwise the
// widest columns give way first and their cells wrap at spaces and commas. When even that would cut words
// (a long ARN in a narrow terminal), the rows become records instead: the title cells on one line, then one
// line per remaining column. Every row of the result is one terminal line, so the review can count rows.
import { hang, seg, type Line, type Tone } from "./lines.js";

export interface TableRow {
  /** One string per column; "\n" starts a new line inside the cell. */
  cells: string[];
  /** Tone per cell (undefined: plain). */
  tones?: Array<Tone | undefined>;
  bold?: boolean;
}

const SEPARATOR = " │ ";
/** A column is not squeezed narrower than this (or its title, or its content, if shorter). */
const MIN_WIDTH = 8;

/** A value marked "+ ", "- " or "  " (changed inside a modified statement) wraps under its text, not its mark. */
const MARKED = /^[+-] |^ {2}\S/;

/** The cell text broken into lines of at most `width` characters. */
export function wrapCell(text: string, width: number): string[] {
  const out: string[] = [];
  for (const logical of text.split("\n")) {
    const hang = MARKED.test(logical) && width > 6 ? "  " : "";
    let rest = logical;
    let room = width;
    while (rest.length > room) {
      // The line ends before a space, or just after a comma, whichever comes later, unless that leaves the
      // line mostly empty; else it is cut hard.
      const space = rest.slice(0, room + 1).lastIndexOf(" ");
      const comma = rest.slice(0, room).lastIndexOf(",");
      const at = Math.max(space, comma + 1);
      const end = at > room / 3 ? at : room;
      out.push(`${room < width ? hang : ""}${rest.slice(0, end).trimEnd()}`);
      rest = rest.slice(end).trimStart();
      room = width - hang.length;
    }
    out.push(`${room < width ? hang : ""}${rest}`);
  }
  return out;
}

function naturalWidth(text: string): number {
  return Math.max(0, ...text.split("\n").map((l) => l.length));
}

/** Column widths for the content, shrunk (widest first) until the table fits `width` or cannot shrink. */
export function columnWidths(headers: readonly string[], rows: readonly TableRow[], width: number): number[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => naturalWidth(r.cells[i] ?? ""))));
  const floors = widths.map((w, i) => Math.min(w, Math.max(MIN_WIDTH, headers[i]!.length)));
  const total = (): number => widths.reduce((a, b) => a + b, 0) + SEPARATOR.length * (widths.length - 1);
  let excess = total() - width;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > floors[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    const second = Math.max(floors[widest]!, ...widths.filter((_w, i) => i !== widest));
    const step = Math.max(1, Math.min(excess, widths[widest]! - second));
    widths[widest] = Math.max(floors[widest]!, widths[widest]! - step);
    excess = total() - width;
  }
  return widths;
}

/** True when every word of every cell fits its column (the table needs no hard cuts). */
function wordsFit(headers: readonly string[], rows: readonly TableRow[], widths: readonly number[]): boolean {
  const fits = (text: string, w: number): boolean => text.split("\n").every((l) => l.split(/[ ,]/).every((word) => word.length <= w - (MARKED.test(l) ? 2 : 0)));
  return headers.every((h, i) => h.length <= widths[i]! && rows.every((r) => fits(r.cells[i] ?? "", widths[i]!)));
}

/**
 * The table, or records when it does not fit: `titleColumns` cells (say ± and Sid) head each record, the other
 * columns follow one per line, their names aligned.
 */
export function tableLines(headers: readonly string[], rows: readonly TableRow[], width: number, titleColumns = 1): Line[] {
  const widths = columnWidths(headers, rows, width);
  if (!wordsFit(headers, rows, widths)) return recordLines(headers, rows, titleColumns);
  const joinRow = (cells: string[][], height: number, tones: Array<Tone | undefined> = [], bold = false): Line[] => {
    const lines: Line[] = [];
    for (let r = 0; r < height; r++) {
      const line: Line = [];
      cells.forEach((cell, i) => {
        if (i > 0) line.push(seg(SEPARATOR, "muted"));
        const text = (cell[r] ?? "").padEnd(widths[i]!);
        line.push(seg(i === cells.length - 1 ? text.trimEnd() : text, tones[i], bold));
      });
      lines.push(line);
    }
    return lines;
  };
  const out: Line[] = joinRow(headers.map((h) => [h]), 1, [], true);
  out.push([seg(widths.map((w) => "─".repeat(w)).join("─┼─"), "muted")]);
  for (const row of rows) {
    const cells = headers.map((_h, i) => wrapCell(row.cells[i] ?? "", widths[i]!));
    out.push(...joinRow(cells, Math.max(...cells.map((c) => c.length)), row.tones, row.bold));
  }
  return out;
}

function recordLines(headers: readonly string[], rows: readonly TableRow[], titleColumns: number): Line[] {
  const label = Math.max(...headers.slice(titleColumns).map((h) => h.length));
  const out: Line[] = [];
  for (const row of rows) {
    const title: Line = [];
    for (let i = 0; i < titleColumns; i++) {
      if (i > 0) title.push(seg(" "));
      title.push(seg(row.cells[i] ?? "", row.tones?.[i], true));
    }
    out.push(title);
    for (let i = titleColumns; i < headers.length; i++) {
      const values = (row.cells[i] ?? "").split("\n").filter((v) => v !== "");
      if (values.length === 0) continue;
      values.forEach((v, n) => out.push([seg("    "), hang(seg(`${(n === 0 ? headers[i]! : "").padEnd(label)}  `, n === 0 ? "muted" : undefined)), seg(v, row.tones?.[i])]));
    }
  }
  return out;
}
