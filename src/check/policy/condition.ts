// Condition operators and set qualifiers, with AWS's rules for missing keys, multi-valued keys and empty sets.
//
// The rules, from the IAM reference ("Condition operators", "Single-valued vs. multivalued context keys"):
// - several values for one key are OR'd; several keys and operators are AND'd (in statement.ts);
// - a missing key makes a positive operator false and a negated one (StringNot*, ArnNot*, NumericNotEquals,
//   DateNotEquals, NotIpAddress) true; `...IfExists` makes any operator true on a missing key;
// - `Null` is true when its value says "true" and the key is absent, or "false" and the key is present;
// - `ForAllValues:` is true when every request value passes the operator (so also for a missing key or an
//   empty set); `ForAnyValue:` when at least one does (so false for a missing key or an empty set);
// - a multi-valued key needs a set qualifier: without one it matches nothing, negated operators included.

import { BlockList, isIP } from "node:net";
import { arnLikeMatch, likeMatch, resolveValue, type ContextLookup } from "./values.js";

type Kind = "string" | "arn" | "numeric" | "date" | "bool" | "binary" | "ip" | "null";

interface BaseOperator {
  kind: Kind;
  negated: boolean;
  /** Does one request value match one resolved policy value? undefined: not comparable (bad number, not an ARN). */
  test: (request: string, policy: { text: string; pattern: string }) => boolean | undefined;
}

export interface ConditionOperator {
  /** As written in the policy, e.g. `ForAllValues:ArnNotLike`. */
  name: string;
  base: BaseOperator;
  set?: "any" | "all";
  ifExists: boolean;
}

const eq = (a: string, b: { text: string }): boolean => a === b.text;
const eqIgnoreCase = (a: string, b: { text: string }): boolean => a.toLowerCase() === b.text.toLowerCase();
const like = (a: string, b: { pattern: string }): boolean => likeMatch(b.pattern, a);
const arnLike = (a: string, b: { pattern: string }): boolean | undefined => arnLikeMatch(b.pattern, a);

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
function toNumber(s: string): number | undefined {
  return NUMBER.test(s.trim()) ? Number(s) : undefined;
}
function numeric(cmp: (a: number, b: number) => boolean) {
  return (a: string, b: { text: string }): boolean | undefined => {
    const x = toNumber(a);
    const y = toNumber(b.text);
    return x === undefined || y === undefined ? undefined : cmp(x, y);
  };
}

/** Dates: ISO 8601 text or epoch seconds. */
function toDate(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
function date(cmp: (a: number, b: number) => boolean) {
  return (a: string, b: { text: string }): boolean | undefined => {
    const x = toDate(a);
    const y = toDate(b.text);
    return x === undefined || y === undefined ? undefined : cmp(x, y);
  };
}

function bool(a: string, b: { text: string }): boolean | undefined {
  const x = a.toLowerCase();
  const y = b.text.toLowerCase();
  if ((x !== "true" && x !== "false") || (y !== "true" && y !== "false")) return undefined;
  return x === y;
}

function ipInRange(a: string, b: { text: string }): boolean | undefined {
  const family = isIP(a);
  const [network, bits] = b.text.split("/");
  const netFamily = isIP(network ?? "");
  if (family === 0 || netFamily === 0) return undefined;
  if (family !== netFamily) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix)) return undefined;
  const list = new BlockList();
  try {
    list.addSubnet(network!, prefix, type);
  } catch {
    return undefined;
  }
  return list.check(a, type);
}

const op = (kind: Kind, negated: boolean, test: BaseOperator["test"]): BaseOperator => ({ kind, negated, test });

const BASE_OPERATORS: Record<string, BaseOperator> = {
  stringequals: op("string", false, eq),
  stringnotequals: op("string", true, eq),
  stringequalsignorecase: op("string", false, eqIgnoreCase),
  stringnotequalsignorecase: op("string", true, eqIgnoreCase),
  stringlike: op("string", false, like),
  stringnotlike: op("string", true, like),
  arnequals: op("arn", false, arnLike),
  arnlike: op("arn", false, arnLike),
  arnnotequals: op("arn", true, arnLike),
  arnnotlike: op("arn", true, arnLike),
  numericequals: op("numeric", false, numeric((a, b) => a === b)),
  numericnotequals: op("numeric", true, numeric((a, b) => a === b)),
  numericlessthan: op("numeric", false, numeric((a, b) => a < b)),
  numericlessthanequals: op("numeric", false, numeric((a, b) => a <= b)),
  numericgreaterthan: op("numeric", false, numeric((a, b) => a > b)),
  numericgreaterthanequals: op("numeric", false, numeric((a, b) => a >= b)),
  dateequals: op("date", false, date((a, b) => a === b)),
  datenotequals: op("date", true, date((a, b) => a === b)),
  datelessthan: op("date", false, date((a, b) => a < b)),
  datelessthanequals: op("date", false, date((a, b) => a <= b)),
  dategreaterthan: op("date", false, date((a, b) => a > b)),
  dategreaterthanequals: op("date", false, date((a, b) => a >= b)),
  bool: op("bool", false, bool),
  binaryequals: op("binary", false, eq),
  ipaddress: op("ip", false, ipInRange),
  notipaddress: op("ip", true, ipInRange),
  null: op("null", false, () => undefined),
};

/** Parses `[ForAnyValue:|ForAllValues:]Operator[IfExists]`; undefined for an operator AWS does not have. */
export function parseOperator(name: string): ConditionOperator | undefined {
  let rest = name;
  let set: "any" | "all" | undefined;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon).toLowerCase();
    if (qualifier === "foranyvalue") set = "any";
    else if (qualifier === "forallvalues") set = "all";
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith("ifexists")) {
    ifExists = true;
    rest = rest.slice(0, -"ifexists".length);
  }
  const base = BASE_OPERATORS[rest.toLowerCase()];
  if (base === undefined) return undefined;
  // AWS rejects `NullIfExists`: existence is all Null tests.
  if (base.kind === "null" && ifExists) return undefined;
  const out: ConditionOperator = { name, base, ifExists };
  if (set !== undefined) out.set = set;
  return out;
}

type Resolver = (value: string) => { text: string; pattern: string } | undefined;

/** One request value against the policy values: OR over values; negated operators need none to match. */
function singleValue(base: BaseOperator, request: string, values: string[], resolve: Resolver): boolean {
  if (base.negated) {
    for (const v of values) {
      const resolved = resolve(v);
      // An unresolvable variable or an incomparable value proves nothing, so the negation cannot hold.
      if (resolved === undefined) return false;
      const hit = base.test(request, resolved);
      if (hit !== false) return false;
    }
    return true;
  }
  for (const v of values) {
    const resolved = resolve(v);
    if (resolved !== undefined && base.test(request, resolved) === true) return true;
  }
  return false;
}

/**
 * Evaluates one condition (one operator and one key). `present` is the request's value for the key, or
 * undefined when the key is absent; arrays are multi-valued keys (an empty array is a present, empty set).
 */
export function evaluateCondition(
  operator: ConditionOperator,
  present: string | string[] | undefined,
  values: string[],
  lookup: ContextLookup | undefined,
): boolean {
  const { base } = operator;
  if (base.kind === "null") {
    const goal = present === undefined ? "true" : "false";
    return values.some((v) => v.toLowerCase() === goal);
  }
  const resolve: Resolver = (v) => resolveValue(v, lookup);
  if (operator.set !== undefined) {
    if (present === undefined) return operator.set === "all" || operator.ifExists;
    const requestValues = typeof present === "string" ? [present] : present;
    return operator.set === "all"
      ? requestValues.every((r) => singleValue(base, r, values, resolve))
      : requestValues.some((r) => singleValue(base, r, values, resolve));
  }
  if (present === undefined) return operator.ifExists || base.negated;
  if (typeof present !== "string") return false;
  return singleValue(base, present, values, resolve);
}
