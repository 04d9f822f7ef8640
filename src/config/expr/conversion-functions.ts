// Type conversion and encoding functions: tostring, tonumber, tobool, tolist, tomap, toset, jsonencode, jsondecode.
// Sets are represented as lists, sorted (numbers numerically, strings lexicographically) and without duplicates.
import type { Value } from "./types.js";
import type { FunctionDef } from "./function-signature.js";
import { compareValues, describe, formatNumber, setEntry, toBool, toNumber, toText, typeName, unifyPrimitives,
  valuesEqual, type ValueMap } from "./convert.js";

/** How deeply jsondecode's result may nest (deeper documents are refused rather than risking the stack later). */
export const MAX_JSON_DEPTH = 200;

const any = (name: string) => ({ name, type: "any" as const });

/** A set: the sorted, de-duplicated list of the values (after unifying mixed primitives to strings). */
export function toSetValue(items: Value[]): Value[] | undefined {
  const unified = unifyPrimitives(items);
  if (!unified) return undefined;
  const sorted = [...unified].sort(compareValues);
  return sorted.filter((v, i) => i === 0 || !valuesEqual(v, sorted[i - 1]!));
}

/** JSON as Terraform writes it: keys sorted, and <, >, & escaped as \u003c, \u003e, \u0026. */
export function encodeJson(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") {
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  if (Array.isArray(v)) return `[${v.map(encodeJson).join(",")}]`;
  const m = v as ValueMap;
  return `{${Object.keys(m).sort().map((k) => `${encodeJson(k)}:${encodeJson(m[k]!)}`).join(",")}}`;
}

function depthOver(v: unknown, limit: number): boolean {
  if (typeof v !== "object" || v === null) return false;
  if (limit === 0) return true;
  return Object.values(v).some((item) => depthOver(item, limit - 1));
}

/** JSON.parse builds plain objects; rebuild maps so that a "__proto__" key stays an ordinary key. */
function fromJson(v: unknown): Value {
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === "object" && v !== null) {
    const out: ValueMap = {};
    for (const [k, item] of Object.entries(v)) setEntry(out, k, fromJson(item));
    return out;
  }
  return v as Value;
}

export const CONVERSION_FUNCTIONS: FunctionDef[] = [
  {
    name: "tostring", description: "Converts a number or bool to a string (null stays null).",
    params: [any("value")],
    impl: ([v], call) => (v === null ? null : toText(v!) ?? call.fail(`cannot convert ${typeName(v!)} ${describe(v!)} to a string`, 0)),
  },
  {
    name: "tonumber", description: "Converts a string that spells a number to a number (null stays null).",
    params: [any("value")],
    impl: ([v], call) => (v === null ? null : toNumber(v!) ?? call.fail(`cannot convert ${typeName(v!)} ${describe(v!)} to a number`, 0,
      'A string converts only when it is a decimal number, like "42" or "1.5".')),
  },
  {
    name: "tobool", description: 'Converts the strings "true" and "false" to bools (null stays null).',
    params: [any("value")],
    impl: ([v], call) => (v === null ? null : toBool(v!) ?? call.fail(`cannot convert ${typeName(v!)} ${describe(v!)} to a bool`, 0,
      'Only "true" and "false" convert to bools.')),
  },
  {
    name: "tolist", description: "Converts a list or set to a list (null stays null).",
    params: [{ name: "value", type: "list", nullable: true }],
    impl: ([v], call) => {
      if (v === null) return null;
      const unified = unifyPrimitives(v as Value[]);
      return unified ?? call.fail("the elements have no common type (lists and maps are mixed with other values)", 0);
    },
  },
  {
    name: "tomap", description: "Converts an object to a map; mixed string, number and bool values all become strings (null stays null).",
    params: [{ name: "value", type: "map", nullable: true }],
    impl: ([v], call) => {
      if (v === null) return null;
      const m = v as ValueMap;
      const keys = Object.keys(m);
      const unified = unifyPrimitives(keys.map((k) => m[k]!));
      if (!unified) return call.fail("the values have no common type (lists and maps are mixed with other values)", 0);
      const out: ValueMap = {};
      keys.forEach((k, i) => setEntry(out, k, unified[i]!));
      return out;
    },
  },
  {
    name: "toset",
    description: "Converts a list to a set: duplicates removed, sorted (crossvault represents sets as sorted lists); mixed strings and numbers become strings.",
    params: [{ name: "list", type: "list" }],
    impl: ([l], call) => toSetValue(l as Value[]) ?? call.fail("the elements have no common type (lists and maps are mixed with other values)", 0),
  },
  {
    name: "jsonencode", description: "Encodes a value as JSON (map keys sorted).",
    params: [any("value")], impl: ([v]) => encodeJson(v!),
  },
  {
    name: "jsondecode", description: "Decodes a JSON string into a value.",
    params: [{ name: "string", type: "string" }],
    impl: ([s], call) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s as string);
      } catch (err) {
        return call.fail(`invalid JSON: ${(err as Error).message}`, 0);
      }
      if (depthOver(parsed, MAX_JSON_DEPTH)) return call.fail(`the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`, 0);
      return fromJson(parsed);
    },
  },
];

