import { describe, expect, it } from "vitest";
import { convertValue, isProblem, parseVariableType, typeText } from "./variable-types.js";

describe("variable types", () => {
  it("parses the supported type constraints", () => {
    expect(parseVariableType("string")).toEqual({ kind: "string" });
    expect(parseVariableType("map( list(number) )")).toEqual({ kind: "map", element: { kind: "list", element: { kind: "number" } } });
    expect(parseVariableType("tuple([string])")).toBeUndefined();
    expect(parseVariableType("object({a=string})")).toBeUndefined();
    expect(typeText(parseVariableType("set(string)")!)).toBe("set(string)");
  });

  it("converts as HCL does, and says why it cannot", () => {
    expect(convertValue("35", { kind: "number" })).toBe(35);
    expect(convertValue(35, { kind: "string" })).toBe("35");
    expect(convertValue("true", { kind: "bool" })).toBe(true);
    expect(convertValue(["a", "a", "b"], { kind: "set", element: { kind: "string" } })).toEqual(["a", "b"]);
    const bad = convertValue({ a: "x" }, { kind: "map", element: { kind: "number" } });
    expect(isProblem(bad) && bad.problem).toBe('key "a": expected a number, got "x"');
    // A map value that merely looks like a problem is a value.
    expect(isProblem(convertValue({ problem: "x" }, { kind: "map", element: { kind: "string" } }))).toBe(false);
    expect(convertValue({ $unknown: "after-refresh", reason: "r" }, { kind: "number" })).toEqual({ $unknown: "after-refresh", reason: "r" });
  });
});
