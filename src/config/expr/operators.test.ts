import { describe, expect, it } from "vitest";
import { binaryOp, decidesAlone, isFailure, logicalOp, unaryOp } from "./operators.js";
import { POISON } from "./convert.js";
import type { UnknownValue } from "./types.js";

const unknown: UnknownValue = { $unknown: "after-apply", reason: "r" };

describe("operators", () => {
  it("compute every binary operator", () => {
    expect([binaryOp("+", 2, 3), binaryOp("-", 2, 3), binaryOp("*", 2, 3), binaryOp("/", 3, 2), binaryOp("%", -7, 3)]).toEqual([5, -1, 6, 1.5, -1]);
    expect([binaryOp("<", 1, 2), binaryOp("<=", 2, 2), binaryOp(">", 1, 2), binaryOp(">=", 1, 2)]).toEqual([true, true, false, false]);
    expect([binaryOp("==", [1], [1]), binaryOp("!=", "a", "a"), binaryOp("&&", true, false), binaryOp("||", false, true)]).toEqual([true, false, false, true]);
  });

  it("say which operand is at fault", () => {
    expect(binaryOp("+", "a", 1)).toMatchObject({ failure: true, at: "left", code: "type-mismatch" });
    expect(binaryOp("*", 1, null)).toMatchObject({ failure: true, at: "right" });
    expect(binaryOp("/", 1, 0)).toMatchObject({ failure: true, at: "right", code: "division-by-zero" });
    expect(binaryOp("*", 1e308, 1e308)).toMatchObject({ failure: true, at: "whole", code: "number-overflow" });
    expect(logicalOp("&&", true, 1)).toMatchObject({ failure: true, at: "right" });
    expect(unaryOp("!", 1)).toMatchObject({ failure: true, at: "whole" });
    expect(isFailure(binaryOp("+", 1, 1))).toBe(false);
    expect(isFailure({ failure: true })).toBe(false);
  });

  it("pass unknowns and the failure marker through, the marker first", () => {
    expect(binaryOp("+", unknown, 1)).toBe(unknown);
    expect(binaryOp("==", [unknown], [1])).toBe(unknown);
    expect(binaryOp("+", unknown, POISON)).toBe(POISON);
    expect(unaryOp("-", unknown)).toBe(unknown);
    expect(logicalOp("||", unknown, true)).toBe(unknown);
  });

  it("negate without producing -0, and know when the left side decides", () => {
    expect(Object.is(unaryOp("-", 0), 0)).toBe(true);
    expect(unaryOp("!", "false")).toBe(true);
    expect([decidesAlone("&&", false), decidesAlone("&&", true), decidesAlone("||", "true"), decidesAlone("||", unknown)]).toEqual([true, false, true, false]);
  });
});
