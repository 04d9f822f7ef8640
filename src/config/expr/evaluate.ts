// The evaluator: HCL semantics over the AST, with references resolved lazily through an EvalScope.
// - Errors are collected, never thrown, and each is reported once. The value of a failed sub-expression is null
//   in the result; inside the evaluation it is a marker that later operations pass on silently (one mistake,
//   one error). A for expression stops at its first failing element.
// - Unknown values (known after apply / after refresh) pass through every operation, call, template and index
//   that touches them, without errors; the first reason is kept. Lists and maps may hold unknown elements, but a
//   call whose arguments contain an unknown anywhere is unknown (the function is not called).
// - A conditional evaluates only the chosen branch, and does not unify the branch types (HCL would make
//   `true ? 1 : "a"` the string "1"); an unknown condition makes the result unknown. `&&` and `||` skip their
//   right side when the left side decides.
// - A for expression iterates a map in key order; a set (a sorted list) binds the key variable to the index.
import type { EvalError, EvalResult, EvalScope, Expr, FunctionImpl, ResolvedStep, Span, TraversalStep, UnknownValue, Value } from "./types.js";
import { isUnknown } from "./types.js";
import { POISON, blocker, canonicalJson, deepBlocker, describe, hasEntry, isList, isMap, setEntry, toBool, toNumber, toText, typeName,
  withoutPoison, type ValueMap } from "./convert.js";
import { binaryOp, decidesAlone, isFailure, logicalOp, unaryOp, type OpFailure } from "./operators.js";
import { evalError, isEvalError } from "./errors.js";
import { didYouMean } from "./suggest.js";
import { SPLAT_VAR } from "./parse.js";
import { builtinFunctions } from "./functions.js";

export { references, type Reference } from "./references.js";

export function evaluate(expr: Expr, scope: EvalScope, functions: Record<string, FunctionImpl> = builtinFunctions): EvalResult {
  const run = new Evaluation(scope, functions);
  let value: Value;
  try {
    value = run.eval(expr);
  } catch (err) {
    if (!(err instanceof RangeError && /call stack/i.test(err.message))) throw err;
    run.fail(expr, "too-complex", "The expression is nested too deeply to evaluate.", "Split it into locals.");
    value = POISON;
  }
  return { value: run.errors.length > 0 ? withoutPoison(value) : value, errors: run.errors };
}

/** The most attribute names or keys an error message lists. */
const LISTED = 10;

function listNames(names: string[]): string {
  const sorted = [...names].sort();
  return sorted.slice(0, LISTED).map((n) => JSON.stringify(n)).join(", ") + (sorted.length > LISTED ? `, ... (${sorted.length} in all)` : "");
}

class Evaluation {
  readonly errors: EvalError[] = [];
  private readonly seen = new Set<string>();
  /** For-expression variables, innermost last. */
  private readonly frames: Array<Map<string, Value>> = [];

  constructor(private readonly scope: EvalScope, private readonly functions: Record<string, FunctionImpl>) {}

  fail(span: Span, code: string, message: string, hint?: string): Value {
    this.report(evalError(span, code, message, hint));
    return POISON;
  }

  private report(err: EvalError): void {
    const key = `${err.start}:${err.end}:${err.code}:${err.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push(err);
  }

  private failOp(f: OpFailure, whole: Span, left: Span, right: Span): Value {
    return this.fail(f.at === "left" ? left : f.at === "right" ? right : whole, f.code, f.message, f.hint);
  }

  eval(e: Expr): Value {
    switch (e.type) {
      case "literal":
        return e.value;
      case "parens":
        return this.eval(e.inner);
      case "template":
        return this.template(e.parts);
      case "templateJoin": {
        const items = this.eval(e.tuple);
        const stop = deepBlocker(items);
        if (stop) return stop;
        return isList(items) ? items.map((i) => toText(i) ?? "").join("") : this.fail(e, "type-mismatch", "A template for directive needs a list.");
      }
      case "traversal":
        return this.traversal(e);
      case "tuple":
        return e.items.map((item) => this.eval(item));
      case "object":
        return this.object(e.items);
      case "call":
        return this.call(e);
      case "conditional":
        return this.conditional(e.condition, e.then, e.else);
      case "binary": {
        const left = this.eval(e.left);
        if ((e.op === "&&" || e.op === "||") && decidesAlone(e.op, left)) return toBool(left)!;
        const right = this.eval(e.right);
        const r = e.op === "&&" || e.op === "||" ? logicalOp(e.op, left, right) : binaryOp(e.op, left, right);
        return isFailure(r) ? this.failOp(r, e, e.left, e.right) : r;
      }
      case "unary": {
        const r = unaryOp(e.op, this.eval(e.operand));
        return isFailure(r) ? this.failOp(r, e.operand, e.operand, e.operand) : r;
      }
      case "index":
        return this.index(this.eval(e.target), this.eval(e.key), e, e.key, "");
      case "getattr":
        return this.attr(this.eval(e.target), e.name, e, "");
      case "for":
        return this.forExpr(e);
    }
  }

  private local(name: string): Value | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i]!;
      if (frame.has(name)) return frame.get(name)!;
    }
    return undefined;
  }

  private traversal(e: Expr & { type: "traversal" }): Value {
    // Index keys first: the scope receives them evaluated.
    const keys = e.steps.map((s) => (s.kind === "index" ? this.eval(s.key) : null));
    const bound = this.local(e.root);
    if (bound !== undefined) return this.applySteps(bound, e, keys, 0);
    const resolved: ResolvedStep[] = [];
    for (const [i, s] of e.steps.entries()) {
      if (s.kind === "attr") {
        resolved.push({ kind: "attr", name: s.name, start: s.start, end: s.end });
      } else {
        const key = keys[i]!;
        if (blocker(key)) break; // the scope only sees known keys; the evaluator handles the rest
        resolved.push({ kind: "index", key, start: s.start, end: s.end });
      }
    }
    const r = this.scope.resolve(e.root, resolved, { start: e.start, end: e.end });
    if (!r.ok) {
      this.report(r.error);
      return POISON;
    }
    return this.applySteps(r.value, e, keys, Math.max(0, Math.min(r.consumed, resolved.length)));
  }

  private applySteps(value: Value, e: Expr & { type: "traversal" }, keys: Value[], from: number): Value {
    let v = value;
    for (let i = from; i < e.steps.length && v !== POISON; i++) {
      const s = e.steps[i]!;
      const where = pathText(e.root, e.steps.slice(0, i), keys);
      v = s.kind === "attr" ? this.attr(v, s.name, s, where) : this.index(v, keys[i]!, s, s.key, where);
    }
    return v;
  }

  private attr(target: Value, name: string, span: Span, where: string): Value {
    const stop = blocker(target);
    if (stop) return stop;
    const of = where ? ` of ${where}` : "";
    if (isMap(target)) {
      if (hasEntry(target, name)) return target[name]!;
      const names = Object.keys(target);
      return this.fail(span, "no-attribute", `no attribute "${name}"${where ? ` in ${where}` : ""}${didYouMean(name, names)}`,
        names.length ? `Available: ${listNames(names)}.` : "It has no attributes.");
    }
    if (target === null) return this.fail(span, "null-value", `cannot read attribute "${name}"${of}: the value is null`);
    if (isList(target)) {
      return this.fail(span, "type-mismatch", `cannot read attribute "${name}"${of}: it is a list, not a map`,
        `Pick one element first ([0]), or use a splat ([*].${name}) to read it from every element.`);
    }
    return this.fail(span, "type-mismatch", `cannot read attribute "${name}"${of}: it is a ${typeName(target)} (${describe(target)})`);
  }

  private index(target: Value, key: Value, span: Span, keySpan: Span, where: string): Value {
    const stop = blocker(target, key);
    if (stop) return stop;
    const of = where ? ` ${where}` : " the value";
    if (target === null) return this.fail(span, "null-value", `cannot index${of}: it is null`);
    if (key === null) return this.fail(keySpan, "null-value", "the index key is null");
    if (isList(target)) {
      const n = toNumber(key);
      if (n === undefined || !Number.isInteger(n)) {
        return this.fail(keySpan, "type-mismatch", `a list index must be a whole number, got ${typeName(key)} ${describe(key)}`,
          isMap(key) || isList(key) ? undefined : "Lists are indexed by position from 0; maps by key.");
      }
      if (n < 0 || n >= target.length) {
        return this.fail(keySpan, "index-out-of-range", `index ${n} is out of range for${of}, a list of ${target.length} element${target.length === 1 ? "" : "s"}`,
          target.length ? `Valid indexes are 0 to ${target.length - 1}.` : "The list is empty.");
      }
      return target[n]!;
    }
    if (isMap(target)) {
      const k = toText(key);
      if (k === undefined) return this.fail(keySpan, "type-mismatch", `a map key must be a string, got ${typeName(key)}`);
      if (hasEntry(target, k)) return target[k]!;
      const names = Object.keys(target);
      return this.fail(keySpan, "no-key", `no element with key "${k}" in${of}${didYouMean(k, names)}`,
        names.length ? `Keys: ${listNames(names)}.` : "The map is empty.");
    }
    return this.fail(span, "type-mismatch", `cannot index${of}: it is a ${typeName(target)} (${describe(target)}), not a list or map`);
  }

  private template(parts: Array<string | Expr>): Value {
    let text = "";
    let stop: UnknownValue | undefined;
    for (const part of parts) {
      if (typeof part === "string") {
        text += part;
        continue;
      }
      const v = this.eval(part);
      const b = blocker(v);
      if (b) {
        stop = blocker(stop ?? null, b);
        continue;
      }
      const s = toText(v);
      if (s !== undefined) {
        text += s;
      } else if (v === null) {
        stop = this.fail(part, "null-value", "Invalid template interpolation value: the value is null.",
          'Give a default with coalesce(value, "") or a conditional.') as UnknownValue;
      } else {
        stop = this.fail(part, "type-mismatch", `Invalid template interpolation value: cannot put a ${typeName(v)} into a string (${describe(v)}).`,
          'Use join(", ", list) for a list, or jsonencode(value) for any value.') as UnknownValue;
      }
    }
    return stop ?? text;
  }

  private object(items: Array<{ key: Expr; value: Expr }>): Value {
    const out: ValueMap = {};
    let stop: UnknownValue | undefined;
    for (const item of items) {
      const key = this.eval(item.key);
      const value = this.eval(item.value);
      const b = blocker(key);
      if (b) {
        stop = blocker(stop ?? null, b);
        continue;
      }
      const k = toText(key);
      if (k === undefined) {
        this.fail(item.key, key === null ? "null-value" : "type-mismatch", `An object key must be a string, got ${typeName(key)} ${describe(key)}.`);
        continue;
      }
      setEntry(out, k, value);
    }
    return stop ?? out;
  }

  private call(e: Expr & { type: "call" }): Value {
    const args = e.args.map((a) => this.eval(a));
    const argSpans: Span[] = e.args.map((a) => ({ start: a.start, end: a.end }));
    const nameSpan = { start: e.start, end: e.start + e.name.length };
    const fn = Object.hasOwn(this.functions, e.name) ? this.functions[e.name] : undefined;
    if (typeof fn !== "function") {
      return this.fail(nameSpan, "unknown-function", `Call to unknown function "${e.name}"${didYouMean(e.name, Object.keys(this.functions))}`,
        "The functions are listed in docs/configuration.md.");
    }
    if (e.expandFinal && args.length > 0) {
      const last = args.pop()!;
      const lastSpan = argSpans.pop()!;
      const b = blocker(last);
      if (b) return b;
      if (!isList(last)) return this.fail(lastSpan, "type-mismatch", `The ... expansion needs a list as the last argument, got ${typeName(last)}.`);
      args.push(...last);
      argSpans.push(...last.map(() => lastSpan));
    }
    const stop = blocker(...args.map((a) => deepBlocker(a) ?? null));
    if (stop) return stop;
    let result: Value | EvalError;
    try {
      result = fn(args, { start: e.start, end: e.end }, argSpans);
    } catch (err) {
      return this.fail(e, "function-failed", `Call to function "${e.name}" failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (isEvalError(result)) {
      this.report(result);
      return POISON;
    }
    return result;
  }

  private conditional(condition: Expr, then: Expr, otherwise: Expr): Value {
    const c = this.eval(condition);
    const stop = blocker(c);
    if (stop) return stop;
    const b = toBool(c);
    if (b === undefined) {
      return this.fail(condition, c === null ? "null-value" : "type-mismatch", `The condition must be a bool, got ${typeName(c)} ${describe(c)}.`,
        c === null ? "Compare it explicitly, like x != null." : undefined);
    }
    return this.eval(b ? then : otherwise);
  }

  private forExpr(e: Expr & { type: "for" }): Value {
    const coll = this.eval(e.collection);
    const stop = blocker(coll);
    if (stop) return stop;
    let entries: Array<[Value, Value]>;
    if (e.valueVar === SPLAT_VAR) {
      // A splat over a single value treats it as a one-element list; over null, as an empty one (as in HCL).
      entries = isList(coll) ? coll.map((v, i) => [i, v]) : coll === null ? [] : [[0, coll]];
    } else if (isList(coll)) {
      entries = coll.map((v, i) => [i, v]);
    } else if (isMap(coll)) {
      entries = Object.keys(coll).sort().map((k) => [k, coll[k]!]);
    } else {
      return this.fail(e.collection, coll === null ? "null-value" : "type-mismatch",
        `A for expression needs a list, set or map to iterate over, got ${typeName(coll)} ${describe(coll)}.`);
    }
    const tuple: Value[] = [];
    const object: ValueMap = {};
    const groups = new Map<string, Value[]>();
    let result: UnknownValue | undefined;
    for (const [k, v] of entries) {
      const before = this.errors.length;
      this.frames.push(new Map(e.keyVar === undefined ? [[e.valueVar, v]] : [[e.keyVar, k], [e.valueVar, v]]));
      try {
        result = blocker(result ?? null, this.forItem(e, tuple, object, groups) ?? null);
      } finally {
        this.frames.pop();
      }
      // One broken item is enough to show; the others would most likely repeat it.
      if (this.errors.length > before) return POISON;
    }
    if (result) return result;
    if (e.kind === "tuple") return tuple;
    if (e.grouping) for (const [k, list] of groups) setEntry(object, k, list);
    return object;
  }

  /** Adds one item; returns an unknown when the item makes the whole result unknown. */
  private forItem(e: Expr & { type: "for" }, tuple: Value[], object: ValueMap, groups: Map<string, Value[]>): UnknownValue | undefined {
    if (e.condition) {
      const c = this.eval(e.condition);
      const b = blocker(c);
      if (b) return b;
      const keep = toBool(c);
      if (keep === undefined) {
        this.fail(e.condition, "type-mismatch", `The if condition of a for expression must be a bool, got ${typeName(c)} ${describe(c)}.`);
        return undefined;
      }
      if (!keep) return undefined;
    }
    if (e.kind === "tuple") {
      tuple.push(this.eval(e.valueExpr));
      return undefined;
    }
    const key = this.eval(e.keyExpr!);
    const value = this.eval(e.valueExpr);
    const b = blocker(key);
    if (b) return b;
    const k = toText(key);
    if (k === undefined) {
      this.fail(e.keyExpr!, "type-mismatch", `A for expression's key must be a string, got ${typeName(key)} ${describe(key)}.`);
    } else if (e.grouping) {
      const list = groups.get(k);
      if (list) list.push(value);
      else groups.set(k, [value]);
    } else if (hasEntry(object, k)) {
      this.fail(e.keyExpr!, "duplicate-key", `Duplicate key "${k}" in a for expression.`,
        "Make the keys unique, or add ... after the value expression to group the values by key: {for k, v in m : key => v...}.");
    } else {
      setEntry(object, k, value);
    }
    return undefined;
  }
}

/** `account.prod`, `vault.local["prod"]`: the traversal so far, for messages. */
function pathText(root: string, steps: TraversalStep[], keys: Value[]): string {
  let text = root === SPLAT_VAR ? "each element" : root;
  steps.forEach((s, i) => {
    if (s.kind === "attr") text += `.${s.name}`;
    else {
      const k = keys[i]!;
      text += isUnknown(k) ? "[?]" : `[${canonicalJson(k)}]`;
    }
  });
  return text;
}
