// Values: HCL's automatic conversions (number <-> string, bool <-> string), structural equality, a total order
// for sets, type names for messages, and the "poison" marker that stands for the value of a failed
// sub-expression while evaluating (so one mistake is reported once, not again by every operation using it).
import { isUnknown, type UnknownValue, type Value } from "./types.js";

export type ValueMap = { [key: string]: Value };

/** The value of a sub-expression that failed; replaced by null before a result leaves evaluate(). */
export const POISON: UnknownValue = Object.freeze({ $unknown: "after-apply", reason: "the expression has errors" });

export function isPoison(v: unknown): boolean {
  return v === POISON;
}

export function isList(v: Value): v is Value[] {
  return Array.isArray(v);
}

export function isMap(v: Value): v is ValueMap {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isUnknown(v);
}

/** Poison wins over unknowns; otherwise the first unknown (so the first reason is kept). */
export function blocker(...values: Value[]): UnknownValue | undefined {
  let found: UnknownValue | undefined;
  for (const v of values) {
    if (v === POISON) return POISON;
    if (!found && isUnknown(v)) found = v;
  }
  return found;
}

/** Like blocker, looking inside lists and maps too. */
export function deepBlocker(v: Value): UnknownValue | undefined {
  if (v === POISON) return POISON;
  if (isUnknown(v)) return v;
  let found: UnknownValue | undefined;
  const items = Array.isArray(v) ? v : isMap(v) ? Object.values(v) : [];
  for (const item of items) {
    const b = deepBlocker(item);
    if (b === POISON) return POISON;
    found ??= b;
  }
  return found;
}

/** Replaces poison with null, everywhere in the value. */
export function withoutPoison(v: Value): Value {
  if (v === POISON) return null;
  if (Array.isArray(v)) return v.map(withoutPoison);
  if (isMap(v)) {
    const out: ValueMap = {};
    for (const [k, item] of Object.entries(v)) setEntry(out, k, withoutPoison(item));
    return out;
  }
  return v;
}

/** Sets a key on a map value; `__proto__` is an ordinary key for HCL, not JavaScript's prototype. */
export function setEntry(map: ValueMap, key: string, value: Value): void {
  if (key === "__proto__") Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

export function hasEntry(map: ValueMap, key: string): boolean {
  return Object.hasOwn(map, key);
}

export function typeName(v: Value): string {
  if (v === null) return "null";
  if (isUnknown(v)) return "unknown";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "map";
  return typeof v === "boolean" ? "bool" : typeof v;
}

/** A short rendering of a value for messages: `"abc"`, `42`, `list of 3`, `map with keys a, b`. */
export function describe(v: Value): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "null";
  if (isUnknown(v)) return "an unknown value";
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : `a list of ${v.length}`;
  const keys = Object.keys(v);
  return keys.length === 0 ? "an empty map" : `a map with keys ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", ..." : ""}`;
}

const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** HCL's number conversion: numbers, and strings that spell a decimal number. */
export function toNumber(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && DECIMAL.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function toBool(v: Value): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** HCL's string conversion of primitives; undefined for null, lists and maps. */
export function toText(v: Value): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** Numbers as HCL prints them: no exponent, no trailing zeros (1e21 -> "1000000000000000000000"). */
export function formatNumber(n: number): string {
  if (Object.is(n, -0)) return "0";
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = "", expText] = m;
  const digits = lead! + frac;
  const exp = Number(expText);
  if (exp >= 0) {
    return digits.length <= exp + 1 ? sign + digits.padEnd(exp + 1, "0") : `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesEqual(item, b[i]!));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasEntry(b, k) && valuesEqual(a[k]!, b[k]!));
  }
  return false;
}

const RANK: Record<string, number> = { null: 0, bool: 1, number: 2, string: 3, list: 4, map: 5, unknown: 6 };

/** A total order on values (used to sort sets): by type, then by value; lists and maps by their JSON text. */
export function compareValues(a: Value, b: Value): number {
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return RANK[ta]! - RANK[tb]!;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const sa = typeof a === "string" ? a : canonicalJson(a);
  const sb = typeof b === "string" ? b : canonicalJson(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** JSON with map keys sorted, so equal values have equal text. */
export function canonicalJson(v: Value): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isMap(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k]!)}`).join(",")}}`;
  if (typeof v === "number") return formatNumber(v);
  return JSON.stringify(v) ?? "null";
}

/**
 * HCL unifies the element types of a list: mixed strings, numbers and bools all become strings. Returns
 * undefined when primitives are mixed with lists or maps (no common type).
 */
export function unifyPrimitives(items: Value[]): Value[] | undefined {
  const kinds = new Set(items.filter((v) => v !== null).map(typeName));
  if (kinds.size <= 1) return items;
  if ([...kinds].every((k) => k === "string" || k === "number" || k === "bool")) return items.map((v) => (v === null ? null : toText(v)!));
  if ([...kinds].every((k) => k === "list") || [...kinds].every((k) => k === "map")) return items;
  return undefined;
}
