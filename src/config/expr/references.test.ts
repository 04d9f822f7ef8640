import { describe, expect, it } from "vitest";
import { references } from "./references.js";
import { parseTemplate } from "./parse.js";

function refs(template: string) {
  const p = parseTemplate(template);
  if (p.error) throw new Error(p.error.message);
  return references(p.expr!).map((r) => ({ ...r, text: template.slice(r.span.start, r.span.end) }));
}

describe("references", () => {
  it("lists traversals with their static path", () => {
    expect(refs("${account.prod.id}")).toEqual([{ root: "account", path: ["prod", "id"], span: { start: 2, end: 17 }, text: "account.prod.id" }]);
    expect(refs('${vault.local["prod"].arn}')).toEqual([expect.objectContaining({ root: "vault", path: ["local", "prod", "arn"] })]);
    expect(refs("${var.list[0]}")).toEqual([expect.objectContaining({ path: ["list", "0"], text: "var.list[0]" })]);
    expect(refs("${local.x.0}")).toEqual([expect.objectContaining({ path: ["x", "0"] })]);
  });

  it("stops the path at the first computed index, and lists the index's own references", () => {
    expect(refs("${vault.local[each.key].arn}")).toEqual([
      expect.objectContaining({ root: "vault", path: ["local"], text: "vault.local" }),
      expect.objectContaining({ root: "each", path: ["key"], text: "each.key" }),
    ]);
  });

  it("looks into every kind of expression, in source order", () => {
    const found = refs('a-${upper(var.a)}-%{ if local.c }${var.b ? { k = local.d } : [-var.e]}%{ endif }-${(local.f)["x"].y}-${merge(local.g...)}');
    expect(found.map((r) => `${r.root}.${r.path.join(".")}`)).toEqual(["var.a", "local.c", "var.b", "local.d", "var.e", "local.f", "local.g"]);
  });

  it("excludes for-expression variables, only inside their for expression", () => {
    const found = refs("${[for k, v in var.m : { key = k, val = v.id, other = local.o } if v != x]} ${k}");
    expect(found.map((r) => r.root)).toEqual(["var", "local", "x", "k"]);
    expect(refs("%{ for x in var.l }${x}${y}%{ endfor }").map((r) => r.root)).toEqual(["var", "y"]);
  });

  it("excludes the anonymous splat variable", () => {
    expect(refs("${account[*].id}")).toEqual([expect.objectContaining({ root: "account", path: [] })]);
  });

  it("finds nothing in literals", () => {
    expect(refs("plain text")).toEqual([]);
    expect(refs('${[1, "two", { a = null }]}')).toEqual([]);
  });
});
