import { describe, expect, it } from "vitest";
import { failure, ok } from "./function-test-support.js";

describe("numeric functions", () => {
  it("abs, ceil and floor", () => {
    expect(ok("abs", -3.5)).toBe(3.5);
    expect(ok("abs", "4")).toBe(4);
    expect(ok("ceil", 1.2)).toBe(2);
    expect(ok("floor", -1.2)).toBe(-2);
    expect(failure("abs", "x")).toMatchObject({ start: 10, message: 'abs(): argument 1 ("number") must be a number, got string "x"' });
  });

  it("min and max over one or more numbers", () => {
    expect(ok("min", 3, 1, 2)).toBe(1);
    expect(ok("max", 3, "10", 2)).toBe(10);
    expect(failure("max").message).toBe("max(): expects at least 1 argument, got 0");
    expect(failure("min", 1, [2])).toMatchObject({ start: 20 });
  });

  it("sum of a list", () => {
    expect(ok("sum", [1, 2, "3"])).toBe(6);
    expect(ok("sum", [])).toBe(0);
    expect(failure("sum", [1, "x"]).message).toContain("element 1");
  });
});
