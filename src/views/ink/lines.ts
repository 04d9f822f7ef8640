// The terminal view's text model: a line is a list of styled segments. The plan, the review and the apply
// view lay their content out as lines first (pure, testable, exact row counts for windowing), and the Ink
// components only paint them. A tone only adds colour to words and symbols that already say the same.

export type Tone = "add" | "change" | "remove" | "adopt" | "danger" | "warn" | "good" | "muted" | "heading";

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  /** A wrapped line continues under the end of this segment (a hanging indent: labels, symbols). */
  hang?: boolean;
}

export type Line = Segment[];

export function seg(text: string, tone?: Tone, bold?: boolean): Segment {
  return { text, ...(tone ? { tone } : {}), ...(bold ? { bold } : {}) };
}

/** The same segment, marked as the end of the line's hanging indent. */
export function hang(s: Segment): Segment {
  return { ...s, hang: true };
}

/** A line of one unstyled text. */
export function plain(text: string): Line {
  return [seg(text)];
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join("");
}

/** The same lines, each shifted right by `by` spaces. */
export function indent(lines: readonly Line[], by: number): Line[] {
  const pad = " ".repeat(by);
  return lines.map((l) => (l.length === 0 ? l : [seg(pad), ...l]));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Where a wrapped line's continuation starts: after its hanging segment, else under its first character. */
function hangColumn(line: Line): number {
  let col = 0;
  for (const s of line) {
    col += s.text.length;
    if (s.hang) return col;
  }
  const text = lineText(line);
  return text.length - text.trimStart().length;
}

/** The segments of `line` between two character offsets. */
function sliceLine(line: Line, from: number, to: number): Line {
  const out: Line = [];
  let at = 0;
  for (const s of line) {
    const start = Math.max(from, at);
    const end = Math.min(to, at + s.text.length);
    if (start < end) out.push({ ...s, text: s.text.slice(start - at, end - at), hang: false });
    at += s.text.length;
  }
  return out;
}

/**
 * Lines broken to at most `width` characters, so that each is exactly one terminal row (the review counts
 * rows to fit the screen). A line breaks at its last space that fits (a word wider than the line is cut);
 * continuations start under the line's hanging indent.
 */
export function fitLines(lines: readonly Line[], width: number): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    const text = lineText(line);
    if (text.length <= width) {
      out.push(line);
      continue;
    }
    const hangAt = Math.min(hangColumn(line), Math.floor(width / 2));
    let from = 0;
    let first = true;
    while (from < text.length) {
      const room = first ? width : width - hangAt;
      let to = Math.min(text.length, from + room);
      if (to < text.length) {
        const space = text.lastIndexOf(" ", to);
        // Not at the line's own indent: that would leave an empty row.
        if (space > (first ? text.length - text.trimStart().length : from)) to = space;
      }
      const piece = sliceLine(line, from, to);
      out.push(first ? piece : [seg(" ".repeat(hangAt)), ...piece]);
      from = to;
      while (text[from] === " ") from++;
      first = false;
    }
  }
  return out;
}
