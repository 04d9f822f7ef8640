// The contract with the HCL syntax layer: whatever @cdktf/hcl2json hands back for an attribute value,
// parseTemplate + evaluate give the value HCL itself would.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "@cdktf/hcl2json";
import { parseTemplate } from "./parse.js";
import { evaluate } from "./evaluate.js";
import { staticScope } from "./static-scope.js";
import type { Value } from "./types.js";

const scope = staticScope({
  var: { x: 5, l: ["a", "b"], name: "prod" },
  account: { management: { id: "111111111111" } },
  each: { key: "prod" },
});

/** Evaluates every string inside a JSON value as a template, as the config layer does. */
function evaluateStrings(v: unknown): Value {
  if (typeof v === "string") {
    const p = parseTemplate(v);
    if (p.error) throw new Error(`${JSON.stringify(v)}: ${p.error.message}`);
    const r = evaluate(p.expr!, scope);
    if (r.errors.length) throw new Error(`${JSON.stringify(v)}: ${r.errors[0]!.message}`);
    return r.value;
  }
  if (Array.isArray(v)) return v.map(evaluateStrings);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, evaluateStrings(item)]));
  return v as Value;
}

const SOURCE = readFileSync(new URL("./testdata/templates.hcl", import.meta.url), "utf8");

describe("templates from @cdktf/hcl2json", () => {
  it("evaluate to what HCL means", async () => {
    const body = (await parse("templates.hcl", SOURCE)) as Record<string, unknown>;
    expect(evaluateStrings(body)).toEqual({
      management_account: "111111111111",
      conditional: "big",
      tags: { a: "b5", "k-1": "prod" },
      escaped: "${x} and %{y}",
      escapes: 'tab\there "quoted" back\\slash é',
      backslash_interp: "x\\prod",
      for_each: ["a", "b"],
      number: 35,
      negative: -1,
      flag: true,
      nothing: null,
      list: [1, "two", 5],
      sum: 7,
      stripped: "aprodb",
      directive: "yes",
      loop: "a;b;",
      heredoc: "hello prod\n  world\n",
      // HCL would give "- a- b": hcl2json drops the strip markers and the flush indentation around directives
      // in <<- heredocs (see below), and the evaluator can only follow the text it is handed.
      flush: "    - a\n    - b\n",
      for_expr: { a: "A", b: "B" },
      format: "prod-005",
      nested_quotes: 'X"Y-}',
      index: "p",
    });
  });

  it("loses strip markers and flush indentation around directives in <<- heredocs (a limitation of hcl2json)", async () => {
    const body = (await parse("templates.hcl", SOURCE)) as Record<string, unknown>;
    expect(body.flush).toBe("%{for v in var.l}    - ${v}\n%{endfor}");
  });
});
