import { describe, expect, it } from "vitest";
import { staticScope } from "./static-scope.js";

describe("staticScope", () => {
  const scope = staticScope({ var: { x: 1 }, local: {} });

  it("resolves known roots and leaves every step to the evaluator", () => {
    expect(scope.resolve("var", [{ kind: "attr", name: "x", start: 3, end: 5 }], { start: 0, end: 5 })).toEqual({ ok: true, value: { x: 1 }, consumed: 0 });
  });

  it("reports unknown roots at the reference, with a suggestion", () => {
    const r = scope.resolve("vars", [], { start: 4, end: 10 });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: "unresolved-reference", start: 4, end: 10,
      message: 'Reference to undeclared name "vars"; did you mean "var"?', hint: "Names available here: local, var." }) });
  });

  it("does not resolve names inherited from Object.prototype", () => {
    expect(staticScope({}).resolve("constructor", [], { start: 0, end: 11 })).toMatchObject({ ok: false, error: { hint: "No references are allowed here." } });
  });
});
