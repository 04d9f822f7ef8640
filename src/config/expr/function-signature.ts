// How built-in functions are declared: parameters with HCL types, checked and converted (with HCL's automatic
// conversions) before the implementation runs, so each implementation only deals with well-typed arguments
// and every arity or type error names the function and what it expects.
import type { EvalError, FunctionImpl, Span, Value } from "./types.js";
import { describe, isList, isMap, toBool, toNumber, toText, typeName } from "./convert.js";
import { callError } from "./errors.js";

export type ParamType = "string" | "number" | "bool" | "list" | "map" | "list|map" | "string|list|map" | "any";

export interface Param {
  name: string;
  type: ParamType;
  /** Null is refused unless allowed, as in HCL's functions. */
  nullable?: boolean;
}

export interface CallSite {
  name: string;
  span: Span;
  argSpans: Span[];
  /** An error located at argument `arg` (0-based) if given, else at the whole call. */
  fail(message: string, arg?: number, hint?: string): EvalError;
}

export interface FunctionDef {
  name: string;
  description: string;
  params: Param[];
  /** Trailing parameters that may be left out. */
  optional?: Param[];
  /** Any number of further arguments of one type (`min` of them at least). */
  variadic?: Param & { min?: number };
  impl(args: Value[], call: CallSite): Value | EvalError;
}

const TYPE_TEXT: Record<ParamType, string> = {
  string: "a string", number: "a number", bool: "a bool", list: "a list (or set)", map: "a map (or object)",
  "list|map": "a list or a map", "string|list|map": "a string, list or map", any: "any value",
};

export function signatureOf(def: FunctionDef): string {
  const names = [
    ...def.params.map((p) => p.name),
    ...(def.optional ?? []).map((p) => `${p.name}?`),
    ...(def.variadic ? [`${def.variadic.name}...`] : []),
  ];
  return `${def.name}(${names.join(", ")})`;
}

/** Converts an argument to the parameter's type; undefined if it cannot be. */
function convertArg(v: Value, type: ParamType): Value | undefined {
  switch (type) {
    case "any":
      return v;
    case "string":
      return toText(v);
    case "number":
      return toNumber(v);
    case "bool":
      return toBool(v);
    case "list":
      return isList(v) ? v : undefined;
    case "map":
      return isMap(v) ? v : undefined;
    case "list|map":
      return isList(v) || isMap(v) ? v : undefined;
    case "string|list|map":
      return typeof v === "string" || isList(v) || isMap(v) ? v : undefined;
  }
}

export function toImpl(def: FunctionDef): FunctionImpl {
  const usage = `Usage: ${signatureOf(def)}: ${def.description}`;
  const min = def.params.length + (def.variadic?.min ?? 0);
  const max = def.variadic ? Infinity : def.params.length + (def.optional?.length ?? 0);
  return (args, span, argSpans = []) => {
    const call: CallSite = {
      name: def.name,
      span,
      argSpans,
      fail: (message, arg, hint) => callError(arg === undefined ? span : argSpans[arg] ?? span, `${def.name}(): ${message}`, hint ?? usage),
    };
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      const extra = args.length > max ? max : undefined;
      const last = max === Infinity ? min : max;
      return call.fail(`expects ${expected} argument${last === 1 ? "" : "s"}, got ${args.length}`, extra);
    }
    const converted: Value[] = [];
    for (const [i, arg] of args.entries()) {
      const param = def.params[i] ?? def.optional?.[i - def.params.length] ?? def.variadic!;
      const position = param === def.variadic ? `argument ${i + 1} (one of "${param.name}")` : `argument ${i + 1} ("${param.name}")`;
      if (arg === null) {
        if (!param.nullable && param.type !== "any") return call.fail(`${position} must not be null`, i);
        converted.push(null);
        continue;
      }
      const v = convertArg(arg, param.type);
      if (v === undefined) return call.fail(`${position} must be ${TYPE_TEXT[param.type]}, got ${typeName(arg)} ${describe(arg)}`, i);
      converted.push(v);
    }
    return def.impl(converted, call);
  };
}
