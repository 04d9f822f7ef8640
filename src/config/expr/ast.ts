// Structural walks over the expression AST that several modules need (the parser's height limit, references).
import type { Expr } from "./types.js";

/** The direct sub-expressions of a node, in source order. */
export function childExprs(e: Expr): Expr[] {
  switch (e.type) {
    case "literal":
      return [];
    case "template":
      return e.parts.filter((p): p is Expr => typeof p !== "string");
    case "traversal":
      return e.steps.flatMap((s) => (s.kind === "index" ? [s.key] : []));
    case "tuple":
      return e.items;
    case "object":
      return e.items.flatMap((i) => [i.key, i.value]);
    case "call":
      return e.args;
    case "conditional":
      return [e.condition, e.then, e.else];
    case "binary":
      return [e.left, e.right];
    case "unary":
      return [e.operand];
    case "index":
      return [e.target, e.key];
    case "getattr":
      return [e.target];
    case "for":
      return [e.collection, ...(e.keyExpr ? [e.keyExpr] : []), e.valueExpr, ...(e.condition ? [e.condition] : [])];
    case "parens":
      return [e.inner];
    case "templateJoin":
      return [e.tuple];
  }
}

/** Calls `visit` on each direct sub-expression without building an array (the parser does this per node). */
export function forEachChild(e: Expr, visit: (child: Expr) => void): void {
  switch (e.type) {
    case "literal":
      return;
    case "traversal":
      for (const s of e.steps) if (s.kind === "index") visit(s.key);
      return;
    case "binary":
      visit(e.left);
      visit(e.right);
      return;
    case "unary":
      visit(e.operand);
      return;
    case "parens":
      visit(e.inner);
      return;
    default:
      for (const c of childExprs(e)) visit(c);
  }
}
