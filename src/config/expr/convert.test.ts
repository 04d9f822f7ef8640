import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { POISON, compareValues, formatNumber, toBool, toNumber, toText, unifyPrimitives, valuesEqual, withoutPoison } from "./convert.js";

describe("conversions", () => {
  it("convert numbers, bools and strings as HCL does", () => {
    expect(toNumber("12")).toBe(12);
    expect(toNumber("-1.5e3")).toBe(-1500);
    expect(toNumber(" 12")).toBeUndefined();
    expect(toNumber("0x10")).toBeUndefined();
    expect(toNumber("1e999")).toBeUndefined();
    expect(toNumber(true)).toBeUndefined();
    expect(toBool("true")).toBe(true);
    expect(toBool("True")).toBeUndefined();
    expect(toBool(1)).toBeUndefined();
    expect(toText(false)).toBe("false");
    expect(toText(null)).toBeUndefined();
    expect(toText([])).toBeUndefined();
  });

  it("print numbers without exponents", () => {
    expect(formatNumber(1e21)).toBe("1000000000000000000000");
    expect(formatNumber(1.5e22)).toBe("15000000000000000000000");
    expect(formatNumber(1e-7)).toBe("0.0000001");
    expect(formatNumber(-2.5e-8)).toBe("-0.000000025");
    expect(formatNumber(-0)).toBe("0");
    expect(formatNumber(0.1)).toBe("0.1");
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      const s = formatNumber(n);
      expect(s).not.toMatch(/e/i);
      expect(Number(s)).toBe(Object.is(n, -0) ? 0 : n);
    }));
  });

  it("compare structurally and order values totally", () => {
    expect(valuesEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(valuesEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(valuesEqual([1], { 0: 1 })).toBe(false);
    expect([3, "b", null, true, [1], "a", 1].sort(compareValues)).toEqual([null, true, 1, 3, "a", "b", [1]]);
  });

  it("unify mixed primitives to strings", () => {
    expect(unifyPrimitives([1, "a", null])).toEqual(["1", "a", null]);
    expect(unifyPrimitives([[1], [2]])).toEqual([[1], [2]]);
    expect(unifyPrimitives([[1], "a"])).toBeUndefined();
  });

  it("replace the failure marker by null everywhere", () => {
    expect(withoutPoison([1, POISON, { a: POISON, b: [POISON] }])).toEqual([1, null, { a: null, b: [null] }]);
    expect(withoutPoison(POISON)).toBeNull();
  });
});
