// The expression language's contract: AST, values and the evaluation scope.
// hcl2json hands every expression back as a `${...}` string (and every quoted string as template source),
// so crossvault parses and evaluates expressions itself. Offsets are 0-based indexes into the text given
// to the parser; the config layer maps them to file:line:col.

export interface Span {
  start: number;
  end: number;
}

export type Expr =
  | (Span & { type: "literal"; value: string | number | boolean | null })
  /** A string with interpolations: parts are literal text or expressions (`"a-${var.x}"`). */
  | (Span & { type: "template"; parts: Array<string | Expr> })
  /** A variable-like reference: `var.x`, `account.prod.id`, `vault.local["prod"]`, `each.key`. */
  | (Span & { type: "traversal"; root: string; steps: TraversalStep[] })
  | (Span & { type: "tuple"; items: Expr[] })
  /** `{ a = 1, "b" = 2, (var.k) = 3 }`: a bare identifier key is its name, not a reference. */
  | (Span & { type: "object"; items: Array<{ key: Expr; value: Expr }> })
  | (Span & { type: "call"; name: string; args: Expr[]; expandFinal: boolean })
  | (Span & { type: "conditional"; condition: Expr; then: Expr; else: Expr })
  | (Span & { type: "binary"; op: BinaryOp; left: Expr; right: Expr })
  | (Span & { type: "unary"; op: "!" | "-"; operand: Expr })
  /** Indexing or attribute access on a non-reference expression: `(local.m)["k"]`, `func().attr`. */
  | (Span & { type: "index"; target: Expr; key: Expr })
  | (Span & { type: "getattr"; target: Expr; name: string })
  /** `[for x in list : expr if cond]` and `{for k, v in map : k => v}`. */
  | (Span & { type: "for"; keyVar?: string; valueVar: string; collection: Expr; keyExpr?: Expr; valueExpr: Expr; condition?: Expr; grouping: boolean; kind: "tuple" | "object" })
  | (Span & { type: "parens"; inner: Expr })
  /** A template `%{ for }` directive: `tuple` (a tuple `for` whose items are templates) joined into one string. */
  | (Span & { type: "templateJoin"; tuple: Expr });

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export type TraversalStep =
  | (Span & { kind: "attr"; name: string })
  | (Span & { kind: "index"; key: Expr });

/** A value that is not known yet: after apply (an ARN of a key crossvault will create) or after reading the org. */
export interface UnknownValue {
  readonly $unknown: "after-apply" | "after-refresh";
  /** Why, for `validate`'s messages: "kms_key.central.arn is known after apply". */
  readonly reason: string;
}

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value } | UnknownValue;

export function isUnknown(v: unknown): v is UnknownValue {
  return typeof v === "object" && v !== null && "$unknown" in v;
}

/** A problem found while evaluating, located by offsets into the parsed text. */
export interface EvalError extends Span {
  message: string;
  /** What to do about it. */
  hint?: string;
  /** e.g. "unresolved-reference", "type-mismatch", "unknown-function", "cycle". */
  code: string;
}

/** A traversal step with its index key already evaluated. */
export type ResolvedStep = (Span & { kind: "attr"; name: string }) | (Span & { kind: "index"; key: Value });

export type ResolveResult =
  /** `consumed` = how many of the steps the scope used; the evaluator applies the rest itself. */
  | { ok: true; value: Value; consumed: number }
  | { ok: false; error: EvalError };

/**
 * Resolves references lazily, so the config layer can evaluate locals and resource attributes on demand,
 * detect cycles, and return unknown values for what only apply or the live organization can tell.
 */
export interface EvalScope {
  resolve(root: string, steps: ResolvedStep[], span: Span): ResolveResult;
}

/**
 * A function callable from expressions. `span` is the whole call; `argSpans[i]` (when given) locates argument i,
 * so errors can point at the argument at fault. An unknown argument never reaches a function: the call is unknown.
 * Return an EvalError (e.g. from `callError` in errors.ts) to report a problem.
 */
export type FunctionImpl = (args: Value[], span: Span, argSpans?: Span[]) => Value | EvalError;

export interface EvalResult {
  value: Value;
  errors: EvalError[];
}
