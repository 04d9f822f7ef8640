import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_HEIGHT, MAX_NESTING, SPLAT_VAR, parseExpression, parseTemplate } from "./parse.js";
import type { Expr } from "./types.js";

function parse(text: string): Expr {
  const r = parseExpression(text);
  if (r.error) throw new Error(`unexpected error: ${r.error.message}`);
  return r.expr!;
}

function syntaxError(text: string) {
  const r = parseExpression(text);
  expect(r.expr).toBeUndefined();
  expect(r.error?.code).toBe("syntax");
  return r.error!;
}

/** The AST as compact text, to compare structure without spans. */
function show(e: Expr): string {
  switch (e.type) {
    case "literal": return JSON.stringify(e.value);
    case "template": return `tpl(${e.parts.map((p) => (typeof p === "string" ? JSON.stringify(p) : show(p))).join(" ")})`;
    case "traversal": return e.root + e.steps.map((s) => (s.kind === "attr" ? `.${s.name}` : `[${show(s.key)}]`)).join("");
    case "tuple": return `[${e.items.map(show).join(", ")}]`;
    case "object": return `{${e.items.map((i) => `${show(i.key)}=${show(i.value)}`).join(", ")}}`;
    case "call": return `${e.name}(${e.args.map(show).join(", ")}${e.expandFinal ? "..." : ""})`;
    case "conditional": return `(${show(e.condition)} ? ${show(e.then)} : ${show(e.else)})`;
    case "binary": return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "unary": return `(${e.op}${show(e.operand)})`;
    case "index": return `${show(e.target)}{${show(e.key)}}`;
    case "getattr": return `${show(e.target)}:${e.name}`;
    case "parens": return `(${show(e.inner)})`;
    case "templateJoin": return `join(${show(e.tuple)})`;
    case "for": return `for(${e.keyVar ?? ""},${e.valueVar} in ${show(e.collection)}: ${e.keyExpr ? `${show(e.keyExpr)} => ` : ""}${show(e.valueExpr)}${e.grouping ? "..." : ""}${e.condition ? ` if ${show(e.condition)}` : ""})${e.kind}`;
  }
}

describe("parseExpression: literals", () => {
  it("reads numbers, bools, null and strings with HCL escapes", () => {
    expect(show(parse("42"))).toBe("42");
    expect(show(parse("1.5e3"))).toBe("1500");
    expect(show(parse("true"))).toBe("true");
    expect(show(parse("false"))).toBe("false");
    expect(show(parse("null"))).toBe("null");
    expect(parse(String.raw`"a\nb\t\"q\" \\ \u00e9 \U0001F600 \r"`)).toMatchObject({ type: "literal", value: 'a\nb\t"q" \\ é 😀 \r' });
  });

  it("keeps $${ and %%{ as literal text in quoted strings", () => {
    expect(parse('"$${x} %%{y} $ % $$"')).toMatchObject({ type: "literal", value: "${x} %{y} $ % $$" });
  });

  it("gives 0-based spans into the text", () => {
    expect(parse('  "abc"  ')).toMatchObject({ start: 2, end: 7 });
    const e = parse("1 + 22");
    expect(e).toMatchObject({ start: 0, end: 6, left: { start: 0, end: 1 }, right: { start: 4, end: 6 } });
  });

  it("skips comments and newlines", () => {
    expect(show(parse("[\n  1, # one\n  2, // two\n  /* three */ 3,\n]"))).toBe("[1, 2, 3]");
  });
});

describe("parseExpression: references", () => {
  it("parses attribute and index steps into one traversal", () => {
    expect(show(parse("var.x"))).toBe("var.x");
    expect(show(parse("account.prod.id"))).toBe("account.prod.id");
    expect(show(parse('vault.local["prod"]'))).toBe('vault.local["prod"]');
    expect(show(parse("vault.local[each.key].arn"))).toBe("vault.local[each.key].arn");
    expect(show(parse("list.0.name"))).toBe("list[0].name");
  });

  it("allows dashes inside identifiers, as HCL does", () => {
    expect(show(parse("local.my-name"))).toBe("local.my-name");
    expect(show(parse("a - b"))).toBe("(a - b)");
  });

  it("records the span of each step", () => {
    const e = parse('vault.local["prod"]');
    expect(e).toMatchObject({ type: "traversal", start: 0, end: 19, steps: [{ start: 5, end: 11 }, { start: 11, end: 19, key: { start: 12, end: 18 } }] });
  });

  it("uses index/getattr nodes on non-reference expressions", () => {
    expect(show(parse('(local.m)["k"]'))).toBe('(local.m){"k"}');
    expect(show(parse("f().attr"))).toBe("f():attr");
    expect(show(parse("[1, 2][0]"))).toBe("[1, 2]{0}");
  });

  it("turns splats into for expressions over an anonymous variable", () => {
    const full = parse("account[*].id[0]");
    expect(full).toMatchObject({ type: "for", valueVar: SPLAT_VAR, kind: "tuple" });
    expect(show(full)).toBe(`for(,${SPLAT_VAR} in account: ${SPLAT_VAR}.id[0])tuple`);
    // An attribute-only splat stops at the first index, which then applies to the resulting list.
    expect(show(parse("account.*.id[0]"))).toBe(`for(,${SPLAT_VAR} in account: ${SPLAT_VAR}.id)tuple{0}`);
  });
});

describe("parseExpression: operators", () => {
  it("follows HCL precedence", () => {
    expect(show(parse("a || b && c == d"))).toBe("(a || (b && (c == d)))");
    expect(show(parse("a == b != c"))).toBe("((a == b) != c)");
    expect(show(parse("1 < 2 == 3 >= 4"))).toBe("((1 < 2) == (3 >= 4))");
    expect(show(parse("1 + 2 * 3 - 4 / 5 % 6"))).toBe("((1 + (2 * 3)) - ((4 / 5) % 6))");
    expect(show(parse("1 <= 2 && 3 > 4 || 5 < 6"))).toBe("(((1 <= 2) && (3 > 4)) || (5 < 6))");
  });

  it("binds unary operators tighter than binary ones and looser than postfix steps", () => {
    expect(show(parse("!a && -b.c * 2"))).toBe("((!a) && ((-b.c) * 2))");
    expect(show(parse("--1"))).toBe("(-(-1))");
  });

  it("parses conditionals, right-nested, with parentheses kept", () => {
    expect(show(parse('var.x > 3 ? "a" : "b"'))).toBe('((var.x > 3) ? "a" : "b")');
    expect(show(parse("a ? b : c ? d : e"))).toBe("(a ? b : (c ? d : e))");
    expect(show(parse("(1 + 2) * 3"))).toBe("(((1 + 2)) * 3)");
  });
});

describe("parseExpression: collections, calls and for expressions", () => {
  it("parses tuples with trailing commas", () => {
    expect(show(parse("[]"))).toBe("[]");
    expect(show(parse("[1, \"a\", [true],]"))).toBe('[1, "a", [true]]');
  });

  it("parses objects with = or :, bare, quoted and computed keys", () => {
    expect(show(parse('{ a = 1, "b" = 2, (var.k) = 3 }'))).toBe('{"a"=1, "b"=2, (var.k)=3}');
    expect(show(parse("{ a: 1 }"))).toBe('{"a"=1}');
    expect(show(parse("{\n  a = 1\n  b = 2\n}"))).toBe('{"a"=1, "b"=2}');
    expect(show(parse("{ null = 1, for = 2 }"))).toBe('{"null"=1, "for"=2}');
    expect(show(parse("{}"))).toBe("{}");
  });

  it("parses calls with expansion of the final argument", () => {
    expect(show(parse("f()"))).toBe("f()");
    expect(show(parse('toset(["a", "b"])'))).toBe('toset(["a", "b"])');
    expect(show(parse("concat(a, b...)"))).toBe("concat(a, b...)");
    expect(parse("max(x...)")).toMatchObject({ type: "call", expandFinal: true, start: 0, end: 9 });
  });

  it("parses for expressions of both kinds", () => {
    expect(show(parse('[for x in l : upper(x) if x != ""]'))).toBe('for(,x in l: upper(x) if (x != ""))tuple');
    expect(show(parse("[for i, x in l : i]"))).toBe("for(i,x in l: i)tuple");
    expect(show(parse("{for k, v in m : k => v}"))).toBe("for(k,v in m: k => v)object");
    expect(show(parse("{for k, v in m : v => k... if k != v}"))).toBe("for(k,v in m: v => k... if (k != v))object");
  });

  it("reads `for` as a reference when it does not start a for expression", () => {
    expect(show(parse("[for]"))).toBe("[for]");
  });

  it("parses heredocs inside expressions, flush ones without their indentation", () => {
    expect(parse("<<EOT\nhello ${x}\nEOT\n")).toMatchObject({ type: "template", parts: ["hello ", { root: "x" }, "\n"] });
    expect(parse("<<-EOT\n    a\n      b\n    EOT")).toMatchObject({ type: "literal", value: "a\n  b\n" });
  });
});

describe("parseExpression: syntax errors", () => {
  it("points at what is wrong", () => {
    expect(syntaxError("1 +")).toMatchObject({ start: 3, end: 3, message: expect.stringContaining("expected the start of an expression") });
    expect(syntaxError("a b")).toMatchObject({ start: 2, end: 3, message: expect.stringContaining("Extra characters") });
    expect(syntaxError("(1")).toMatchObject({ start: 2, message: expect.stringContaining("Unbalanced parentheses") });
    expect(syntaxError("f(1 2)")).toMatchObject({ start: 4, message: expect.stringContaining("Missing argument separator") });
    expect(syntaxError("[1 2]")).toMatchObject({ start: 3, message: expect.stringContaining("Missing item separator") });
    expect(syntaxError("{ a 1 }")).toMatchObject({ start: 4, message: expect.stringContaining("Missing key/value separator") });
    expect(syntaxError("a ? b")).toMatchObject({ start: 5, message: expect.stringContaining("conditional") });
    expect(syntaxError("a.")).toMatchObject({ start: 2, message: expect.stringContaining("Invalid attribute name") });
    expect(syntaxError("a[1")).toMatchObject({ start: 3, message: expect.stringContaining("close bracket") });
    expect(syntaxError("[for x l : x]")).toMatchObject({ start: 7, message: expect.stringContaining('"in"') });
    expect(syntaxError("1 @ 2")).toMatchObject({ start: 2, end: 3, message: expect.stringContaining('"@"') });
    expect(syntaxError("/* open")).toMatchObject({ start: 0, message: expect.stringContaining("Unterminated comment") });
  });

  it("reports bad strings", () => {
    expect(syntaxError('"abc')).toMatchObject({ start: 0, end: 4, message: expect.stringContaining("Unterminated template string") });
    expect(syntaxError('"a\\qb"')).toMatchObject({ start: 2, end: 4, message: expect.stringContaining("Invalid escape sequence") });
    expect(syntaxError('"\\u12"')).toMatchObject({ start: 1, message: expect.stringContaining("hex digits") });
    expect(syntaxError('"\\uD800"')).toMatchObject({ message: expect.stringContaining("Invalid escape sequence") });
    expect(syntaxError('"a\nb"')).toMatchObject({ start: 2, message: expect.stringContaining("multi-line") });
    expect(syntaxError("<<EOT\nabc\n")).toMatchObject({ start: 0, message: expect.stringContaining("Unterminated heredoc") });
  });

  it("caps the nesting depth with a clean error instead of exhausting the stack", () => {
    for (const text of ["(".repeat(10_000), "[".repeat(10_000), "!".repeat(10_000) + "a", "f(".repeat(10_000), '"${'.repeat(5_000)]) {
      expect(syntaxError(text).message).toMatch(/nested too deeply/);
    }
    expect(parse(`${"(".repeat(100)}1${")".repeat(100)}`)).toMatchObject({ type: "parens" });
    expect(MAX_NESTING).toBeGreaterThanOrEqual(100);
  });

  it("caps the height of long operator chains", () => {
    expect(syntaxError(`1${" + 1".repeat(MAX_HEIGHT + 5)}`).message).toMatch(/too complex/);
    expect(parse(`1${" + 1".repeat(MAX_HEIGHT - 5)}`).type).toBe("binary");
  });
});

describe("parseExpression / parseTemplate never throw", () => {
  const valid = ['var.x > 3 ? "a" : "b"', 'vault.local[each.key].arn', '{ a = 1, "b" = [for x in l : x if x], (k) = f(a, b...) }',
    '"a-${var.x}-%{ if c }y%{ else }n%{ endif }"', "{for k, v in m : k => v...}", "account[*].id", "-1 * (2 + 3) % 4 != 5 || !true"];

  it("returns a result or an error object for random strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
      for (const r of [parseExpression(s), parseTemplate(s)]) {
        expect((r.expr === undefined) !== (r.error === undefined)).toBe(true);
        if (r.error) expect(r.error.code).toBe("syntax");
      }
    }), { numRuns: 2000 });
  });

  it("returns a result or an error object for mutations of valid expressions", () => {
    const mutation = fc.tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom("(", ")", "[", "]", "{", "}", '"', "$", "%", "{", "~", "\\", ".", ",", "?", ":", "=>", "...", "\n", "#", "/*", "<<EOT\n", "for ", "if ", "${", "%{", "")), { maxLength: 4 }));
    fc.assert(fc.property(mutation, ([text, edits]) => {
      let s = text;
      for (const [at, del, insert] of edits) {
        const i = at % (s.length + 1);
        s = s.slice(0, i) + insert + s.slice(i + del);
      }
      for (const r of [parseExpression(s), parseTemplate(s), parseTemplate("${" + s + "}")]) {
        expect((r.expr === undefined) !== (r.error === undefined)).toBe(true);
        if (r.error) {
          expect(r.error.code).toBe("syntax");
          expect(r.error.start).toBeGreaterThanOrEqual(0);
          expect(r.error.end).toBeGreaterThanOrEqual(r.error.start);
        }
      }
    }), { numRuns: 2000 });
  });

  it("parses every valid sample", () => {
    for (const text of valid) expect(parseExpression(text).error).toBeUndefined();
  });
});
