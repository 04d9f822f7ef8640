// Variable type constraints (`string`, `number`, `bool`, `any`, `list(T)`, `set(T)`, `map(T)`): parsing the
// constraint and converting a given value to it, with HCL's conversions (e.g. "35" to a number).
import { setKey } from "./values.js";
import { isUnknown, type Value } from "./expr/types.js";
import type { VariableType } from "./model.js";

/** Parses a type constraint's source text; undefined when it is not one crossvault supports. */
export function parseVariableType(text: string): VariableType | undefined {
  const t = text.replace(/\s+/g, "");
  if (t === "string" || t === "number" || t === "bool" || t === "any") return { kind: t };
  const m = /^(list|set|map)\((.+)\)$/.exec(t);
  if (!m) return undefined;
  const element = parseVariableType(m[2]!);
  return element ? { kind: m[1] as "list" | "set" | "map", element } : undefined;
}

export function typeText(t: VariableType): string {
  return "element" in t ? `${t.kind}(${typeText(t.element)})` : t.kind;
}

const numberText = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Converts a value to a type; a string message says why it cannot be. Unknown values pass through. */
export function convertValue(v: Value, t: VariableType): Value | ConversionProblem {
  if (isUnknown(v) || t.kind === "any") return v;
  const got = v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`;
  switch (t.kind) {
    case "string":
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      return new ConversionProblem(`expected a string, got ${got}`);
    case "number":
      if (typeof v === "number") return v;
      if (typeof v === "string" && numberText.test(v.trim())) return Number(v.trim());
      return new ConversionProblem(`expected a number, got ${typeof v === "string" ? JSON.stringify(v) : got}`);
    case "bool":
      if (typeof v === "boolean") return v;
      if (v === "true" || v === "false") return v === "true";
      return new ConversionProblem(`expected true or false, got ${typeof v === "string" ? JSON.stringify(v) : got}`);
    case "list":
    case "set": {
      if (!Array.isArray(v)) return new ConversionProblem(`expected ${typeText(t)}, got ${got}`);
      const out: Value[] = [];
      const seen = new Set<string>();
      for (const [i, item] of v.entries()) {
        const c = convertValue(item, t.element);
        if (isProblem(c)) return new ConversionProblem(`element ${i}: ${c.problem}`);
        if (t.kind === "set") {
          const key = JSON.stringify(c);
          if (seen.has(key)) continue;
          seen.add(key);
        }
        out.push(c);
      }
      return out;
    }
    case "map": {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return new ConversionProblem(`expected ${typeText(t)}, got ${got}`);
      const out: { [k: string]: Value } = {};
      for (const [k, item] of Object.entries(v)) {
        const c = convertValue(item, t.element);
        if (isProblem(c)) return new ConversionProblem(`key "${k}": ${c.problem}`);
        setKey(out, k, c);
      }
      return out;
    }
  }
}

/** Why a value does not convert to a type. A class, so no map value can be mistaken for one. */
export class ConversionProblem {
  constructor(readonly problem: string) {}
}

export function isProblem(v: Value | ConversionProblem): v is ConversionProblem {
  return v instanceof ConversionProblem;
}
