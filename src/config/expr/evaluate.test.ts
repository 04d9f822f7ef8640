import { describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { evaluate } from "./evaluate.js";
import { parseExpression, parseTemplate } from "./parse.js";
import { builtinFunctions } from "./functions.js";
import { staticScope } from "./static-scope.js";
import { callError } from "./errors.js";
import type { EvalScope, FunctionImpl, ResolvedStep, UnknownValue, Value } from "./types.js";

const afterApply: UnknownValue = { $unknown: "after-apply", reason: "kms_key.central.arn is known after apply" };
const afterRefresh: UnknownValue = { $unknown: "after-refresh", reason: "the accounts of ou-abcd-12345678 are known after refresh" };

const roots: Record<string, Value> = {
  var: { x: 5, name: "prod", list: ["a", "b"], nums: [3, 1, 2], m: { a: 1, b: 2 }, flag: true, nothing: null, s5: "5" },
  local: { region: "eu-west-1", people: [{ name: "ann", age: 30 }, { name: "bob", age: 40 }] },
  account: { prod: { id: "222222222222" }, management: { id: "111111111111" } },
  kms_key: { central: { arn: afterApply } },
  each: { key: "prod", value: "v" },
};

function run(template: string, functions?: Record<string, FunctionImpl>, scope: EvalScope = staticScope(roots)) {
  const p = parseTemplate(template);
  if (p.error) throw new Error(`parse error: ${p.error.message}`);
  return evaluate(p.expr!, scope, functions);
}

/** The value of `${expr}`, asserting there were no errors. */
function value(expr: string): Value {
  const r = run(`\${${expr}}`);
  expect(r.errors).toEqual([]);
  return r.value;
}

/** The errors of `${expr}` (offsets are into "${expr}", so 2 more than into expr). */
function errorsOf(expr: string) {
  const r = run(`\${${expr}}`);
  expect(r.errors.length).toBeGreaterThan(0);
  return r;
}

describe("evaluate: literals, collections and references", () => {
  it("evaluates literals, tuples and objects", () => {
    expect(value('[1, "a", true, null]')).toEqual([1, "a", true, null]);
    expect(value('{ a = 1, "b" = [2], (var.name) = 3, 4 = "four" }')).toEqual({ a: 1, b: [2], prod: 3, "4": "four" });
    expect(value("(1)")).toBe(1);
  });

  it("keeps __proto__ an ordinary key", () => {
    const v = value('{ "__proto__" = 1 }') as Record<string, Value>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it("resolves references and applies the steps the scope leaves", () => {
    expect(value("account.prod.id")).toBe("222222222222");
    expect(value('var.m["b"]')).toBe(2);
    expect(value("var.list[1]")).toBe("b");
    expect(value('var.list["1"]')).toBe("b");
    expect(value("var.list.0")).toBe("a");
    expect(value("local.people[1].name")).toBe("bob");
  });

  it("hands the scope the evaluated index keys, and applies only what it did not consume", () => {
    const calls: Array<{ root: string; steps: ResolvedStep[] }> = [];
    const scope: EvalScope = {
      resolve(root, steps) {
        calls.push({ root, steps });
        if (root === "each") return { ok: true, value: "prod", consumed: 1 };
        // Consumes `local["prod"]`, leaving `.name` to the evaluator.
        return { ok: true, value: { name: "v-prod" }, consumed: 2 };
      },
    };
    const r = run("${vault.local[each.key].name}", undefined, scope);
    expect(r).toEqual({ value: "v-prod", errors: [] });
    expect(calls[0]!.root).toBe("each");
    expect(calls[1]).toMatchObject({ root: "vault", steps: [{ kind: "attr", name: "local" }, { kind: "index", key: "prod", start: 13, end: 23 }, { kind: "attr", name: "name" }] });
  });

  it("reports the scope's errors as they are", () => {
    const r = errorsOf("missing.x + 1");
    expect(r.value).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ code: "unresolved-reference", start: 2, end: 11 })]);
  });

  it("explains missing attributes and keys with a suggestion", () => {
    expect(errorsOf("account.prod.idd").errors[0]).toMatchObject({ code: "no-attribute", start: 14, end: 18,
      message: 'no attribute "idd" in account.prod; did you mean "id"?' });
    expect(errorsOf('var.m["c"]').errors[0]).toMatchObject({ code: "no-key", start: 8, end: 11, message: expect.stringContaining('no element with key "c"') });
    expect(errorsOf("var.list[2]").errors[0]).toMatchObject({ code: "index-out-of-range", start: 11, end: 12, hint: "Valid indexes are 0 to 1." });
    expect(errorsOf("var.list[-1]").errors[0]).toMatchObject({ code: "index-out-of-range" });
    expect(errorsOf("var.list[0.5]").errors[0]).toMatchObject({ code: "type-mismatch", message: expect.stringContaining("whole number") });
    expect(errorsOf("var.list.x").errors[0]).toMatchObject({ code: "type-mismatch", hint: expect.stringContaining("[*].x") });
    expect(errorsOf("var.nothing.x").errors[0]).toMatchObject({ code: "null-value" });
    expect(errorsOf("var.nothing[0]").errors[0]).toMatchObject({ code: "null-value" });
    expect(errorsOf("var.x[0]").errors[0]).toMatchObject({ code: "type-mismatch", message: expect.stringContaining("number") });
    expect(errorsOf("var.m[null]").errors[0]).toMatchObject({ code: "null-value" });
    expect(errorsOf("var.m[[1]]").errors[0]).toMatchObject({ code: "type-mismatch" });
  });

  it("indexes and reads attributes of any expression", () => {
    expect(value('{ a = { b = 1 } }.a.b')).toBe(1);
    expect(value('merge({ a = 1 }, { b = 2 })["b"]')).toBe(2);
    expect(value("(var.list)[0]")).toBe("a");
    expect(errorsOf("[1][3]").errors[0]).toMatchObject({ code: "index-out-of-range" });
  });
});

describe("evaluate: operators", () => {
  it("does arithmetic on numbers, converting numeric strings", () => {
    expect(value("1 + 2")).toBe(3);
    expect(value("5 - 7")).toBe(-2);
    expect(value("3 * 4")).toBe(12);
    expect(value("7 / 2")).toBe(3.5);
    expect(value("7 % 3")).toBe(1);
    expect(value("-var.x")).toBe(-5);
    expect(value('"5" * 2')).toBe(10);
    expect(value("var.s5 + 1")).toBe(6);
  });

  it("refuses arithmetic on other types, at the operand at fault", () => {
    expect(errorsOf('"a" + 1').errors[0]).toMatchObject({ code: "type-mismatch", start: 2, end: 5, hint: expect.stringContaining("template") });
    expect(errorsOf("1 + true").errors[0]).toMatchObject({ code: "type-mismatch", start: 6, end: 10, message: expect.stringContaining("right operand") });
    expect(errorsOf("-[1]").errors[0]).toMatchObject({ code: "type-mismatch", start: 3, end: 6 });
    expect(errorsOf("1 / 0").errors[0]).toMatchObject({ code: "division-by-zero", start: 6, end: 7 });
    expect(errorsOf("1 % 0").errors[0]).toMatchObject({ code: "division-by-zero" });
    expect(errorsOf("1e308 * 10").errors[0]).toMatchObject({ code: "number-overflow" });
  });

  it("compares numbers", () => {
    expect(value("1 < 2")).toBe(true);
    expect(value("2 <= 2")).toBe(true);
    expect(value("1 > 2")).toBe(false);
    expect(value('3 >= "2"')).toBe(true);
    expect(errorsOf('"a" < "b"').errors[0]).toMatchObject({ code: "type-mismatch" });
  });

  it("compares structurally with == and !=, without converting types", () => {
    expect(value("[1, { a = [2] }] == [1, { a = [2] }]")).toBe(true);
    expect(value("{ a = 1, b = 2 } == { b = 2, a = 1 }")).toBe(true);
    expect(value("{ a = 1 } == { a = 1, b = 2 }")).toBe(false);
    expect(value("[1, 2] != [1]")).toBe(true);
    expect(value('1 == "1"')).toBe(false);
    expect(value("null == null")).toBe(true);
    expect(value("var.nothing != null")).toBe(false);
  });

  it("does logic on bools, converting \"true\"/\"false\", and short-circuits", () => {
    expect(value("true && false")).toBe(false);
    expect(value("true || false")).toBe(true);
    expect(value("!var.flag")).toBe(false);
    expect(value('"true" && true')).toBe(true);
    // The right side is not evaluated once the left side decides.
    expect(value("var.nothing == null || var.nothing.x")).toBe(true);
    expect(value("false && var.nothing.x")).toBe(false);
    expect(errorsOf("1 && true").errors[0]).toMatchObject({ code: "type-mismatch", start: 2, end: 3 });
    expect(errorsOf('!"yes"').errors[0]).toMatchObject({ code: "type-mismatch" });
  });

  it("evaluates only the chosen branch of a conditional, which needs a bool", () => {
    expect(value('var.x > 3 ? "big" : "small"')).toBe("big");
    expect(value('"false" ? 1 : 2')).toBe(2);
    expect(value("true ? 1 : var.nothing.x")).toBe(1);
    expect(errorsOf("1 ? 2 : 3").errors[0]).toMatchObject({ code: "type-mismatch", start: 2, end: 3 });
    expect(errorsOf("null ? 2 : 3").errors[0]).toMatchObject({ code: "null-value", hint: expect.stringContaining("!= null") });
  });
});

describe("evaluate: templates", () => {
  it("converts numbers and bools to strings", () => {
    expect(run("n=${var.x} b=${var.flag} f=${1.5} s=${var.name}").value).toBe("n=5 b=true f=1.5 s=prod");
    expect(run("${1e21}-").value).toBe("1000000000000000000000-");
  });

  it("evaluates escapes and directives", () => {
    expect(run("$${literal} %%{x}").value).toBe("${literal} %{x}");
    expect(run("%{ if var.x > 3 }big%{ else }small%{ endif }").value).toBe("big");
    expect(run("%{ if !var.flag }x%{ endif }").value).toBe("");
    expect(run("%{ for i, x in var.list }${i}:${x};%{ endfor }").value).toBe("0:a;1:b;");
    expect(run("%{ for k, v in var.m ~} ${k}=${v} %{~ endfor }").value).toBe("a=1b=2");
  });

  it("refuses null, lists and maps inside a string", () => {
    expect(run("a${var.list}").errors[0]).toMatchObject({ code: "type-mismatch", start: 3, end: 11, hint: expect.stringContaining("join") });
    expect(run("a${var.nothing}").errors[0]).toMatchObject({ code: "null-value", start: 3, end: 14 });
    expect(run("%{ if 3 }x%{ endif }").errors[0]).toMatchObject({ code: "type-mismatch" });
  });

  it("yields the value itself for a lone interpolation", () => {
    expect(run("${var.list}").value).toEqual(["a", "b"]);
    expect(run("${var.x}").value).toBe(5);
  });
});

describe("evaluate: for expressions and splats", () => {
  it("maps and filters lists and maps", () => {
    expect(value('[for x in var.list : upper(x)]')).toEqual(["A", "B"]);
    expect(value("[for i, x in var.nums : i * x if x > 1]")).toEqual([0, 4]);
    expect(value("[for k, v in var.m : \"${k}${v}\"]")).toEqual(["a1", "b2"]);
    expect(value("{for k, v in var.m : v => k}")).toEqual({ "1": "a", "2": "b" });
    expect(value("{for p in local.people : p.name => p.age}")).toEqual({ ann: 30, bob: 40 });
    expect(value('{for s in ["a", "bb", "cc"] : length(s) => s...}')).toEqual({ "1": ["a"], "2": ["bb", "cc"] });
  });

  it("iterates maps in key order and shadows outer names", () => {
    expect(value('[for k, v in { b = 1, a = 2 } : k]')).toEqual(["a", "b"]);
    expect(value("[for var in [1, 2] : var]")).toEqual([1, 2]);
    expect(value("[for x in [[1, 2], [3]] : [for x in x : x * 10]]")).toEqual([[10, 20], [30]]);
  });

  it("reports duplicate keys, bad collections and bad conditions", () => {
    expect(errorsOf('{for x in ["a", "a"] : x => 1}').errors[0]).toMatchObject({ code: "duplicate-key", hint: expect.stringContaining("...") });
    expect(errorsOf("[for x in 5 : x]").errors[0]).toMatchObject({ code: "type-mismatch", start: 12, end: 13 });
    expect(errorsOf("[for x in var.nothing : x]").errors[0]).toMatchObject({ code: "null-value" });
    expect(errorsOf("[for x in [1] : x if 1]").errors[0]).toMatchObject({ code: "type-mismatch" });
    // One broken element is reported once, not once per element.
    expect(errorsOf("[for p in local.people : p.nope]").errors).toHaveLength(1);
  });

  it("splats over lists, single values and null", () => {
    expect(value("local.people[*].name")).toEqual(["ann", "bob"]);
    expect(value("local.people.*.age")).toEqual([30, 40]);
    expect(value("{ a = 1 }[*].a")).toEqual([1]);
    expect(value("var.nothing[*]")).toEqual([]);
  });
});

describe("evaluate: function calls", () => {
  it("calls built-ins, with expansion of the final argument", () => {
    expect(value('toset(["b", "a", "b"])')).toEqual(["a", "b"]);
    expect(value("max(var.nums...)")).toBe(3);
    expect(value('concat(["x"], [var.list, ["c"]]...)')).toEqual(["x", "a", "b", "c"]);
    expect(errorsOf("max(1...)").errors[0]).toMatchObject({ code: "type-mismatch", start: 6, end: 7 });
  });

  it("reports unknown functions with a suggestion, and still checks the arguments", () => {
    const r = errorsOf("uper(var.nope)");
    expect(r.errors).toEqual([
      expect.objectContaining({ code: "no-attribute", start: 10, end: 15 }),
      expect.objectContaining({ code: "unknown-function", start: 2, end: 6, message: 'Call to unknown function "uper"; did you mean "upper"?' }),
    ]);
  });

  it("locates argument errors at the argument", () => {
    expect(errorsOf('upper([1])').errors[0]).toMatchObject({ code: "invalid-argument", start: 8, end: 11, message: expect.stringContaining("upper()") });
    expect(errorsOf('upper("a", "b")').errors[0]).toMatchObject({ code: "invalid-argument", start: 13, end: 16, message: expect.stringContaining("expects 1 argument") });
  });

  it("accepts functions added by spreading the built-ins, and reports what they return", () => {
    const accountsInOu = vi.fn<FunctionImpl>(([ou], span) =>
      typeof ou === "string" && ou.startsWith("ou-") ? { ...afterRefresh } : callError(span, `accounts_in_ou(): "${String(ou)}" is not an OU id`));
    const functions = { ...builtinFunctions, accounts_in_ou: accountsInOu };
    expect(run('${toset(accounts_in_ou("ou-abcd-12345678"))}', functions)).toEqual({ value: afterRefresh, errors: [] });
    expect(accountsInOu).toHaveBeenCalledWith(["ou-abcd-12345678"], { start: 8, end: 42 }, [{ start: 23, end: 41 }]);
    expect(run('${accounts_in_ou("x")}', functions).errors).toEqual([expect.objectContaining({ code: "invalid-argument", start: 2, end: 21 })]);
    // Hand-made error objects count as errors too.
    const plain: FunctionImpl = (_args, span) => ({ code: "custom", message: "no", start: span.start, end: span.end });
    expect(run("${f()}", { f: plain }).errors).toEqual([{ code: "custom", message: "no", start: 2, end: 5 }]);
    expect(run("${f()}", { f: () => { throw new Error("boom"); } }).errors[0]).toMatchObject({ code: "function-failed", message: expect.stringContaining("boom") });
  });
});

describe("evaluate: unknown values", () => {
  const unknownCases = [
    "kms_key.central.arn",
    "kms_key.central.arn.x",
    'kms_key.central.arn["k"]',
    "var.list[kms_key.central.arn]",
    "kms_key.central.arn + 1",
    "-kms_key.central.arn",
    "!kms_key.central.arn",
    'kms_key.central.arn == "x"',
    '[kms_key.central.arn] == ["x"]',
    "kms_key.central.arn && true",
    'kms_key.central.arn ? 1 : var.nothing.x',
    'upper(kms_key.central.arn)',
    'join(",", [kms_key.central.arn])',
    '"arn=${kms_key.central.arn}"',
    "[for x in kms_key.central.arn : x]",
    "[for x in [1] : x if kms_key.central.arn]",
    "{for x in [1] : kms_key.central.arn => x}",
    "{ (kms_key.central.arn) = 1 }",
    "concat(kms_key.central.arn...)",
    "kms_key.central.arn[*].id",
    '"%{ if kms_key.central.arn }a%{ endif }"',
    '"%{ for x in kms_key.central.arn }a%{ endfor }"',
  ];

  it.each(unknownCases)("%s is unknown, without errors", (expr) => {
    const r = run(`\${${expr}}`);
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual(afterApply);
  });

  it("keeps unknowns as elements of collections", () => {
    expect(value('[kms_key.central.arn, "x"]')).toEqual([afterApply, "x"]);
    expect(value("{ a = kms_key.central.arn }")).toEqual({ a: afterApply });
    expect(value('[kms_key.central.arn, "x"][1]')).toBe("x");
  });

  it("keeps the first reason", () => {
    const functions = { ...builtinFunctions, accounts_in_ou: () => ({ ...afterRefresh }) };
    expect(run('${[accounts_in_ou("ou-1"), kms_key.central.arn] == []}', functions).value).toEqual(afterRefresh);
    expect(run('a${kms_key.central.arn}${accounts_in_ou("ou-1")}', functions).value).toEqual(afterApply);
  });

  it("still reports errors next to unknowns, and a failed part wins over an unknown one", () => {
    const r = run("${kms_key.central.arn}${1 + true}");
    expect(r.errors).toHaveLength(1);
    expect(r.value).toBeNull();
  });

  it("does not call functions with unknown arguments", () => {
    const f = vi.fn<FunctionImpl>(() => 1);
    expect(run("${f([kms_key.central.arn])}", { f }).value).toEqual(afterApply);
    expect(f).not.toHaveBeenCalled();
  });
});

describe("evaluate: error collection", () => {
  it("keeps going and reports every independent error once", () => {
    const r = run("${[1 + true, var.nope, nofn(), 2]}");
    expect(r.errors.map((e) => e.code)).toEqual(["type-mismatch", "no-attribute", "unknown-function"]);
    // Failed parts are null in the result; the rest is evaluated.
    expect(r.value).toEqual([null, null, null, 2]);
  });

  it("does not repeat an error through the operations that use the failed value", () => {
    const r = run('${upper("x${1 + true}") == "X" ? var.nope : 1}');
    expect(r.errors).toHaveLength(1);
    expect(r.value).toBeNull();
  });

  it("evaluates deeply nested (but parseable) expressions without exhausting the stack", () => {
    const depth = 100;
    const p = parseExpression(`${"[".repeat(depth)}1${"]".repeat(depth)}`);
    const r = evaluate(p.expr!, staticScope({}));
    expect(r.errors).toEqual([]);
    let v = r.value;
    for (let i = 0; i < depth; i++) v = (v as Value[])[0]!;
    expect(v).toBe(1);
    const chain = parseExpression(`1${" + 1".repeat(900)}`);
    expect(evaluate(chain.expr!, staticScope({})).value).toBe(901);
  });
});

describe("evaluate never throws on parseable input", () => {
  it("returns a value and a list of errors for random expressions over the test scope", () => {
    const atoms = fc.constantFrom("var.x", "var.list", "var.m", "var.nothing", "kms_key.central.arn", '"s"', "1", "true", "null", "[]", "{}",
      "local.people", "each.key", "nope.x", "var.m.a", "var.list[0]");
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof({ depthSize: "small", withCrossShrink: true },
        atoms,
        fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"), tie("e")).map(([a, op, b]) => `(${a} ${op} ${b})`),
        fc.tuple(tie("e"), tie("e"), tie("e")).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
        fc.tuple(fc.constantFrom("length", "upper", "toset", "keys", "tostring", "jsonencode", "flatten", "concat", "merge", "coalesce", "format", "lookup"), fc.array(tie("e"), { maxLength: 3 }))
          .map(([f, args]) => `${f}(${args.join(", ")})`),
        fc.array(tie("e"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
        fc.tuple(tie("e"), tie("e")).map(([a, b]) => `${a}[${b}]`),
        tie("e").map((a) => `"x\${${a}}"`),
        tie("e").map((a) => `[for v in ${a} : v]`),
        tie("e").map((a) => `!${a}`),
      ),
    })).e;
    fc.assert(fc.property(expr, (text) => {
      const p = parseExpression(text);
      expect(p.error).toBeUndefined();
      const r = evaluate(p.expr!, staticScope(roots));
      expect(Array.isArray(r.errors)).toBe(true);
      for (const e of r.errors) {
        expect(e.start).toBeGreaterThanOrEqual(0);
        expect(e.end).toBeLessThanOrEqual(text.length);
        expect(typeof e.message).toBe("string");
      }
    }), { numRuns: 1500 });
  });
});
