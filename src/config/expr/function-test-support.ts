// Calls a built-in function directly, as the evaluator would, for the function modules' unit tests.
import type { EvalError, Value } from "./types.js";
import { builtinFunctions } from "./functions.js";
import { isEvalError } from "./errors.js";

const span = { start: 0, end: 100 };

export function call(name: string, ...args: Value[]): Value | EvalError {
  const fn = builtinFunctions[name];
  if (!fn) throw new Error(`no built-in function ${name}`);
  return fn(args, span, args.map((_, i) => ({ start: 10 * (i + 1), end: 10 * (i + 1) + 5 })));
}

/** The value of a call that must succeed. */
export function ok(name: string, ...args: Value[]): Value {
  const r = call(name, ...args);
  if (isEvalError(r)) throw new Error(`${name} failed: ${r.message}`);
  return r;
}

/** The error of a call that must fail. */
export function failure(name: string, ...args: Value[]): EvalError {
  const r = call(name, ...args);
  if (!isEvalError(r)) throw new Error(`${name} did not fail: ${JSON.stringify(r)}`);
  return r;
}
