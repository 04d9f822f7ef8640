// The position index. hcl2json returns values without source positions, so this small scanner walks the
// (already syntax-checked) source and records where every block, label and attribute starts, and the
// exact range of every attribute's value text. It understands quoted strings with `${...}` templates,
// heredocs and the three comment styles; it never evaluates anything.

export interface IndexedAttr {
  name: string;
  /** Offset of the attribute name. */
  nameStart: number;
  /** Offsets of the value text, trailing comments and blanks excluded. */
  valueStart: number;
  valueEnd: number;
}

export interface IndexedBlock {
  /** "" for the file's root body. */
  type: string;
  labels: string[];
  typeStart: number;
  labelStarts: number[];
  attrs: IndexedAttr[];
  blocks: IndexedBlock[];
}

/** Maps offsets to 1-based line and column (UTF-16 code units, as editors count for ASCII text). */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

const heredocStart = /<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/y;

// Character tests by code, not by regular expression: the scanner looks at every character of large files.
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}

class Scanner {
  i = 0;
  constructor(readonly s: string) {}

  private at(k = 0): string {
    return this.s[this.i + k] ?? "";
  }

  /** Skips a comment at the cursor, if any; a line comment stops before its newline. */
  private comment(): boolean {
    const c = this.at();
    if (c === "#" || (c === "/" && this.at(1) === "/")) {
      while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
      return true;
    }
    if (c === "/" && this.at(1) === "*") {
      const end = this.s.indexOf("*/", this.i + 2);
      this.i = end < 0 ? this.s.length : end + 2;
      return true;
    }
    return false;
  }

  /** Blanks and comments, newlines too when `lines`. */
  skipSpace(lines: boolean): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === " " || c === "\t" || c === "\r" || (lines && c === "\n")) this.i++;
      else if (!this.comment()) return;
    }
  }

  ident(): string | undefined {
    if (!isIdentStart(this.s.charCodeAt(this.i))) return undefined;
    const start = this.i;
    while (this.i < this.s.length && isIdentPart(this.s.charCodeAt(this.i))) this.i++;
    return this.s.slice(start, this.i);
  }

  /** A quoted label's text with escapes decoded. */
  label(): string {
    const start = this.i;
    this.skipString();
    return decodeQuoted(this.s.slice(start + 1, Math.max(start + 1, this.i - 1)));
  }

  /** From an opening quote to just after the closing one. */
  skipString(): void {
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === "\\") this.i += 2;
      else if (c === '"') {
        this.i++;
        return;
      } else if (c === "\n") return;
      else if ((c === "$" || c === "%") && this.at(1) === c && this.at(2) === "{") this.i += 3;
      else if ((c === "$" || c === "%") && this.at(1) === "{") {
        this.i += 2;
        this.skipInterpolation();
      } else this.i++;
    }
  }

  /** After `${` or `%{`: up to and including the matching `}`. */
  private skipInterpolation(): void {
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '"') this.skipString();
      else if (this.comment()) continue;
      else if (c === "{" || c === "(" || c === "[") {
        depth++;
        this.i++;
      } else if (c === "}" && depth === 0) {
        this.i++;
        return;
      } else {
        if (c === "}" || c === ")" || c === "]") depth--;
        this.i++;
      }
    }
  }

  /** Skips a heredoc if one starts at the cursor; stops after the closing marker, before its newline. */
  private heredoc(): boolean {
    heredocStart.lastIndex = this.i;
    const m = heredocStart.exec(this.s);
    if (!m) return false;
    const marker = m[1]!;
    let lineStart = this.i + m[0].length;
    while (lineStart < this.s.length) {
      let lineEnd = this.s.indexOf("\n", lineStart);
      if (lineEnd < 0) lineEnd = this.s.length;
      if (this.s.slice(lineStart, lineEnd).trim() === marker) {
        this.i = lineStart + this.s.slice(lineStart, lineEnd).indexOf(marker) + marker.length;
        return true;
      }
      lineStart = lineEnd + 1;
    }
    this.i = this.s.length;
    return true;
  }

  /**
   * An attribute's value: up to a newline outside brackets, or the `}` that closes a one-line block.
   * Returns the end of the last significant character.
   */
  skipExpression(): number {
    let depth = 0;
    let end = this.i;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === "\n" && depth === 0) break;
      if (c === " " || c === "\t" || c === "\r" || c === "\n") {
        this.i++;
        continue;
      }
      if (this.comment()) continue;
      if (c === "<" && this.heredoc()) {
        end = this.i;
        continue;
      }
      if (c === '"') this.skipString();
      else if (c === "{" || c === "(" || c === "[") {
        depth++;
        this.i++;
      } else if (c === "}" || c === ")" || c === "]") {
        if (depth === 0) break;
        depth--;
        this.i++;
      } else {
        this.i++;
        // Runs of identifier characters cannot start anything the scanner tracks.
        while (this.i < this.s.length && isIdentPart(this.s.charCodeAt(this.i))) this.i++;
      }
      end = this.i;
    }
    return end;
  }

  /** Recovery for text the scanner does not understand: skip to the next line. */
  skipLine(): void {
    while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
  }
}

function decodeQuoted(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ({ n: "\n", r: "\r", t: "\t" } as Record<string, string>)[e] ?? e;
  });
}

function parseBody(sc: Scanner, block: IndexedBlock, nested: boolean): void {
  for (;;) {
    sc.skipSpace(true);
    if (sc.i >= sc.s.length) return;
    if (sc.s[sc.i] === "}") {
      if (nested) return;
      sc.i++;
      continue;
    }
    const nameStart = sc.i;
    const name = sc.ident();
    if (name === undefined) {
      sc.skipLine();
      continue;
    }
    sc.skipSpace(false);
    if (sc.s[sc.i] === "=" && sc.s[sc.i + 1] !== "=") {
      sc.i++;
      sc.skipSpace(false);
      const valueStart = sc.i;
      const valueEnd = sc.skipExpression();
      block.attrs.push({ name, nameStart, valueStart, valueEnd: Math.max(valueStart, valueEnd) });
      continue;
    }
    const child: IndexedBlock = { type: name, labels: [], typeStart: nameStart, labelStarts: [], attrs: [], blocks: [] };
    for (;;) {
      sc.skipSpace(false);
      const c = sc.s[sc.i];
      if (c === '"') {
        child.labelStarts.push(sc.i);
        child.labels.push(sc.label());
      } else if (c !== undefined && isIdentStart(c.charCodeAt(0))) {
        child.labelStarts.push(sc.i);
        child.labels.push(sc.ident()!);
      } else break;
    }
    if (sc.s[sc.i] !== "{") {
      sc.skipLine();
      continue;
    }
    sc.i++;
    parseBody(sc, child, true);
    if (sc.s[sc.i] === "}") sc.i++;
    block.blocks.push(child);
  }
}

/** Indexes one file's source. Never throws; on text it does not understand it skips to the next line. */
export function indexSource(text: string): IndexedBlock {
  const root: IndexedBlock = { type: "", labels: [], typeStart: 0, labelStarts: [], attrs: [], blocks: [] };
  parseBody(new Scanner(text), root, false);
  return root;
}
