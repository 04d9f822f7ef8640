// Parsing HCL expressions and templates (the subset crossvault's configuration uses) into the AST of types.ts.
// Never throws: a syntax problem comes back as one EvalError with code "syntax", located by 0-based offsets
// into the given text.
import type { EvalError, Expr } from "./types.js";
import { Parser, SyntaxFailure, syntaxError } from "./parser.js";
import { describeToken } from "./lexer.js";

export { MAX_HEIGHT, MAX_NESTING, SPLAT_VAR } from "./parser.js";

export interface ParseResult {
  expr?: Expr;
  error?: EvalError;
}

/** Parses an HCL expression such as `var.x > 3 ? "a" : "b"`. */
export function parseExpression(text: string): ParseResult {
  return run(text, (p) => {
    const expr = p.parseExpr();
    const extra = p.peek();
    if (extra.kind === "invalid") p.fail(extra.text, extra);
    if (extra.kind !== "eof") p.fail(`Extra characters after expression: found ${describeToken(extra)}.`, extra,
      "An expression ends here; check for a missing operator, comma or bracket.");
    return expr;
  });
}

/**
 * Parses template source as hcl2json hands it back (`"a-${var.x}"`, `"${[1, 2]}"`, `"$${literal}"`). A template
 * that is exactly one interpolation yields that expression, so `"${[1, 2]}"` is a list, as in HCL.
 */
export function parseTemplate(text: string): ParseResult {
  // Most configuration strings are plain text; without "${" or "%{" there is nothing to parse (escapes included).
  if (typeof text === "string" && !text.includes("${") && !text.includes("%{")) {
    return { expr: { type: "literal", value: text, start: 0, end: text.length } };
  }
  return run(text, (p) => p.template(0, "raw", { start: 0, end: text.length }));
}

function run(text: string, body: (p: Parser) => Expr): ParseResult {
  const p = new Parser(String(text));
  try {
    return { expr: body(p) };
  } catch (err) {
    if (err instanceof SyntaxFailure) return { error: err.error };
    if (err instanceof RangeError) {
      return { error: syntaxError("Expression too complex: it is nested too deeply to parse.", { start: 0, end: text.length }) };
    }
    // A bug must not take the caller down with it; report it so that it can be fixed.
    const reason = err instanceof Error ? err.message : String(err);
    return { error: { code: "internal", message: `Internal error while parsing the expression: ${reason}`, start: 0, end: text.length } };
  }
}

