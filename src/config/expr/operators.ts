// HCL's operators on values: arithmetic and comparison on numbers (strings that spell numbers convert),
// logic on bools ("true"/"false" convert), structural equality. Unknown operands give an unknown result.
import type { BinaryOp, Value } from "./types.js";
import { blocker, deepBlocker, describe, formatNumber, toBool, toNumber, typeName, valuesEqual } from "./convert.js";

export class OpFailure {
  readonly failure = true;
  constructor(
    readonly code: string,
    readonly message: string,
    /** Which operand is at fault, for the error's location. */
    readonly at: "left" | "right" | "whole",
    readonly hint?: string,
  ) {}
}

export function isFailure(v: Value | OpFailure): v is OpFailure {
  return v instanceof OpFailure;
}

function failure(at: OpFailure["at"], code: string, message: string, hint?: string): OpFailure {
  return new OpFailure(code, message, at, hint);
}

function operandName(at: "left" | "right" | "whole", op: string): string {
  return at === "whole" ? `the operand of "${op}"` : `the ${at} operand of "${op}"`;
}

function needNumber(v: Value, at: "left" | "right" | "whole", op: string): number | OpFailure {
  const n = toNumber(v);
  if (n !== undefined) return n;
  const hint = op === "+" && typeof v === "string"
    ? 'HCL adds numbers only; to join strings, use a template ("${a}${b}") or join("", [a, b]).'
    : undefined;
  return failure(at, "type-mismatch", `Invalid operand: ${operandName(at, op)} must be a number, got ${typeName(v)} ${describe(v)}.`, hint);
}

function needBool(v: Value, at: "left" | "right" | "whole", op: string): boolean | OpFailure {
  const b = toBool(v);
  if (b !== undefined) return b;
  return failure(at, "type-mismatch", `Invalid operand: ${operandName(at, op)} must be a bool, got ${typeName(v)} ${describe(v)}.`);
}

/** `&&` and `||` once both sides are evaluated (the evaluator short-circuits a known deciding left side). */
export function logicalOp(op: "&&" | "||", left: Value, right: Value): Value | OpFailure {
  const stop = blocker(left, right);
  if (stop) return stop;
  const l = needBool(left, "left", op);
  if (typeof l !== "boolean") return l;
  const r = needBool(right, "right", op);
  if (typeof r !== "boolean") return r;
  return op === "&&" ? l && r : l || r;
}

/** Whether a known left operand already decides `&&`/`||` (HCL short-circuits these). */
export function decidesAlone(op: "&&" | "||", left: Value): boolean {
  const l = toBool(left);
  return (op === "&&" && l === false) || (op === "||" && l === true);
}

export function binaryOp(op: BinaryOp, left: Value, right: Value): Value | OpFailure {
  if (op === "&&" || op === "||") return logicalOp(op, left, right);
  if (op === "==" || op === "!=") {
    const stop = blocker(deepBlocker(left) ?? null, deepBlocker(right) ?? null);
    if (stop) return stop;
    return valuesEqual(left, right) === (op === "==");
  }
  const stop = blocker(left, right);
  if (stop) return stop;
  const l = needNumber(left, "left", op);
  if (typeof l !== "number") return l;
  const r = needNumber(right, "right", op);
  if (typeof r !== "number") return r;
  let result: number | boolean;
  switch (op) {
    case "<": return l < r;
    case "<=": return l <= r;
    case ">": return l > r;
    case ">=": return l >= r;
    case "+": result = l + r; break;
    case "-": result = l - r; break;
    case "*": result = l * r; break;
    case "/":
    case "%":
      if (r === 0) return failure("right", "division-by-zero", `Invalid operand: ${op === "/" ? "division" : "modulo"} by zero (${formatNumber(l)} ${op} 0).`);
      result = op === "/" ? l / r : l % r;
      break;
  }
  if (!Number.isFinite(result)) return failure("whole", "number-overflow", `The result of ${formatNumber(l)} ${op} ${formatNumber(r)} is too large to represent.`);
  return result;
}

export function unaryOp(op: "!" | "-", operand: Value): Value | OpFailure {
  const stop = blocker(operand);
  if (stop) return stop;
  if (op === "!") {
    const b = needBool(operand, "whole", "!");
    return typeof b === "boolean" ? !b : b;
  }
  const n = needNumber(operand, "whole", "-");
  return typeof n === "number" ? (n === 0 ? 0 : -n) : n;
}
