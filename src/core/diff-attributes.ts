// Attribute-level comparison: two attribute values to the list of changed leaves, with dotted paths
// (`tags.team`, `rules[0].lifecycle.delete_after_days`, `statements["Sid"].Action`). Policy statements are
// compared in normal form (policy-normal.ts), keyed by Sid, so order and spelling never make a diff.
import { canonicalJson } from "../model/ownership.js";
import { normalizePolicyDocument, normalizeStatement, sortStatements, type NormalStatement } from "../model/policy-normal.js";
import { isPending } from "../model/resource.js";
import type { AttributeChange } from "./plan-types.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function childPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The attribute a path starts in: `rules[0].name` -> `rules`. */
export function topLevelAttribute(path: string): string {
  const m = /^[^.[]+/.exec(path);
  return m ? m[0] : path;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isPending(v);
}

export function containsPending(v: unknown): boolean {
  if (isPending(v)) return true;
  if (Array.isArray(v)) return v.some(containsPending);
  if (isPlainObject(v)) return Object.values(v).some(containsPending);
  return false;
}

function isStatementLike(v: unknown): boolean {
  return isPlainObject(v) && "Effect" in v;
}

/** A list of policy statements: the `statements` attribute, or any non-empty list of objects with an Effect. */
function isStatementList(path: string, v: unknown): v is unknown[] {
  if (!Array.isArray(v)) return false;
  if (/(^|\.)statements$/.test(path)) return true;
  return v.length > 0 && v.every(isStatementLike);
}

function hasObjectElements(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.some((e) => isPlainObject(e) || Array.isArray(e));
}

/**
 * The changed leaves between `before` (live; undefined = absent) and `after` (desired; undefined = absent).
 * An absent side is flattened into its leaves, so a create lists every value it sets. An unresolved Pending
 * in `after` is a change whose new value is known only after apply.
 */
export function compareValues(path: string, before: unknown, after: unknown, out: AttributeChange[]): void {
  if (before === undefined && after === undefined) return;
  if (isPending(after)) {
    out.push(before === undefined ? { path, knownAfterApply: true } : { path, before, knownAfterApply: true });
    return;
  }
  if (isStatementList(path, before) || isStatementList(path, after)) {
    if (before === undefined || after === undefined) {
      const present = (before ?? after) as unknown[];
      if (present.length === 0) out.push(leaf(path, before, after));
    }
    compareStatementLists(path, asList(before), asList(after), out);
    return;
  }
  const objectSide = (v: unknown): boolean => v === undefined || isPlainObject(v);
  if ((isPlainObject(before) || isPlainObject(after)) && objectSide(before) && objectSide(after)) {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
    // An empty map on one side and nothing on the other still sets (or removes) the attribute.
    if (keys.length === 0) {
      if (before === undefined || after === undefined) out.push(leaf(path, before, after));
      return;
    }
    for (const k of keys) compareValues(childPath(path, k), b[k], a[k], out);
    return;
  }
  const listSide = (v: unknown): boolean => v === undefined || Array.isArray(v);
  if ((hasObjectElements(before) || hasObjectElements(after)) && listSide(before) && listSide(after)) {
    const b = (before ?? []) as unknown[];
    const a = (after ?? []) as unknown[];
    for (let i = 0; i < Math.max(a.length, b.length); i++) compareValues(`${path}[${i}]`, b[i], a[i], out);
    return;
  }
  if (typeof before === "string" && typeof after === "string" && before !== after) {
    const b = policyText(before);
    const a = policyText(after);
    // A policy kept as JSON text (a guardrail's content): whitespace and spelling are not changes.
    if (b && a) {
      if (canonicalJson(b.rest) !== canonicalJson(a.rest)) out.push(leaf(`${path}.Version`, b.rest, a.rest));
      compareStatementLists(`${path}.Statement`, b.statements, a.statements, out);
      return;
    }
  }
  if (canonicalJson(before) !== canonicalJson(after)) out.push(leaf(path, before, after));
}

function policyText(text: string): { statements: unknown[]; rest: unknown } | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  const doc = normalizePolicyDocument(text);
  if ("error" in doc) return undefined;
  const raw = doc.raw as Record<string, unknown>;
  return { statements: doc.statements, rest: raw.Version ?? null };
}

function leaf(path: string, before: unknown, after: unknown): AttributeChange {
  const c: AttributeChange = { path };
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  if (containsPending(after)) c.knownAfterApply = true;
  return c;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Statements keyed by Sid (a repeated Sid gets `#2`, `#3` in sorted order, so duplicates still pair up). */
function keyedStatements(list: unknown[]): Map<string, unknown> {
  const normal: unknown[] = list.map((s) => normalizeStatement(s) ?? s);
  const statements = normal.filter((s): s is NormalStatement => isPlainObject(s) && typeof s.Sid === "string");
  const others = normal.filter((s) => !statements.includes(s as NormalStatement));
  const out = new Map<string, unknown>();
  const seen = new Map<string, number>();
  for (const s of sortStatements(statements)) {
    const n = (seen.get(s.Sid) ?? 0) + 1;
    seen.set(s.Sid, n);
    out.set(n === 1 ? s.Sid : `${s.Sid}#${n}`, s);
  }
  // Statements that do not normalise (a Pending inside, a malformed foreign one) are compared as written.
  for (const s of [...others].sort((x, y) => (canonicalJson(x) < canonicalJson(y) ? -1 : 1))) out.set(`#${canonicalJson(s)}`, s);
  return out;
}

function compareStatementLists(path: string, before: unknown[], after: unknown[], out: AttributeChange[]): void {
  const b = keyedStatements(before);
  const a = keyedStatements(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  for (const k of keys) {
    const sb = b.get(k);
    const sa = a.get(k);
    const p = `${path}[${JSON.stringify(k)}]`;
    if (sb !== undefined && sa !== undefined) {
      if (canonicalJson(sb) !== canonicalJson(sa)) compareValues(p, sb, sa, out);
    } else {
      // A whole statement added or removed reads best as one value, not as its fields.
      out.push(leaf(p, sb, sa));
    }
  }
}
