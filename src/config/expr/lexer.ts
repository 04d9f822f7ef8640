// Tokens of the expression syntax. The parser pulls one token at a time from a position, because quoted
// strings and heredocs switch to template scanning (template.ts) in the middle of an expression.

export type TokenKind = "ident" | "number" | "quote" | "heredoc" | "punct" | "eof" | "invalid";

export interface Token {
  kind: TokenKind;
  /** Source text; for a heredoc, the marker; for an invalid token, why it is invalid. */
  text: string;
  start: number;
  end: number;
  /** Heredoc only: `<<-` strips the common indentation. */
  flush?: boolean;
}

// Longest first, so `...` wins over `.` and `==` over `=`.
const PUNCTUATORS = ["...", "=>", "==", "!=", "<=", ">=", "&&", "||", "{", "}", "[", "]", "(", ")", ",", ".", ":", "?",
  "=", "<", ">", "!", "+", "-", "*", "/", "%", "~"];

const PUNCTUATION_START = new Set(PUNCTUATORS.map((p) => p[0]!));

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}\-]/u;

export function isIdentStart(ch: string | undefined): boolean {
  return ch !== undefined && ID_START.test(ch);
}

/** Length of the identifier at `pos` (0 if none). HCL identifiers may contain dashes after the first character. */
export function identLength(src: string, pos: number): number {
  // ASCII fast path: nearly every identifier in a configuration is plain ASCII.
  let end = pos;
  for (;;) {
    const c = src.charCodeAt(end);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (letter || (end > pos && ((c >= 48 && c <= 57) || c === 45))) end++;
    else break;
  }
  if (end > pos && !(src.charCodeAt(end) > 127)) return end - pos;
  const first = src.codePointAt(pos);
  if (first === undefined || !ID_START.test(String.fromCodePoint(first))) return 0;
  let i = pos + (first > 0xffff ? 2 : 1);
  for (;;) {
    const cp = src.codePointAt(i);
    if (cp === undefined || !ID_CONTINUE.test(String.fromCodePoint(cp))) return i - pos;
    i += cp > 0xffff ? 2 : 1;
  }
}

/** Skips whitespace, newlines and comments (`#`, `//`, `/* *\/`). An unterminated block comment is left in place. */
export function skipTrivia(src: string, pos: number): number {
  let i = pos;
  for (;;) {
    const ch = src[i];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
    } else if (ch === "#" || (ch === "/" && src[i + 1] === "/")) {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (ch === "/" && src[i + 1] === "*") {
      const close = src.indexOf("*/", i + 2);
      if (close < 0) return i;
      i = close + 2;
    } else {
      return i;
    }
  }
}

const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEREDOC = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}\-]*)\r?\n/uy;

/** The token starting at `pos` (trivia already skipped). */
export function scanToken(src: string, pos: number): Token {
  if (pos >= src.length) return { kind: "eof", text: "", start: pos, end: pos };
  const ch = src[pos]!;
  if (ch === "/" && src[pos + 1] === "*") {
    return { kind: "invalid", text: "Unterminated comment: a /* comment has no closing */.", start: pos, end: src.length };
  }
  if (ch >= "0" && ch <= "9") {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(src)!;
    return { kind: "number", text: m[0], start: pos, end: pos + m[0].length };
  }
  const idLen = identLength(src, pos);
  if (idLen > 0) return { kind: "ident", text: src.slice(pos, pos + idLen), start: pos, end: pos + idLen };
  if (ch === '"') return { kind: "quote", text: '"', start: pos, end: pos + 1 };
  if (ch === "<" && src[pos + 1] === "<") {
    HEREDOC.lastIndex = pos;
    const m = HEREDOC.exec(src);
    if (m) return { kind: "heredoc", text: m[2]!, flush: m[1] === "-", start: pos, end: pos + m[0].length };
    return { kind: "invalid", text: "Invalid heredoc: expected a marker name and a newline after <<, like <<EOT.", start: pos, end: pos + 2 };
  }
  if (PUNCTUATION_START.has(ch)) {
    for (const p of PUNCTUATORS) {
      if (src.startsWith(p, pos)) return { kind: "punct", text: p, start: pos, end: pos + p.length };
    }
  }
  const cp = src.codePointAt(pos)!;
  const char = String.fromCodePoint(cp);
  const shown = cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : `"${char}"`;
  return { kind: "invalid", text: `Invalid character: ${shown} is not allowed in an expression.`, start: pos, end: pos + char.length };
}

/** How a token reads in an error message. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "the end of the expression";
    case "quote":
      return "a string";
    case "heredoc":
      return "a heredoc";
    case "number":
      return `number ${t.text}`;
    case "invalid":
      return "an invalid character";
    default:
      return `"${t.text}"`;
  }
}
