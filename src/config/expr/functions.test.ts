import { describe, expect, it } from "vitest";
import { FUNCTION_DOCS, builtinFunctions } from "./functions.js";
import { call } from "./function-test-support.js";
import { isEvalError } from "./errors.js";
import type { FunctionImpl } from "./types.js";

const REQUIRED = ["toset", "format", "lower", "upper", "join", "concat", "merge", "lookup", "length", "keys", "values", "contains",
  "distinct", "flatten", "coalesce", "tostring", "tonumber", "tobool", "tolist", "tomap", "element", "range", "replace", "split",
  "trimspace", "trimprefix", "trimsuffix", "startswith", "endswith", "min", "max", "jsonencode", "jsondecode", "abs"];

describe("builtinFunctions and FUNCTION_DOCS", () => {
  it("provide every required function, each documented once", () => {
    for (const name of REQUIRED) expect(typeof builtinFunctions[name], name).toBe("function");
    expect(FUNCTION_DOCS.map((d) => d.name).sort()).toEqual(Object.keys(builtinFunctions).sort());
    expect(new Set(FUNCTION_DOCS.map((d) => d.name)).size).toBe(FUNCTION_DOCS.length);
  });

  it("document signatures with optional and variadic parameters", () => {
    const doc = (n: string) => FUNCTION_DOCS.find((d) => d.name === n)!;
    expect(doc("lookup").signature).toBe("lookup(map, key, default?)");
    expect(doc("join").signature).toBe("join(separator, lists...)");
    expect(doc("format").signature).toBe("format(format, args...)");
    for (const d of FUNCTION_DOCS) expect(d.description.length, d.name).toBeGreaterThan(10);
  });

  it("refuse wrong arity and null arguments, naming the function and its usage", () => {
    const e = call("upper");
    expect(isEvalError(e) && e).toMatchObject({ code: "invalid-argument", message: "upper(): expects 1 argument, got 0",
      hint: expect.stringContaining("Usage: upper(string)") });
    const n = call("upper", null);
    expect(isEvalError(n) && n).toMatchObject({ start: 10, message: 'upper(): argument 1 ("string") must not be null' });
  });

  it("can be extended by spreading", () => {
    const extended: Record<string, FunctionImpl> = { ...builtinFunctions, accounts_in_ou: () => null };
    expect(Object.keys(extended)).toContain("accounts_in_ou");
    expect(extended.upper).toBe(builtinFunctions.upper);
  });
});
