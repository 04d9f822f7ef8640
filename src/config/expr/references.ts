// The static references of an expression, for the config layer's dependency graph and cycle detection.
import type { Expr, Span } from "./types.js";
import { childExprs } from "./ast.js";

export interface Reference {
  root: string;
  /** Leading attribute names and literal index keys (as strings), up to the first computed index. */
  path: string[];
  /** From the root to the last step in `path`. */
  span: Span;
}

/** Every traversal in the expression, in source order; for-expression variables are not references. */
export function references(expr: Expr): Reference[] {
  const out: Reference[] = [];
  collect(expr, new Set(), out);
  return out;
}

function collect(e: Expr, bound: ReadonlySet<string>, out: Reference[]): void {
  if (e.type === "traversal") {
    if (!bound.has(e.root)) out.push(reference(e));
    for (const s of e.steps) if (s.kind === "index") collect(s.key, bound, out);
    return;
  }
  if (e.type === "for") {
    collect(e.collection, bound, out);
    const inner = new Set(bound);
    inner.add(e.valueVar);
    if (e.keyVar !== undefined) inner.add(e.keyVar);
    if (e.keyExpr) collect(e.keyExpr, inner, out);
    collect(e.valueExpr, inner, out);
    if (e.condition) collect(e.condition, inner, out);
    return;
  }
  for (const child of childExprs(e)) collect(child, bound, out);
}

function reference(e: Expr & { type: "traversal" }): Reference {
  const path: string[] = [];
  let end = e.start + e.root.length;
  for (const s of e.steps) {
    if (s.kind === "attr") {
      path.push(s.name);
    } else {
      const key = literalKey(s.key);
      if (key === undefined) break;
      path.push(key);
    }
    end = s.end;
  }
  return { root: e.root, path, span: { start: e.start, end } };
}

function literalKey(e: Expr): string | undefined {
  if (e.type === "parens") return literalKey(e.inner);
  if (e.type !== "literal") return undefined;
  return typeof e.value === "string" ? e.value : typeof e.value === "number" ? String(e.value) : undefined;
}
