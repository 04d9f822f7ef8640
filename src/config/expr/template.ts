// Template scanning: literal text, `${ }` interpolations and `%{ if }`/`%{ for }` directives, in three flavours:
// "raw" (the text hcl2json hands back: escapes already applied except `$${`/`%%{`), "quoted" (a string inside an
// expression, with backslash escapes) and "heredoc" (`<<EOT` inside an expression). The expression parser
// (parse.ts) is reached through TemplateHost, so the two modules do not import each other.
import type { Expr, Span } from "./types.js";
import { identLength, skipTrivia } from "./lexer.js";

export type TemplateMode = "raw" | "quoted" | "heredoc";

export interface TemplateHost {
  /** Parses one expression starting at `pos`; returns it and the position just after it. */
  parseExprAt(pos: number): { expr: Expr; end: number };
  fail(message: string, span: Span, hint?: string): never;
  /** Registers a new node (the parser checks the nesting height). */
  node<T extends Expr>(e: T): T;
  enter(span: Span): void;
  leave(): void;
}

export interface ScannedTemplate {
  parts: Array<string | Expr>;
  /** Set when the template is exactly one interpolation: HCL then yields its value unchanged, not a string. */
  single?: Expr;
  /** Position just after the template (after the closing quote or heredoc marker line). */
  end: number;
}

interface Seq { start: number; end: number; stripLeft: boolean; stripRight: boolean }
type Item =
  | { t: "text"; value: string; start: number; end: number }
  | (Seq & { t: "interp"; expr: Expr })
  | (Seq & { t: "if"; cond: Expr })
  | (Seq & { t: "for"; keyVar?: string; valueVar: string; collection: Expr })
  | (Seq & { t: "else" | "endif" | "endfor" });

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

export function scanTemplate(src: string, start: number, mode: TemplateMode, host: TemplateHost,
  heredoc?: { marker: string; flush: boolean; open: Span }): ScannedTemplate {
  const items: Item[] = [];
  let text = "";
  let textStart = start;
  let pos = start;
  const flushText = () => {
    if (text !== "") items.push({ t: "text", value: text, start: textStart, end: pos });
    text = "";
  };
  const closing = heredoc ? new RegExp(`[ \\t]*${heredoc.marker}(?=\\r?\\n|$)`, "y") : undefined;
  let atLineStart = true;
  for (;;) {
    if (closing && atLineStart) {
      closing.lastIndex = pos;
      if (closing.exec(src)) {
        flushText();
        const afterMarker = closing.lastIndex;
        if (heredoc!.flush) stripIndentation(items);
        return finish(items, host, afterMarker);
      }
    }
    atLineStart = false;
    const ch = src[pos];
    if (ch === undefined) {
      if (mode === "raw") {
        flushText();
        return finish(items, host, pos);
      }
      if (mode === "quoted") host.fail("Unterminated template string: no closing quote before the end of the expression.", { start: start - 1, end: pos });
      host.fail(`Unterminated heredoc: no line with the closing marker "${heredoc!.marker}".`, heredoc!.open);
    }
    if ((ch === "$" || ch === "%") && src[pos + 1] === ch && src[pos + 2] === "{") {
      text += `${ch}{`;
      pos += 3;
    } else if ((ch === "$" || ch === "%") && src[pos + 1] === "{") {
      flushText();
      const item = ch === "$" ? scanInterpolation(src, pos, host) : scanDirective(src, pos, host);
      items.push(item);
      pos = item.end;
      textStart = pos;
    } else if (mode === "quoted" && ch === '"') {
      flushText();
      return finish(items, host, pos + 1);
    } else if (mode === "quoted" && (ch === "\n" || ch === "\r")) {
      host.fail("Invalid multi-line string: quoted strings may not be split over multiple lines.", { start: pos, end: pos + 1 },
        'Use the \\n escape for a newline, or a heredoc (<<EOT) for multi-line text.');
    } else if (mode === "quoted" && ch === "\\") {
      const [value, length] = scanEscape(src, pos, host);
      text += value;
      pos += length;
    } else {
      text += ch;
      pos++;
      if (ch === "\n") atLineStart = true;
    }
  }
}

function scanEscape(src: string, pos: number, host: TemplateHost): [string, number] {
  const next = src[pos + 1];
  if (next !== undefined && next in ESCAPES) return [ESCAPES[next]!, 2];
  if (next === "u" || next === "U") {
    const digits = next === "u" ? 4 : 8;
    const hex = src.slice(pos + 2, pos + 2 + digits);
    const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
    if (Number.isNaN(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      host.fail(`Invalid escape sequence: \\${next} must be followed by ${digits} hex digits of a Unicode code point.`,
        { start: pos, end: Math.min(src.length, pos + 2 + digits) });
    }
    return [String.fromCodePoint(code), 2 + digits];
  }
  host.fail(`Invalid escape sequence: \\${next ?? ""} is not a valid escape.`, { start: pos, end: Math.min(src.length, pos + 2) },
    'The escapes are \\n \\r \\t \\" \\\\ \\uNNNN and \\UNNNNNNNN; write \\\\ for a literal backslash.');
}

/** After `${` or `%{`: an optional strip marker `~`. */
function openSeq(src: string, pos: number): { stripLeft: boolean; inner: number } {
  const stripLeft = src[pos + 2] === "~";
  return { stripLeft, inner: skipTrivia(src, pos + (stripLeft ? 3 : 2)) };
}

/** Expects `}` or `~}` at `pos` (after trivia). */
function closeSeq(src: string, pos: number, host: TemplateHost, what: string, open: number): { stripRight: boolean; end: number } {
  const at = skipTrivia(src, pos);
  if (src[at] === "~" && src[at + 1] === "}") return { stripRight: true, end: at + 2 };
  if (src[at] === "}") return { stripRight: false, end: at + 1 };
  if (at >= src.length) host.fail(`Unclosed template ${what}: no closing brace.`, { start: open, end: at });
  host.fail(`Extra characters after ${what}: expected a closing brace.`, { start: at, end: at + 1 },
    `Expected "}" to end the ${what} that starts here; check for a missing operator or quote.`);
}

function scanInterpolation(src: string, pos: number, host: TemplateHost): Item {
  const { stripLeft, inner } = openSeq(src, pos);
  const { expr, end } = host.parseExprAt(inner);
  const close = closeSeq(src, end, host, "interpolation sequence", pos);
  return { t: "interp", expr, start: pos, end: close.end, stripLeft, stripRight: close.stripRight };
}

function scanDirective(src: string, pos: number, host: TemplateHost): Item {
  const { stripLeft, inner } = openSeq(src, pos);
  const len = identLength(src, inner);
  const keyword = src.slice(inner, inner + len);
  let at = inner + len;
  const seq = (t: "else" | "endif" | "endfor") => {
    const close = closeSeq(src, at, host, "template directive", pos);
    return { t, start: pos, end: close.end, stripLeft, stripRight: close.stripRight };
  };
  switch (keyword) {
    case "if": {
      const { expr, end } = host.parseExprAt(skipTrivia(src, at));
      const close = closeSeq(src, end, host, "template directive", pos);
      return { t: "if", cond: expr, start: pos, end: close.end, stripLeft, stripRight: close.stripRight };
    }
    case "for": {
      const names: string[] = [];
      for (;;) {
        at = skipTrivia(src, at);
        const n = identLength(src, at);
        if (n === 0) host.fail("Invalid template for directive: expected a variable name after for.", { start: at, end: at + 1 });
        names.push(src.slice(at, at + n));
        at = skipTrivia(src, at + n);
        if (src[at] !== "," || names.length === 2) break;
        at++;
      }
      if (!(src.startsWith("in", at) && identLength(src, at) === 2)) {
        host.fail("Invalid template for directive: expected the in keyword after the variable names.", { start: at, end: at + 1 },
          "Write %{ for item in list }...%{ endfor } or %{ for key, value in map }...%{ endfor }.");
      }
      const { expr, end } = host.parseExprAt(skipTrivia(src, at + 2));
      const close = closeSeq(src, end, host, "template directive", pos);
      const [first, second] = names as [string, string?];
      return second === undefined
        ? { t: "for", valueVar: first, collection: expr, start: pos, end: close.end, stripLeft, stripRight: close.stripRight }
        : { t: "for", keyVar: first, valueVar: second, collection: expr, start: pos, end: close.end, stripLeft, stripRight: close.stripRight };
    }
    case "else":
    case "endif":
    case "endfor":
      return seq(keyword);
    default:
      host.fail(`Invalid template directive: expected if, else, endif, for or endfor after %{, found "${keyword || src.slice(inner, inner + 1)}".`,
        { start: pos, end: Math.max(inner + len, pos + 2) }, "Write %%{ for a literal %{.");
  }
}

/** `<<-EOT`: removes the smallest indentation of the non-blank lines from every line. */
function stripIndentation(items: Item[]): void {
  const lineStarts: Array<{ item: Item & { t: "text" }; offset: number }> = [];
  let atLineStart = true;
  for (const item of items) {
    if (item.t !== "text") {
      atLineStart = false;
      continue;
    }
    let offset = 0;
    for (;;) {
      if (atLineStart) lineStarts.push({ item, offset });
      const nl = item.value.indexOf("\n", offset);
      if (nl < 0) break;
      offset = nl + 1;
      atLineStart = true;
      if (offset === item.value.length) break;
    }
    atLineStart = item.value.endsWith("\n");
  }
  const indents = lineStarts.map(({ item, offset }) => {
    const rest = item.value.slice(offset).split("\n", 1)[0]!;
    const lineEndsInText = item.value.indexOf("\n", offset) >= 0;
    const ws = /^[ \t]*/.exec(rest)![0].length;
    return ws === rest.length && lineEndsInText ? undefined : ws;
  });
  const min = Math.min(...indents.filter((n): n is number => n !== undefined));
  if (!Number.isFinite(min) || min === 0) return;
  // Remove from the end backwards so earlier offsets stay valid.
  for (let i = lineStarts.length - 1; i >= 0; i--) {
    const { item, offset } = lineStarts[i]!;
    const ws = /^[ \t]*/.exec(item.value.slice(offset))![0].length;
    item.value = item.value.slice(0, offset) + item.value.slice(offset + Math.min(ws, min));
  }
}

function finish(items: Item[], host: TemplateHost, end: number): ScannedTemplate {
  applyStripMarkers(items);
  const state = { i: 0 };
  const parts = build(items, state, [], host);
  if (state.i < items.length) {
    const stray = items[state.i]!;
    host.fail(`Unexpected ${stray.t} directive: there is no matching ${stray.t === "endfor" ? "for" : "if"} before it.`, stray);
  }
  const exprs = items.filter((i) => i.t !== "text");
  const single = parts.length === 1 && typeof parts[0] !== "string" && exprs.length === 1 && exprs[0]!.t === "interp" ? parts[0] : undefined;
  return single ? { parts, single, end } : { parts, end };
}

function applyStripMarkers(items: Item[]): void {
  items.forEach((item, i) => {
    if (item.t === "text") return;
    const before = items[i - 1];
    const after = items[i + 1];
    if (item.stripLeft && before?.t === "text") before.value = before.value.replace(/\s+$/u, "");
    if (item.stripRight && after?.t === "text") after.value = after.value.replace(/^\s+/u, "");
  });
}

/** Builds parts up to one of `until` (left unconsumed in state.i) or the end. */
function build(items: Item[], state: { i: number }, until: string[], host: TemplateHost): Array<string | Expr> {
  const parts: Array<string | Expr> = [];
  const push = (p: string | Expr) => {
    const last = parts[parts.length - 1];
    if (typeof p === "string" && typeof last === "string") parts[parts.length - 1] = last + p;
    else if (p !== "") parts.push(p);
  };
  while (state.i < items.length) {
    const item = items[state.i]!;
    if (until.includes(item.t)) return parts;
    state.i++;
    if (item.t === "text") push(item.value);
    else if (item.t === "interp") push(item.expr);
    else if (item.t === "if") push(buildIf(item, items, state, host));
    else if (item.t === "for") push(buildFor(item, items, state, host));
    else {
      state.i--;
      return parts;
    }
  }
  return parts;
}

function body(parts: Array<string | Expr>, start: number, end: number, host: TemplateHost): Expr {
  return host.node({ type: "template", parts, start, end });
}

function buildIf(open: Item & { t: "if" }, items: Item[], state: { i: number }, host: TemplateHost): Expr {
  host.enter(open);
  const thenStart = open.end;
  const thenParts = build(items, state, ["else", "endif"], host);
  let mark = items[state.i];
  const thenEnd = mark?.start ?? thenStart;
  let elseExpr: Expr;
  if (mark?.t === "else") {
    state.i++;
    const elseParts = build(items, state, ["endif"], host);
    const endMark = items[state.i];
    elseExpr = body(elseParts, mark.end, endMark?.start ?? mark.end, host);
    mark = endMark;
  } else {
    elseExpr = body([], thenEnd, thenEnd, host);
  }
  if (mark?.t !== "endif") host.fail("Unterminated template if directive: no %{ endif } for this %{ if }.", open);
  state.i++;
  host.leave();
  return host.node({ type: "conditional", condition: open.cond, then: body(thenParts, thenStart, thenEnd, host), else: elseExpr,
    start: open.start, end: mark.end });
}

function buildFor(open: Item & { t: "for" }, items: Item[], state: { i: number }, host: TemplateHost): Expr {
  host.enter(open);
  const parts = build(items, state, ["endfor"], host);
  const mark = items[state.i];
  if (mark?.t !== "endfor") host.fail("Unterminated template for directive: no %{ endfor } for this %{ for }.", open);
  state.i++;
  host.leave();
  const span = { start: open.start, end: mark.end };
  const tuple = host.node({ type: "for", ...(open.keyVar === undefined ? {} : { keyVar: open.keyVar }), valueVar: open.valueVar,
    collection: open.collection, valueExpr: body(parts, open.end, mark.start, host), grouping: false, kind: "tuple", ...span } as Expr);
  return host.node({ type: "templateJoin", tuple, ...span });
}
