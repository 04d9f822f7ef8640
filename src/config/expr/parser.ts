// The recursive-descent parser behind parse.ts: HCL's expression syntax with precedence climbing, pulling
// tokens from lexer.ts and delegating quoted strings and heredocs to template.ts. It reports the first syntax
// problem by throwing SyntaxFailure, which parse.ts turns into a returned EvalError.
import type { BinaryOp, EvalError, Expr, Span, TraversalStep } from "./types.js";
import { describeToken, identLength, scanToken, skipTrivia, type Token } from "./lexer.js";
import { scanTemplate, type TemplateHost, type TemplateMode } from "./template.js";
import { forEachChild } from "./ast.js";

/** How deeply brackets, calls, unary operators and templates may nest. */
export const MAX_NESTING = 256;
/** How tall the tree may grow (long operator chains too), so that evaluating it cannot exhaust the stack. */
export const MAX_HEIGHT = 1000;
/** The iteration variable of a for expression that a splat (`list[*].id`) stands for; no identifier can clash. */
export const SPLAT_VAR = "[*]";

export class SyntaxFailure {
  constructor(readonly error: EvalError) {}
}

export function syntaxError(message: string, span: Span, hint?: string): EvalError {
  const e: EvalError = { code: "syntax", message, start: span.start, end: span.end };
  if (hint !== undefined) e.hint = hint;
  return e;
}

const PRECEDENCE: Record<string, number> = {
  "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
};

export class Parser implements TemplateHost {
  pos = 0;
  private depth = 0;
  private readonly heights = new Map<Expr, number>();

  constructor(readonly src: string) {}

  private peeked?: { pos: number; token: Token };

  peek(): Token {
    if (this.peeked?.pos !== this.pos) this.peeked = { pos: this.pos, token: scanToken(this.src, skipTrivia(this.src, this.pos)) };
    return this.peeked.token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind === "invalid") this.fail(t.text, t);
    this.pos = t.end;
    return t;
  }

  isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === text;
  }

  accept(text: string): Token | undefined {
    return this.isPunct(text) ? this.next() : undefined;
  }

  expect(text: string, what: string, hint?: string): Token {
    const t = this.peek();
    if (t.kind === "punct" && t.text === text) return this.next();
    if (t.kind === "invalid") this.fail(t.text, t);
    this.fail(`${what}: expected "${text}", found ${describeToken(t)}.`, t, hint);
  }

  fail(message: string, span: Span, hint?: string): never {
    throw new SyntaxFailure(syntaxError(message, { start: span.start, end: span.end }, hint));
  }

  enter(span: Span): void {
    if (++this.depth > MAX_NESTING) {
      this.fail(`Expression nested too deeply: more than ${MAX_NESTING} levels of brackets, calls or templates.`, span,
        "Split the expression into locals.");
    }
  }

  leave(): void {
    this.depth--;
  }

  node<T extends Expr>(e: T): T {
    if (e.type === "literal" || (e.type === "traversal" && e.steps.length === 0)) return e; // leaves: height 1
    let h = 1;
    forEachChild(e, (c) => {
      h = Math.max(h, (this.heights.get(c) ?? 1) + 1);
    });
    if (h > MAX_HEIGHT) this.fail(`Expression too complex: more than ${MAX_HEIGHT} nested operations.`, e, "Split the expression into locals.");
    this.heights.set(e, h);
    return e;
  }

  parseExprAt(pos: number): { expr: Expr; end: number } {
    this.pos = pos;
    const expr = this.parseExpr();
    return { expr, end: this.pos };
  }

  template(start: number, mode: TemplateMode, span: Span, heredoc?: { marker: string; flush: boolean; open: Span }): Expr {
    this.enter(span);
    const t = scanTemplate(this.src, start, mode, this, heredoc);
    this.leave();
    this.pos = t.end;
    const whole = { start: span.start, end: mode === "raw" ? span.end : t.end };
    if (t.single) return t.single;
    if (t.parts.length === 0) return this.node({ type: "literal", value: "", ...whole });
    if (t.parts.length === 1 && typeof t.parts[0] === "string") return this.node({ type: "literal", value: t.parts[0], ...whole });
    return this.node({ type: "template", parts: t.parts, ...whole });
  }

  parseExpr(): Expr {
    const start = skipTrivia(this.src, this.pos);
    this.enter({ start, end: start + 1 });
    const condition = this.parseBinary(0);
    let result = condition;
    if (this.accept("?")) {
      const then = this.parseExpr();
      this.expect(":", "Missing false expression in conditional", 'A conditional is written "condition ? true_value : false_value".');
      const otherwise = this.parseExpr();
      result = this.node({ type: "conditional", condition, then, else: otherwise, start: condition.start, end: otherwise.end });
    }
    this.leave();
    return result;
  }

  parseBinary(minPrecedence: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === "punct" ? PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec <= minPrecedence) return left;
      this.next();
      const right = this.parseBinary(prec);
      left = this.node({ type: "binary", op: t.text as BinaryOp, left, right, start: left.start, end: right.end });
    }
  }

  parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === "punct" && (t.text === "!" || t.text === "-")) {
      this.next();
      this.enter(t);
      const operand = this.parseUnary();
      this.leave();
      return this.node({ type: "unary", op: t.text, operand, start: t.start, end: operand.end });
    }
    return this.parsePostfix(this.parsePrimary());
  }

  parsePostfix(target: Expr): Expr {
    let e = target;
    for (;;) {
      if (this.isPunct(".")) {
        const dot = this.next();
        const step = this.attrStep(dot);
        if (step === "splat") return this.splat(e, dot, false);
        e = this.step(e, step);
      } else if (this.isPunct("[")) {
        const open = this.next();
        if (this.isPunct("*")) {
          this.next();
          this.expect("]", "Invalid splat");
          return this.splat(e, open, true);
        }
        this.enter(open);
        const key = this.parseExpr();
        this.leave();
        const close = this.expect("]", "Missing close bracket on index", "An index is written [key], like vault.local[\"prod\"].");
        e = this.step(e, { kind: "index", key, start: open.start, end: close.end });
      } else {
        return e;
      }
    }
  }

  /** After a dot: a name, a legacy numeric index (`list.0`) or an attribute splat (`.*`). */
  private attrStep(dot: Token): TraversalStep | "splat" {
    const at = skipTrivia(this.src, this.pos);
    const digits = /\d+/y;
    digits.lastIndex = at;
    const m = digits.exec(this.src);
    if (m) {
      this.pos = at + m[0].length;
      const key = this.node({ type: "literal", value: Number(m[0]), start: at, end: this.pos });
      return { kind: "index", key, start: dot.start, end: this.pos };
    }
    const t = this.peek();
    if (t.kind === "punct" && t.text === "*") {
      this.next();
      return "splat";
    }
    if (t.kind !== "ident") this.fail(`Invalid attribute name: expected a name after ".", found ${describeToken(t)}.`, t);
    this.next();
    return { kind: "attr", name: t.text, start: dot.start, end: t.end };
  }

  private step(e: Expr, step: TraversalStep): Expr {
    if (e.type === "traversal") return this.node({ ...e, steps: [...e.steps, step], end: step.end });
    if (step.kind === "attr") return this.node({ type: "getattr", target: e, name: step.name, start: e.start, end: step.end });
    return this.node({ type: "index", target: e, key: step.key, start: e.start, end: step.end });
  }

  /**
   * `source[*].a[0]` is `[for x in source : x.a[0]]`: a full splat takes every following step, an attribute
   * splat (`source.*.a`) only the attribute names.
   */
  private splat(source: Expr, open: Span, full: boolean): Expr {
    const steps: TraversalStep[] = [];
    for (;;) {
      if (this.isPunct(".")) {
        const save = this.pos;
        const dot = this.next();
        const step = this.attrStep(dot);
        if (step === "splat" || (!full && step.kind === "index")) {
          this.pos = save;
          break;
        }
        steps.push(step);
      } else if (full && this.isPunct("[")) {
        const b = this.next();
        this.enter(b);
        const key = this.parseExpr();
        this.leave();
        const close = this.expect("]", "Missing close bracket on index");
        steps.push({ kind: "index", key, start: b.start, end: close.end });
      } else {
        break;
      }
    }
    const end = steps.length ? steps[steps.length - 1]!.end : this.pos;
    const item = this.node({ type: "traversal", root: SPLAT_VAR, steps, start: open.start, end });
    const e = this.node({ type: "for", valueVar: SPLAT_VAR, collection: source, valueExpr: item, grouping: false, kind: "tuple",
      start: source.start, end });
    return full ? e : this.parsePostfix(e);
  }

  parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case "number": {
        this.next();
        const value = Number(t.text);
        if (!Number.isFinite(value)) this.fail(`Invalid number: ${t.text} is too large.`, t);
        return this.node({ type: "literal", value, start: t.start, end: t.end });
      }
      case "ident":
        return this.identifier(t);
      case "quote":
        this.next();
        return this.template(t.end, "quoted", t);
      case "heredoc":
        this.next();
        return this.template(t.end, "heredoc", t, { marker: t.text, flush: t.flush === true, open: t });
      case "punct":
        if (t.text === "(") return this.parens(t);
        if (t.text === "[") return this.tuple(t);
        if (t.text === "{") return this.object(t);
        break;
      case "invalid":
        this.fail(t.text, t);
    }
    this.fail(`Invalid expression: expected the start of an expression, found ${describeToken(t)}.`, t,
      "An expression is a value (\"text\", 42, true, [..], {..}), a reference (var.name), a function call or an operation.");
  }

  private identifier(t: Token): Expr {
    this.next();
    if (t.text === "true" || t.text === "false") return this.node({ type: "literal", value: t.text === "true", start: t.start, end: t.end });
    if (t.text === "null") return this.node({ type: "literal", value: null, start: t.start, end: t.end });
    if (this.isPunct("(")) return this.call(t);
    return this.node({ type: "traversal", root: t.text, steps: [], start: t.start, end: t.end });
  }

  private call(name: Token): Expr {
    const open = this.next();
    this.enter(open);
    const args: Expr[] = [];
    let expandFinal = false;
    while (!this.isPunct(")")) {
      args.push(this.parseExpr());
      if (this.accept("...")) {
        expandFinal = true;
        break;
      }
      if (!this.accept(",") && !this.isPunct(")")) {
        this.fail(`Missing argument separator: expected "," or ")", found ${describeToken(this.peek())}.`, this.peek(),
          "A comma is required to separate each function argument from the next.");
      }
    }
    const close = this.expect(")", `Missing closing parenthesis for the call to ${name.text}`, expandFinal ? "The ... expansion must be on the last argument." : undefined);
    this.leave();
    return this.node({ type: "call", name: name.text, args, expandFinal, start: name.start, end: close.end });
  }

  private parens(open: Token): Expr {
    this.next();
    this.enter(open);
    const inner = this.parseExpr();
    const close = this.expect(")", "Unbalanced parentheses", "Each ( needs a matching ).");
    this.leave();
    return this.node({ type: "parens", inner, start: open.start, end: close.end });
  }

  /** `for` right after `[` or `{`, followed by a name, starts a for expression. */
  private startsFor(): boolean {
    const t = this.peek();
    if (t.kind !== "ident" || t.text !== "for") return false;
    return identLength(this.src, skipTrivia(this.src, t.end)) > 0;
  }

  private tuple(open: Token): Expr {
    this.next();
    this.enter(open);
    if (this.startsFor()) return this.forExpr(open, "tuple");
    const items: Expr[] = [];
    while (!this.isPunct("]")) {
      items.push(this.parseExpr());
      if (!this.accept(",") && !this.isPunct("]")) {
        this.fail(`Missing item separator: expected "," or "]", found ${describeToken(this.peek())}.`, this.peek(),
          "A comma is required to separate each item of a list from the next.");
      }
    }
    const close = this.next();
    this.leave();
    return this.node({ type: "tuple", items, start: open.start, end: close.end });
  }

  private object(open: Token): Expr {
    this.next();
    this.enter(open);
    if (this.startsFor()) return this.forExpr(open, "object");
    const items: Array<{ key: Expr; value: Expr }> = [];
    while (!this.isPunct("}")) {
      const key = this.objectKey();
      const sep = this.peek();
      if (!(sep.kind === "punct" && (sep.text === "=" || sep.text === ":"))) {
        this.fail(`Missing key/value separator: expected "=" or ":" after the key, found ${describeToken(sep)}.`, sep,
          'An object item is written key = value (or "key" = value, or (expression) = value).');
      }
      this.next();
      items.push({ key, value: this.parseExpr() });
      // Items may also be separated by newlines only; hcl2json has already checked the layout.
      this.accept(",");
    }
    const close = this.next();
    this.leave();
    return this.node({ type: "object", items, start: open.start, end: close.end });
  }

  /** A bare name (or keyword) before `=`/`:` is the key itself, not a reference. */
  private objectKey(): Expr {
    const t = this.peek();
    if (t.kind === "ident") {
      const after = scanToken(this.src, skipTrivia(this.src, t.end));
      if (after.kind === "punct" && (after.text === "=" || after.text === ":")) {
        this.next();
        return this.node({ type: "literal", value: t.text, start: t.start, end: t.end });
      }
    }
    return this.parseBinary(0);
  }

  private forExpr(open: Token, kind: "tuple" | "object"): Expr {
    this.next(); // for
    const names = [this.forVar()];
    if (this.accept(",")) names.push(this.forVar());
    const inKw = this.peek();
    if (!(inKw.kind === "ident" && inKw.text === "in")) {
      this.fail(`Invalid for expression: expected "in" after the variable names, found ${describeToken(inKw)}.`, inKw,
        "Write [for item in list : item] or {for key, value in map : key => value}.");
    }
    this.next();
    const collection = this.parseExpr();
    this.expect(":", "Invalid for expression", "A colon separates the collection from the result expression.");
    let keyExpr: Expr | undefined;
    if (kind === "object") {
      keyExpr = this.parseExpr();
      this.expect("=>", "Invalid for expression", "An object for expression is written {for k, v in map : key => value}.");
    }
    const valueExpr = this.parseExpr();
    const grouping = kind === "object" && this.accept("...") !== undefined;
    let condition: Expr | undefined;
    const ifKw = this.peek();
    if (ifKw.kind === "ident" && ifKw.text === "if") {
      this.next();
      condition = this.parseExpr();
    }
    const close = this.expect(kind === "tuple" ? "]" : "}", "Invalid for expression");
    this.leave();
    const [first, second] = names as [string, string?];
    return this.node({
      type: "for", ...(second === undefined ? { valueVar: first } : { keyVar: first, valueVar: second }),
      collection, ...(keyExpr ? { keyExpr } : {}), valueExpr, ...(condition ? { condition } : {}), grouping, kind,
      start: open.start, end: close.end,
    } as Expr);
  }

  private forVar(): string {
    const t = this.peek();
    if (t.kind !== "ident") this.fail(`Invalid for expression: expected a variable name, found ${describeToken(t)}.`, t);
    this.next();
    return t.text;
  }
}
