import { describe, expect, it } from "vitest";
import { conversionDiagnostics, parseHcl, syntaxDiagnostics } from "./hcl.js";

describe("parseHcl", () => {
  it("returns the JSON body of a valid file", async () => {
    const r = await parseHcl("a.hcl", 'account "prod" {\n  id = "222222222222"\n}\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.body).toEqual({ account: { prod: [{ id: "222222222222" }] } });
  });

  it("reports a syntax error with its position", async () => {
    const r = await parseHcl("b.hcl", "a = 1\nb = \nc = [\n");
    expect(r.body).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ severity: "error", code: "syntax", pos: { file: "b.hcl", line: 2, column: 5 } });
  });

  it("splits several errors and drops repeats", () => {
    const d = syntaxDiagnostics("f.hcl",
      "parse config: [f.hcl:2,20-3,1: Invalid multi-line string; Quoted strings may not be split. f.hcl:3,2-4,1: Invalid multi-line string; Quoted strings may not be split. f.hcl:2,20-3,1: Unterminated template string; No closing marker was found for the string.]");
    expect(d.map((x) => [x.pos?.line, x.pos?.column, x.summary])).toEqual([
      [2, 20, "Invalid multi-line string"],
      [3, 2, "Invalid multi-line string"],
      [2, 20, "Unterminated template string"],
    ]);
    expect(d[0]!.detail).toBe("Quoted strings may not be split.");
  });

  it("falls back to a whole-file diagnostic for an unrecognised message", () => {
    expect(syntaxDiagnostics("x.hcl", "boom")).toMatchObject([{ code: "syntax", pos: { file: "x.hcl", line: 1, column: 1 }, summary: "boom" }]);
  });

  it("places blocks hcl2json cannot convert (mixed label counts) with the position index", async () => {
    const top = await parseHcl("m.hcl", 'account "a" {\n}\naccount {\n}\n');
    expect(top.diagnostics).toMatchObject([{ code: "block-labels", pos: { file: "m.hcl", line: 3, column: 1 } }]);
    const nested = await parseHcl("n.hcl", 'p "x" {\n  rule {\n  }\n  rule "a" {\n  }\n}\n');
    expect(nested.diagnostics).toMatchObject([{ code: "block-labels", pos: { line: 4, column: 3 } }]);
    expect(conversionDiagnostics("x.hcl", "a = 1\n", "something else")).toBeUndefined();
  });
});
