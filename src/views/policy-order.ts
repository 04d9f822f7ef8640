// Whether one policy statement grants (or, for a Deny, denies) at least everything another does: the order
// the policy tables need to call a modified statement wider or narrower. Decided on the statements' text
// alone, without evaluating requests; whatever cannot be decided that way answers "no", so a caller that
// sees neither statement cover the other knows only that they cannot be ordered.
import { wildcardMatch } from "../check/policy/wildcard.js";
import { canonicalJson } from "../model/ownership.js";

/** A statement as read from a policy document: anything may be missing or misspelt (foreign statements). */
export type RawStatement = Record<string, unknown>;

/** The values of a list-or-scalar field as texts; a Pending or other object as its canonical JSON. */
export function valuesOf(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((e) => (typeof e === "string" ? e : typeof e === "number" || typeof e === "boolean" ? String(e) : canonicalJson(e)));
}

const hasWildcard = (s: string): boolean => s.includes("*") || s.includes("?");

/**
 * Every text the `narrow` pattern matches, `wide` matches too. Exact for a literal `narrow`; for a `narrow`
 * holding wildcards only the obvious cases (`*`, equal, or a `prefix*` over a longer prefix) say yes.
 */
export function patternCovers(wide: string, narrow: string, ignoreCase: boolean): boolean {
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  if (wide === "*" || fold(wide) === fold(narrow)) return true;
  if (!hasWildcard(narrow)) return wildcardMatch(wide, narrow, ignoreCase);
  const star = wide.indexOf("*");
  return star === wide.length - 1 && !wide.includes("?") && fold(narrow).startsWith(fold(wide.slice(0, -1)));
}

function listCovers(wide: string[], narrow: string[], ignoreCase: boolean): boolean {
  return narrow.every((n) => wide.some((w) => patternCovers(w, n, ignoreCase)));
}

/**
 * The element (Action or Resource) with its Not- form: `wide` covers `narrow` when it matches all that
 * `narrow` matches. A positive list covers a Not- list only when it holds `*`; a Not- list covers another
 * when it excludes no more; a Not- list against a positive one is not decided (false).
 */
function elementCovers(wide: RawStatement, narrow: RawStatement, field: "Action" | "Resource"): boolean {
  const ignoreCase = field === "Action";
  const notField = `Not${field}`;
  const wNot = wide[notField] !== undefined;
  const nNot = narrow[notField] !== undefined;
  if (!wNot && !nNot) {
    // A missing Resource (key and vault policies always have one; SCPs may not) means every resource.
    if (wide[field] === undefined) return true;
    if (narrow[field] === undefined) return valuesOf(wide[field]).includes("*");
    return listCovers(valuesOf(wide[field]), valuesOf(narrow[field]), ignoreCase);
  }
  if (!wNot && nNot) return valuesOf(wide[field]).includes("*");
  if (wNot && nNot) return listCovers(valuesOf(narrow[notField]), valuesOf(wide[notField]), ignoreCase);
  return false;
}

/** Principal blocks as kind -> values; "*" (or an AWS "*") as everyone. */
function principalOf(v: unknown): "*" | Record<string, string[]> | undefined {
  if (v === undefined) return undefined;
  if (v === "*") return "*";
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { "": valuesOf(v) };
  const out: Record<string, string[]> = {};
  for (const [kind, values] of Object.entries(v)) out[kind] = valuesOf(values);
  if (Object.keys(out).length === 1 && out.AWS?.includes("*")) return "*";
  return out;
}

function principalCovers(wide: RawStatement, narrow: RawStatement): boolean {
  if (wide.NotPrincipal !== undefined || narrow.NotPrincipal !== undefined) return canonicalJson(wide.NotPrincipal) === canonicalJson(narrow.NotPrincipal) && canonicalJson(wide.Principal) === canonicalJson(narrow.Principal);
  const w = principalOf(wide.Principal);
  const n = principalOf(narrow.Principal);
  // No principal at all (an SCP): the statement applies to whoever the policy is attached to, on both sides.
  if (w === undefined || n === undefined) return w === n;
  if (w === "*") return true;
  if (n === "*") return false;
  return Object.entries(n).every(([kind, values]) => values.every((value) => (w[kind] ?? []).some((p) => p === "*" || p === value)));
}

/** Negated operators match less as their value list grows; positive ones match more. */
function valueGrowth(operator: string): "widens" | "narrows" | "unknown" {
  const base = operator.replace(/^(ForAnyValue|ForAllValues):/i, "").replace(/IfExists$/i, "");
  if (/Not/i.test(base)) return "narrows";
  if (/^(String|Arn|IpAddress)/i.test(base)) return "widens";
  return "unknown";
}

function conditionsOf(v: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!v || typeof v !== "object" || Array.isArray(v)) return out;
  for (const [operator, block] of Object.entries(v)) {
    if (!block || typeof block !== "object" || Array.isArray(block)) {
      out.set(`${operator}\0`, valuesOf(block));
      continue;
    }
    for (const [key, values] of Object.entries(block)) out.set(`${operator}\0${key.toLowerCase()}`, valuesOf(values));
  }
  return out;
}

/**
 * Every condition of `wide` must hold wherever `narrow`'s hold: each of its (operator, key) pairs appears in
 * `narrow` with values that match no less (a superset for positive operators, a subset for negated ones,
 * equal otherwise). Extra conditions in `narrow` only narrow it further.
 */
function conditionCovers(wide: RawStatement, narrow: RawStatement): boolean {
  const n = conditionsOf(narrow.Condition);
  for (const [k, wValues] of conditionsOf(wide.Condition)) {
    const nValues = n.get(k);
    if (!nValues) return false;
    const growth = valueGrowth(k.slice(0, k.indexOf("\0")));
    const superset = nValues.every((v) => wValues.includes(v));
    const subset = wValues.every((v) => nValues.includes(v));
    if (growth === "widens" ? !superset : growth === "narrows" ? !subset : !(superset && subset)) return false;
  }
  return true;
}

/** `wide` applies to every request `narrow` applies to (same effect assumed; the caller compares effects). */
export function statementCovers(wide: RawStatement, narrow: RawStatement): boolean {
  return elementCovers(wide, narrow, "Action") && elementCovers(wide, narrow, "Resource") && principalCovers(wide, narrow) && conditionCovers(wide, narrow);
}
