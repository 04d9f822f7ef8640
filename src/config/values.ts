// Attribute values prepared for evaluation: hcl2json's JSON with every string parsed as a template, each
// leaf located in the source so an expression error's offset becomes a file:line:col. hcl2json keeps the
// text of `${...}` verbatim, so an expression leaf is found exactly; a quoted string is found when it has no
// escapes; anything else falls back to the start of the attribute's value.
import type { Diagnostic, SourcePos } from "./diagnostics.js";
import { evaluate, parseTemplate } from "./expr/index.js";
import type { EvalError, EvalScope, Expr, FunctionImpl, Value } from "./expr/types.js";
import { posAt, type RawAttr, type SourceText } from "./raw.js";

/** Where offset 0 of a leaf's text is in the source; `exact` when offsets inside the leaf map one to one. */
export interface Loc {
  src: SourceText;
  base: number;
  exact: boolean;
}

export type ValueTree =
  | { kind: "expr"; expr: Expr; loc: Loc }
  | { kind: "literal"; value: number | boolean | null; loc: Loc }
  | { kind: "list"; items: ValueTree[]; loc: Loc }
  | { kind: "object"; entries: Array<{ key: ValueTree; value: ValueTree }>; loc: Loc }
  /** The text did not parse; the diagnostic was already given. */
  | { kind: "invalid"; loc: Loc };

/** Sets a key on a plain object; `__proto__` is an ordinary key in a configuration, not JavaScript's prototype. */
export function setKey<T>(obj: { [key: string]: T }, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function locPos(loc: Loc, offset = 0): SourcePos {
  return posAt(loc.src, loc.exact ? loc.base + offset : loc.base);
}

interface Cursor {
  src: SourceText;
  at: number;
  end: number;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Finds a string leaf's text at or after the cursor and moves the cursor past it. */
function locateString(c: Cursor, s: string): Loc {
  const whole = s.startsWith("${") && s.endsWith("}") ? s.slice(2, -1) : undefined;
  const needle = whole ?? s;
  if (needle.length > 0) {
    // Search only this attribute's value text: a miss must not scan the rest of the file.
    const i = c.src.text.slice(c.at, c.end).indexOf(needle);
    const k = i < 0 ? -1 : c.at + i;
    if (k >= 0 && k + needle.length <= c.end) {
      c.at = k + needle.length;
      return { src: c.src, base: whole !== undefined ? k - 2 : k, exact: true };
    }
  }
  return { src: c.src, base: c.at, exact: false };
}

function locateLiteral(c: Cursor, v: number | boolean | null): Loc {
  const i = c.src.text.slice(c.at, c.end).indexOf(String(v));
  const k = i < 0 ? -1 : c.at + i;
  if (k >= 0) {
    c.at = k + String(v).length;
    return { src: c.src, base: k, exact: true };
  }
  return { src: c.src, base: c.at, exact: false };
}

/** An object key in the source (keys come back sorted, not in source order, so each search starts at the object). */
function locateKey(c: Cursor, key: string): number | undefined {
  const bare = key.startsWith("${") && key.endsWith("}") ? escapeRegExp(key.slice(2, -1)) : escapeRegExp(key);
  const re = new RegExp(`(?:^|[\\s{,(])("?${bare}"?)\\s*[=:]`);
  const m = re.exec(c.src.text.slice(c.at, c.end));
  if (!m) return undefined;
  return c.at + m.index + m[0].indexOf(m[1]!);
}

function compileNode(v: unknown, c: Cursor, diags: Diagnostic[], address: string | undefined): ValueTree {
  if (typeof v === "string") {
    const loc = locateString(c, v);
    const parsed = parseTemplate(v);
    if (!parsed.expr) {
      const err = parsed.error;
      diags.push({
        severity: "error", code: "invalid-expression", pos: locPos(loc, err?.start ?? 0), address,
        summary: err?.message ?? "invalid expression", detail: err?.hint ?? "Fix the expression; docs/configuration.md describes the syntax.",
      });
      return { kind: "invalid", loc };
    }
    return { kind: "expr", expr: parsed.expr, loc };
  }
  if (v === null || typeof v === "number" || typeof v === "boolean") return { kind: "literal", value: v, loc: locateLiteral(c, v) };
  const loc: Loc = { src: c.src, base: c.at, exact: false };
  if (Array.isArray(v)) return { kind: "list", items: v.map((item) => compileNode(item, c, diags, address)), loc };
  if (typeof v === "object") {
    const start = c.at;
    let furthest = c.at;
    const entries = Object.entries(v as Record<string, unknown>).map(([k, value]) => {
      const keyAt = locateKey({ ...c, at: start }, k);
      const keyCursor: Cursor = { src: c.src, at: keyAt ?? start, end: c.end };
      const key = compileNode(k, keyCursor, diags, address);
      if (keyAt === undefined) keyCursor.at = start;
      const valueTree = compileNode(value, keyCursor, diags, address);
      furthest = Math.max(furthest, keyCursor.at);
      return { key, value: valueTree };
    });
    c.at = furthest;
    return { kind: "object", entries, loc };
  }
  return { kind: "literal", value: null, loc };
}

const compiled = new WeakMap<RawAttr, { tree: ValueTree; diagnostics: Diagnostic[] }>();

/** Parses an attribute's value once (instances of a `for_each` block share it); parse problems come back once. */
export function compileAttr(attr: RawAttr, address?: string): { tree: ValueTree; diagnostics: Diagnostic[] } {
  let hit = compiled.get(attr);
  if (!hit) {
    const diagnostics: Diagnostic[] = [];
    const tree = compileNode(attr.value, { src: attr.src, at: attr.valueStart, end: attr.valueEnd }, diagnostics, address);
    hit = { tree, diagnostics };
    compiled.set(attr, hit);
  }
  return hit;
}

export interface LocatedError {
  error: EvalError;
  loc: Loc;
}

/** A scope per leaf, so references (and cycles) can be reported at the leaf that made them. */
export type ScopeFor = (loc: Loc) => EvalScope;

/** Evaluates a tree; errors come back with their leaf's location. */
export function evaluateTree(tree: ValueTree, scopeFor: ScopeFor, functions: Record<string, FunctionImpl>, errors: LocatedError[]): Value {
  switch (tree.kind) {
    case "literal":
      return tree.value;
    case "invalid":
      errors.push({ error: { start: 0, end: 0, code: "upstream-error", message: "invalid expression" }, loc: tree.loc });
      return null;
    case "expr": {
      const r = evaluate(tree.expr, scopeFor(tree.loc), functions);
      for (const error of r.errors) errors.push({ error, loc: tree.loc });
      return r.value;
    }
    case "list":
      return tree.items.map((item) => evaluateTree(item, scopeFor, functions, errors));
    case "object": {
      const out: { [key: string]: Value } = {};
      for (const { key, value } of tree.entries) {
        const k = evaluateTree(key, scopeFor, functions, errors);
        const v = evaluateTree(value, scopeFor, functions, errors);
        if (typeof k === "string" || typeof k === "number" || typeof k === "boolean") setKey(out, String(k), v);
        else errors.push({ error: { start: 0, end: 0, code: "type-mismatch", message: "an object key must be a string" }, loc: key.loc });
      }
      return out;
    }
  }
}
