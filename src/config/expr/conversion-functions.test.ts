import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { failure, ok } from "./function-test-support.js";
import { MAX_JSON_DEPTH, toSetValue } from "./conversion-functions.js";
import type { Value } from "./types.js";

describe("conversion functions", () => {
  it("tostring, tonumber and tobool follow HCL's conversions and keep null", () => {
    expect(ok("tostring", 1.5)).toBe("1.5");
    expect(ok("tostring", true)).toBe("true");
    expect(ok("tostring", "x")).toBe("x");
    expect(ok("tostring", null)).toBeNull();
    expect(failure("tostring", [1])).toMatchObject({ start: 10, message: expect.stringContaining("cannot convert list") });
    expect(ok("tonumber", "42")).toBe(42);
    expect(ok("tonumber", "-1.5e2")).toBe(-150);
    expect(ok("tonumber", null)).toBeNull();
    expect(failure("tonumber", "12abc").hint).toContain("decimal number");
    expect(failure("tonumber", "").message).toContain("cannot convert");
    expect(ok("tobool", "true")).toBe(true);
    expect(ok("tobool", false)).toBe(false);
    expect(failure("tobool", "yes").message).toContain("cannot convert");
    expect(failure("tobool", 1).message).toContain("cannot convert number");
  });

  it("tolist and tomap unify mixed primitives to strings", () => {
    expect(ok("tolist", [1, "a", true])).toEqual(["1", "a", "true"]);
    expect(ok("tolist", [1, 2])).toEqual([1, 2]);
    expect(ok("tolist", null)).toBeNull();
    expect(failure("tolist", [1, [2]]).message).toContain("no common type");
    expect(failure("tolist", { a: 1 }).message).toContain("a list");
    expect(ok("tomap", { a: 1, b: "x" })).toEqual({ a: "1", b: "x" });
    expect(failure("tomap", ["a"]).message).toContain("a map");
  });

  it("toset sorts and de-duplicates", () => {
    expect(ok("toset", ["prod", "staging", "prod"])).toEqual(["prod", "staging"]);
    expect(ok("toset", [10, 9, 10])).toEqual([9, 10]);
    expect(ok("toset", ["b", 1])).toEqual(["1", "b"]);
    expect(ok("toset", [{ b: 1 }, { a: 1 }, { b: 1 }])).toEqual([{ a: 1 }, { b: 1 }]);
    expect(ok("toset", [])).toEqual([]);
    expect(failure("toset", ["a", ["b"]]).message).toContain("no common type");
  });

  it("toset is idempotent and order-independent", () => {
    const item = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -5, max: 5 }));
    fc.assert(fc.property(fc.array(item, { maxLength: 8 }), (items) => {
      const once = toSetValue(items)!;
      expect(toSetValue(once)).toEqual(once);
      expect(toSetValue([...items].reverse())).toEqual(once);
      expect(new Set(once.map(String)).size).toBe(once.length);
    }));
  });

  it("jsonencode writes sorted keys and escapes HTML characters, like Terraform", () => {
    expect(ok("jsonencode", { b: [1, "<&>"], a: null, c: true })).toBe('{"a":null,"b":[1,"\\u003c\\u0026\\u003e"],"c":true}');
    expect(ok("jsonencode", 1e21)).toBe("1000000000000000000000");
    expect(ok("jsonencode", "é")).toBe('"é"');
  });

  it("jsondecode parses JSON and refuses invalid or too deep documents", () => {
    expect(ok("jsondecode", '{"a": [1, "x", null, true]}')).toEqual({ a: [1, "x", null, true] });
    const proto = ok("jsondecode", '{"__proto__": 1}') as Record<string, Value>;
    expect(Object.keys(proto)).toEqual(["__proto__"]);
    expect(failure("jsondecode", "{nope")).toMatchObject({ start: 10, message: expect.stringContaining("invalid JSON") });
    const deep = "[".repeat(MAX_JSON_DEPTH + 2) + "]".repeat(MAX_JSON_DEPTH + 2);
    expect(failure("jsondecode", deep).message).toContain("nested more than");
  });

  it("jsonencode and jsondecode round-trip", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
      const value = JSON.parse(JSON.stringify(v)) as Value; // -0 and friends normalised as JSON would
      expect(ok("jsondecode", ok("jsonencode", value))).toEqual(value);
    }));
  });
});
