import { describe, expect, it } from "vitest";
import { failure, ok } from "./function-test-support.js";
import { MAX_RANGE } from "./collection-functions.js";

describe("collection functions", () => {
  it("length of strings (in characters), lists and maps", () => {
    expect(ok("length", "héllo")).toBe(5);
    expect(ok("length", "👍🏽x")).toBe(2);
    expect(ok("length", [1, 2, 3])).toBe(3);
    expect(ok("length", { a: 1 })).toBe(1);
    expect(failure("length", 5)).toMatchObject({ start: 10, message: expect.stringContaining("a string, list or map") });
  });

  it("keys and values, in sorted key order", () => {
    expect(ok("keys", { b: 1, a: 2 })).toEqual(["a", "b"]);
    expect(ok("values", { b: 1, a: 2 })).toEqual([2, 1]);
    expect(failure("keys", ["a"]).message).toContain("a map");
  });

  it("lookup with and without a default", () => {
    expect(ok("lookup", { a: 1 }, "a")).toBe(1);
    expect(ok("lookup", { a: 1 }, "b", 0)).toBe(0);
    expect(ok("lookup", { a: 1 }, "b", null)).toBeNull();
    expect(ok("lookup", { constructor: 1 }, "constructor")).toBe(1);
    expect(ok("lookup", {}, "toString", "d")).toBe("d");
    expect(failure("lookup", { prod: 1 }, "prd")).toMatchObject({ start: 20, message: 'lookup(): no key "prd" in the map; did you mean "prod"?' });
    expect(failure("lookup", { a: 1 }).message).toContain("expects 2 to 3 arguments, got 1");
  });

  it("merge, last wins, nulls skipped", () => {
    expect(ok("merge", { a: 1, b: 1 }, null, { b: 2 })).toEqual({ a: 1, b: 2 });
    expect(ok("merge")).toEqual({});
    expect(failure("merge", { a: 1 }, [1])).toMatchObject({ start: 20 });
  });

  it("concat", () => {
    expect(ok("concat", [1], [], [[2], 3])).toEqual([1, [2], 3]);
    expect(failure("concat", [1], "x").message).toContain('argument 2 (one of "lists") must be a list');
  });

  it("contains and distinct, comparing like HCL", () => {
    expect(ok("contains", ["a", "b"], "b")).toBe(true);
    expect(ok("contains", [{ a: [1] }], { a: [1] })).toBe(true);
    expect(ok("contains", ["1"], 1)).toBe(true);
    expect(ok("contains", ["a"], "c")).toBe(false);
    expect(ok("distinct", ["b", "a", "b", 1, "1"])).toEqual(["b", "a", 1]);
  });

  it("flatten, recursively", () => {
    expect(ok("flatten", [[1, [2, [3]]], [], 4])).toEqual([1, 2, 3, 4]);
  });

  it("coalesce", () => {
    expect(ok("coalesce", null, "", "x", "y")).toBe("x");
    expect(ok("coalesce", 0)).toBe(0);
    expect(failure("coalesce", null, "").message).toContain("all arguments are null or empty");
    expect(failure("coalesce").message).toContain("at least 1 argument");
  });

  it("element, wrapping around", () => {
    expect(ok("element", ["a", "b", "c"], 1)).toBe("b");
    expect(ok("element", ["a", "b", "c"], 4)).toBe("b");
    expect(failure("element", [], 0).message).toContain("empty");
    expect(failure("element", ["a"], -1)).toMatchObject({ start: 20 });
  });

  it("range, with one, two or three arguments", () => {
    expect(ok("range", 3)).toEqual([0, 1, 2]);
    expect(ok("range", -2)).toEqual([0, -1]);
    expect(ok("range", 1, 4)).toEqual([1, 2, 3]);
    expect(ok("range", 4, 1)).toEqual([4, 3, 2]);
    expect(ok("range", 0, 1, 0.25)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(failure("range", 0, 5, 0)).toMatchObject({ start: 30 });
    expect(failure("range", MAX_RANGE + 1).message).toContain(`more than ${MAX_RANGE}`);
  });

  it("compact, reverse, sort, slice and zipmap", () => {
    expect(ok("compact", ["a", "", null, 1])).toEqual(["a", "1"]);
    expect(ok("reverse", [1, 2, 3])).toEqual([3, 2, 1]);
    expect(ok("sort", ["b", "a", "C", 10, 9])).toEqual(["10", "9", "C", "a", "b"]);
    expect(failure("sort", [["x"]]).message).toContain("element 0");
    expect(ok("slice", ["a", "b", "c", "d"], 1, 3)).toEqual(["b", "c"]);
    expect(failure("slice", ["a"], 0, 2)).toMatchObject({ start: 30 });
    expect(failure("slice", ["a", "b"], 2, 1).message).toContain("after the end");
    expect(ok("zipmap", ["a", "b"], [1, 2])).toEqual({ a: 1, b: 2 });
    expect(failure("zipmap", ["a"], []).message).toContain("different lengths");
  });
});
