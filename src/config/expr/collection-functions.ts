// Collection functions, as in Terraform: length, keys, values, lookup, merge, concat, contains, distinct,
// flatten, coalesce, element, range, compact, reverse, sort, slice, zipmap.
import type { Value } from "./types.js";
import type { FunctionDef } from "./function-signature.js";
import { describe, formatNumber, hasEntry, isList, isMap, setEntry, toText, typeName, valuesEqual, type ValueMap } from "./convert.js";
import { didYouMean } from "./suggest.js";

/** Lists longer than this are refused by range(), as Terraform does, so a typo cannot exhaust memory. */
export const MAX_RANGE = 1024;

const segmenter = new Intl.Segmenter();

const list = (name: string) => ({ name, type: "list" as const });
const map = (name: string) => ({ name, type: "map" as const });

/** contains/distinct compare like HCL after unifying element types: 1 equals "1". */
function sameElement(a: Value, b: Value): boolean {
  if (valuesEqual(a, b)) return true;
  const sa = typeof a === "string" || typeof b === "string" ? toText(a) : undefined;
  return sa !== undefined && sa === toText(b);
}

function flattenInto(items: Value[], out: Value[]): void {
  for (const item of items) {
    if (isList(item)) flattenInto(item, out);
    else out.push(item);
  }
}

export const COLLECTION_FUNCTIONS: FunctionDef[] = [
  {
    name: "length", description: "The number of elements of a list or map, or of characters of a string.",
    params: [{ name: "value", type: "string|list|map" }],
    impl: ([v]) => (typeof v === "string" ? [...segmenter.segment(v)].length : isList(v!) ? v.length : Object.keys(v as ValueMap).length),
  },
  {
    name: "keys", description: "The keys of a map, sorted.",
    params: [map("map")], impl: ([m]) => Object.keys(m as ValueMap).sort(),
  },
  {
    name: "values", description: "The values of a map, in the order of their sorted keys.",
    params: [map("map")], impl: ([m]) => Object.keys(m as ValueMap).sort().map((k) => (m as ValueMap)[k]!),
  },
  {
    name: "lookup", description: "The value of a key in a map; the default if the key is absent (an error without a default).",
    params: [map("map"), { name: "key", type: "string" }], optional: [{ name: "default", type: "any" }],
    impl: ([m, k, ...rest], call) => {
      const source = m as ValueMap;
      const key = k as string;
      if (hasEntry(source, key)) return source[key]!;
      if (rest.length > 0) return rest[0]!;
      return call.fail(`no key "${key}" in the map${didYouMean(key, Object.keys(source))}`, 1,
        "Give a default as the third argument to use when the key is absent.");
    },
  },
  {
    name: "merge", description: "Merges maps into one; when several have a key, the last one wins. Null arguments are skipped.",
    params: [], variadic: { name: "maps", type: "map", nullable: true },
    impl: (maps) => {
      const out: ValueMap = {};
      for (const m of maps) if (m !== null) for (const [k, v] of Object.entries(m as ValueMap)) setEntry(out, k, v);
      return out;
    },
  },
  {
    name: "concat", description: "Joins lists into one list.",
    params: [], variadic: { ...list("lists"), min: 1 }, impl: (lists) => (lists as Value[][]).flat(1),
  },
  {
    name: "contains", description: "Whether a list (or set) contains a value.",
    params: [list("list"), { name: "value", type: "any" }], impl: ([l, v]) => (l as Value[]).some((item) => sameElement(item, v!)),
  },
  {
    name: "distinct", description: "A list without its duplicate elements, keeping the first of each.",
    params: [list("list")],
    impl: ([l]) => (l as Value[]).filter((item, i, all) => all.findIndex((other) => sameElement(other, item)) === i),
  },
  {
    name: "flatten", description: "Replaces every list inside a list by its elements, recursively.",
    params: [list("list")],
    impl: ([l]) => {
      const out: Value[] = [];
      flattenInto(l as Value[], out);
      return out;
    },
  },
  {
    name: "coalesce", description: "The first argument that is neither null nor an empty string.",
    params: [], variadic: { name: "values", type: "any", min: 1 },
    impl: (vals, call) => vals.find((v) => v !== null && v !== "") ?? call.fail("all arguments are null or empty strings"),
  },
  {
    name: "element", description: "The element of a list at an index; the index wraps around past the end.",
    params: [list("list"), { name: "index", type: "number" }],
    impl: ([l, i], call) => {
      const items = l as Value[];
      const index = i as number;
      if (items.length === 0) return call.fail("the list is empty", 0);
      if (!Number.isInteger(index) || index < 0) return call.fail(`the index must be a whole number of 0 or more, got ${formatNumber(index)}`, 1);
      return items[index % items.length]!;
    },
  },
  {
    name: "range", description: `A list of numbers: range(limit), range(start, limit) or range(start, limit, step); at most ${MAX_RANGE} of them.`,
    params: [{ name: "start", type: "number" }], optional: [{ name: "limit", type: "number" }, { name: "step", type: "number" }],
    impl: (args, call) => {
      const [start, limit, step] = (args.length === 1 ? [0, args[0], (args[0] as number) >= 0 ? 1 : -1] : [args[0], args[1], args[2] ?? ((args[0] as number) <= (args[1] as number) ? 1 : -1)]) as number[];
      if (step === 0) return call.fail("the step must not be zero", 2);
      const out: number[] = [];
      for (let n = start!; step! > 0 ? n < limit! : n > limit!; n += step!) {
        if (out.length >= MAX_RANGE) return call.fail(`the result would have more than ${MAX_RANGE} elements`);
        out.push(n);
      }
      return out;
    },
  },
  {
    name: "compact", description: "A list of strings without its null and empty-string elements.",
    params: [list("list")],
    impl: ([l], call) => {
      const out: string[] = [];
      for (const [i, item] of (l as Value[]).entries()) {
        if (item === null || item === "") continue;
        const s = toText(item);
        if (s === undefined) return call.fail(`element ${i} must be a string, got ${typeName(item)} ${describe(item)}`, 0);
        out.push(s);
      }
      return out;
    },
  },
  {
    name: "reverse", description: "A list in reverse order.",
    params: [list("list")], impl: ([l]) => [...(l as Value[])].reverse(),
  },
  {
    name: "sort", description: "A list of strings in lexicographic order.",
    params: [list("list")],
    impl: ([l], call) => {
      const out: string[] = [];
      for (const [i, item] of (l as Value[]).entries()) {
        const s = toText(item);
        if (s === undefined) return call.fail(`element ${i} must be a string, got ${typeName(item)} ${describe(item)}`, 0);
        out.push(s);
      }
      return out.sort();
    },
  },
  {
    name: "slice", description: "The elements of a list from a start index (included) to an end index (excluded).",
    params: [list("list"), { name: "start", type: "number" }, { name: "end", type: "number" }],
    impl: ([l, s, e], call) => {
      const items = l as Value[];
      const start = s as number;
      const end = e as number;
      if (!Number.isInteger(start) || start < 0) return call.fail("the start index must be a whole number of 0 or more", 1);
      if (!Number.isInteger(end) || end > items.length) return call.fail(`the end index must be a whole number of at most ${items.length}`, 2);
      if (start > end) return call.fail("the start index must not be after the end index", 1);
      return items.slice(start, end);
    },
  },
  {
    name: "zipmap", description: "A map from a list of keys and a list of values of the same length.",
    params: [list("keys"), list("values")],
    impl: ([k, v], call) => {
      const keys = k as Value[];
      const vals = v as Value[];
      if (keys.length !== vals.length) return call.fail(`the lists have different lengths (${keys.length} keys, ${vals.length} values)`);
      const out: ValueMap = {};
      for (const [i, key] of keys.entries()) {
        const s = toText(key);
        if (s === undefined) return call.fail(`key ${i} must be a string, got ${typeName(key)} ${describe(key)}`, 0);
        setEntry(out, s, vals[i]!);
      }
      return out;
    },
  },
];
