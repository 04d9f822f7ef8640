import { describe, expect, it } from "vitest";
import { callError, evalError, isEvalError } from "./errors.js";

describe("EvalError recognition", () => {
  it("recognises errors made here, and hand-made ones by their exact shape", () => {
    expect(isEvalError(evalError({ start: 1, end: 2 }, "x", "msg", "hint"))).toBe(true);
    expect(isEvalError(callError({ start: 1, end: 2 }, "msg"))).toBe(true);
    expect(callError({ start: 1, end: 2 }, "msg")).toEqual({ start: 1, end: 2, code: "invalid-argument", message: "msg" });
    expect(isEvalError({ start: 0, end: 1, code: "c", message: "m" })).toBe(true);
  });

  it("does not mistake map values for errors", () => {
    expect(isEvalError({ start: 0, end: 1, code: "c", message: "m", extra: 1 })).toBe(false);
    expect(isEvalError({ start: "0", end: 1, code: "c", message: "m" })).toBe(false);
    expect(isEvalError({ code: "c", message: "m" })).toBe(false);
    expect(isEvalError(null)).toBe(false);
    expect(isEvalError(["start"])).toBe(false);
    expect(isEvalError("error")).toBe(false);
  });
});
