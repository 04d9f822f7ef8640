import { describe, expect, it } from "vitest";
import { parseTemplate } from "./parse.js";
import type { Expr } from "./types.js";

function tpl(text: string): Expr {
  const r = parseTemplate(text);
  if (r.error) throw new Error(`unexpected error: ${r.error.message}`);
  return r.expr!;
}

function templateError(text: string) {
  const r = parseTemplate(text);
  expect(r.expr).toBeUndefined();
  expect(r.error?.code).toBe("syntax");
  return r.error!;
}

describe("parseTemplate: what hcl2json hands back", () => {
  it("yields the expression itself for exactly one interpolation", () => {
    expect(tpl("${account.management}")).toMatchObject({ type: "traversal", root: "account", start: 2, end: 20 });
    expect(tpl("${[1, 2]}")).toMatchObject({ type: "tuple" });
    expect(tpl('${toset(["a","b"])}')).toMatchObject({ type: "call", name: "toset" });
    expect(tpl("${ var.x }")).toMatchObject({ type: "traversal", start: 3, end: 8 });
  });

  it("yields a string literal for plain text, spanning the text", () => {
    expect(tpl("plain")).toEqual({ type: "literal", value: "plain", start: 0, end: 5 });
    expect(tpl("")).toEqual({ type: "literal", value: "", start: 0, end: 0 });
    expect(tpl("cron(0 5 ? * * *)")).toMatchObject({ type: "literal", value: "cron(0 5 ? * * *)" });
    expect(tpl("{ not an object }")).toMatchObject({ type: "literal", value: "{ not an object }" });
  });

  it("yields a template node for mixed text", () => {
    expect(tpl("b${var.x}")).toMatchObject({ type: "template", start: 0, end: 9, parts: ["b", { type: "traversal", root: "var", start: 3, end: 8 }] });
    expect(tpl("${a}${b}")).toMatchObject({ type: "template", parts: [{ root: "a" }, { root: "b" }] });
  });

  it("turns $${ and %%{ into literal ${ and %{, and leaves other text alone", () => {
    expect(tpl("$${x}")).toMatchObject({ type: "literal", value: "${x}" });
    expect(tpl("%%{x}")).toMatchObject({ type: "literal", value: "%{x}" });
    expect(tpl("a$b%c$$d%%e$")).toMatchObject({ type: "literal", value: "a$b%c$$d%%e$" });
    expect(tpl("$${a}-${b}")).toMatchObject({ type: "template", parts: ["${a}-", { root: "b" }] });
  });

  it("treats backslashes as text (hcl2json has applied the escapes), but not inside interpolations", () => {
    expect(tpl("a\\nb")).toMatchObject({ type: "literal", value: "a\\nb" });
    expect(tpl("x\\${y}")).toMatchObject({ type: "template", parts: ["x\\", { root: "y" }] });
    expect(tpl('${upper("x\\"y")}')).toMatchObject({ type: "call", args: [{ type: "literal", value: 'x"y' }] });
  });

  it("parses quoted strings with nested interpolations inside interpolations", () => {
    expect(tpl('${format("%s-${var.x}", "}")}')).toMatchObject({
      type: "call", args: [{ type: "template", parts: ["%s-", { root: "var" }] }, { type: "literal", value: "}" }],
    });
  });

  it("keeps newlines of heredoc text", () => {
    expect(tpl("hello ${var.x}\n  world\n")).toMatchObject({ type: "template", parts: ["hello ", { root: "var" }, "\n  world\n"] });
  });
});

describe("parseTemplate: directives", () => {
  it("parses if/else/endif as a conditional between two templates", () => {
    const e = tpl("%{if var.x}yes%{else}no%{endif}");
    expect(e).toMatchObject({
      type: "template", start: 0, end: 31,
      parts: [{ type: "conditional", start: 0, end: 31, condition: { root: "var" },
        then: { type: "template", parts: ["yes"] }, else: { type: "template", parts: ["no"] } }],
    });
  });

  it("parses if without else, with an empty else branch", () => {
    expect(tpl("a%{ if c }b%{ endif }")).toMatchObject({ parts: ["a", { type: "conditional", else: { type: "template", parts: [] } }] });
  });

  it("parses for/endfor as a join over a tuple for expression", () => {
    const e = tpl("%{ for k, v in m }${k}=${v};%{ endfor }");
    expect(e).toMatchObject({
      type: "template",
      parts: [{ type: "templateJoin", tuple: { type: "for", kind: "tuple", keyVar: "k", valueVar: "v", collection: { root: "m" },
        valueExpr: { type: "template", parts: [{ root: "k" }, "=", { root: "v" }, ";"] } } }],
    });
  });

  it("nests directives", () => {
    const e = tpl("%{for x in l}%{if x}[${x}]%{endif}%{endfor}");
    expect(e).toMatchObject({ parts: [{ type: "templateJoin", tuple: { valueExpr: { parts: [{ type: "conditional" }] } } }] });
  });

  it("applies strip markers to the neighbouring text", () => {
    expect(tpl("a  ${~ x ~}  b")).toMatchObject({ parts: ["a", { root: "x" }, "b"] });
    expect(tpl("%{ for x in l ~}\n  ${x}\n%{~ endfor }")).toMatchObject({
      parts: [{ type: "templateJoin", tuple: { valueExpr: { parts: [{ root: "x" }] } } }],
    });
    // Stripping all the text around a lone interpolation makes it the template's value.
    expect(tpl("  ${~ [1] ~}  ")).toMatchObject({ type: "tuple" });
  });

  it("reports misplaced and unterminated directives at the directive", () => {
    expect(templateError("%{ endif }")).toMatchObject({ start: 0, end: 10, message: expect.stringContaining("Unexpected endif") });
    expect(templateError("a%{ else }b")).toMatchObject({ start: 1, message: expect.stringContaining("Unexpected else") });
    expect(templateError("%{ if x }a")).toMatchObject({ start: 0, end: 9, message: expect.stringContaining("Unterminated template if") });
    expect(templateError("%{ for x in l }a%{ endif }")).toMatchObject({ start: 0, message: expect.stringContaining("Unterminated template for") });
    expect(templateError("%{ while x }")).toMatchObject({ start: 0, message: expect.stringContaining("Invalid template directive") });
    expect(templateError("%{ for in l }%{ endfor }")).toMatchObject({ message: expect.stringContaining("variable name") });
    expect(templateError("%{ for x l }%{ endfor }")).toMatchObject({ message: expect.stringContaining("in keyword") });
  });
});

describe("parseTemplate: errors inside interpolations", () => {
  it("locates errors by offset in the whole text", () => {
    expect(templateError("abc ${var.x +} d")).toMatchObject({ start: 13, message: expect.stringContaining("start of an expression") });
    expect(templateError("${a b}")).toMatchObject({ start: 4, end: 5, message: expect.stringContaining("Extra characters after interpolation") });
    expect(templateError("x ${a")).toMatchObject({ start: 2, end: 5, message: expect.stringContaining("Unclosed template interpolation") });
    expect(templateError('${"abc}')).toMatchObject({ start: 2, message: expect.stringContaining("Unterminated template string") });
  });
});
