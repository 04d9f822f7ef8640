// Building and recognising EvalErrors. A function returns either a Value or an EvalError, and a map value
// could in principle have the same fields, so errors made here are remembered by identity; hand-made error
// objects (from functions the config layer adds) are recognised by their exact shape.
import type { EvalError, Span } from "./types.js";

const made = new WeakSet<object>();

export function evalError(span: Span, code: string, message: string, hint?: string): EvalError {
  const err: EvalError = hint === undefined
    ? { start: span.start, end: span.end, code, message }
    : { start: span.start, end: span.end, code, message, hint };
  made.add(err);
  return err;
}

/** An error a function returns: code "invalid-argument" unless told otherwise. */
export function callError(span: Span, message: string, hint?: string, code = "invalid-argument"): EvalError {
  return evalError(span, code, message, hint);
}

const errorKeys = new Set(["start", "end", "code", "message", "hint"]);

export function isEvalError(x: unknown): x is EvalError {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  if (made.has(x)) return true;
  const o = x as Record<string, unknown>;
  return typeof o.message === "string" && typeof o.code === "string" && typeof o.start === "number"
    && typeof o.end === "number" && (o.hint === undefined || typeof o.hint === "string")
    && Object.keys(o).every((k) => errorKeys.has(k));
}
