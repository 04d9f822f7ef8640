import { describe, expect, it } from "vitest";
import { indexSource, LineMap } from "./positions.js";

function at(text: string, offset: number): string {
  const p = new LineMap(text).position(offset);
  return `${p.line}:${p.column}`;
}

describe("indexSource", () => {
  it("records blocks, labels and attribute value ranges", () => {
    const src = [
      'account "prod" {',
      '  id = "222222222222" # trailing comment',
      "}",
      "",
      "vault central {",
      "  tags = {",
      '    a = "}"',
      "  }",
      "  lifecycle { prevent_destroy = true }",
      "}",
    ].join("\n");
    const root = indexSource(src);
    expect(root.blocks.map((b) => [b.type, b.labels])).toEqual([["account", ["prod"]], ["vault", ["central"]]]);
    const acc = root.blocks[0]!;
    expect(at(src, acc.typeStart)).toBe("1:1");
    expect(at(src, acc.labelStarts[0]!)).toBe("1:9");
    const id = acc.attrs[0]!;
    expect(src.slice(id.valueStart, id.valueEnd)).toBe('"222222222222"');
    expect(at(src, id.nameStart)).toBe("2:3");
    const vault = root.blocks[1]!;
    expect(src.slice(vault.attrs[0]!.valueStart, vault.attrs[0]!.valueEnd)).toBe('{\n    a = "}"\n  }');
    const lc = vault.blocks[0]!;
    expect(lc.type).toBe("lifecycle");
    expect(lc.attrs.map((a) => [a.name, src.slice(a.valueStart, a.valueEnd)])).toEqual([["prevent_destroy", "true"]]);
  });

  it("skips strings with templates, heredocs and all comment styles", () => {
    const src = [
      "/* a block comment { with braces",
      "   over lines */",
      'a = "x-${format("%s}", var.y)}-$${literal}"',
      "// b = 1",
      "h = <<-EOT",
      "  text with } and { and = signs",
      "  EOT",
      "c = concat(",
      "  [1], # one",
      "  [2]",
      ")",
      "d = 1 < 2",
    ].join("\n");
    const root = indexSource(src);
    expect(root.attrs.map((a) => [a.name, src.slice(a.valueStart, a.valueEnd)])).toEqual([
      ["a", '"x-${format("%s}", var.y)}-$${literal}"'],
      ["h", "<<-EOT\n  text with } and { and = signs\n  EOT"],
      ["c", "concat(\n  [1], # one\n  [2]\n)"],
      ["d", "1 < 2"],
    ]);
  });

  it("keeps nesting and repeated blocks in source order", () => {
    const src = 'p "d" {\n  r "x" {\n    copy { to = 1 }\n    copy {\n      to = 2\n    }\n  }\n}\n';
    const root = indexSource(src);
    const copies = root.blocks[0]!.blocks[0]!.blocks;
    expect(copies.map((c) => src.slice(c.attrs[0]!.valueStart, c.attrs[0]!.valueEnd))).toEqual(["1", "2"]);
  });

  it("never throws on text it does not understand", () => {
    for (const junk of ["}}}{", '"unterminated', "a = <<EOT\nno end", "= = =", "x y z\n{", "\u0000\uffff"]) {
      expect(() => indexSource(junk)).not.toThrow();
    }
  });
});
