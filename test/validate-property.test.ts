// Property: whatever is done to a valid example (lines deleted or swapped, values of the wrong type, garbage
// bytes, truncation), loading it never throws, and every diagnostic points at a place in one of its files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load.js";
import { repoRoot } from "./cli.js";

type Files = Record<string, string>;

function readExample(name: string): Files {
  const dir = path.join(repoRoot, "examples", name);
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".hcl")).sort().map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
}

const examples: Files[] = [readExample("basic"), readExample("org-wide")];

type Mutation = (text: string) => string;

const lines = (t: string) => t.split("\n");

const deleteLine = (at: number): Mutation => (t) => {
  const l = lines(t);
  l.splice(at % l.length, 1);
  return l.join("\n");
};

const swapLines = (a: number, b: number): Mutation => (t) => {
  const l = lines(t);
  const i = a % l.length;
  const j = b % l.length;
  [l[i], l[j]] = [l[j]!, l[i]!];
  return l.join("\n");
};

const values = ['"text"', "42", "-1", "true", "null", "[]", '["a", 1]', "{}", '{ a = "b" }', "account.prod", "vault.nowhere", "var.missing",
  "local.x", "each.key", 'upper("x")', "toset([1, 1])", '"${var.retention_days}"', "1.5", "kms_key.central.arn", '"cron(0 5 ? * * *)"',
  'accounts_in_ou("ou-ab12-cdefgh34")', "(", "[", '"', "<<EOT"];

/** Replaces the value of the n-th attribute with another kind of value. */
const replaceValue = (at: number, value: string): Mutation => (t) => {
  const l = lines(t);
  const attrs = l.map((line, i) => [line, i] as const).filter(([line]) => /^\s*[a-z_]+\s*=/.test(line));
  if (attrs.length === 0) return t;
  const [line, i] = attrs[at % attrs.length]!;
  l[i] = line.replace(/=.*$/, `= ${value}`);
  return l.join("\n");
};

/** Swaps the values of two attributes. */
const swapValues = (a: number, b: number): Mutation => (t) => {
  const l = lines(t);
  const attrs = l.map((line, i) => [line, i] as const).filter(([line]) => /^\s*[a-z_]+\s*=/.test(line));
  if (attrs.length < 2) return t;
  const [la, ia] = attrs[a % attrs.length]!;
  const [lb, ib] = attrs[b % attrs.length]!;
  const va = la.slice(la.indexOf("=") + 1);
  const vb = lb.slice(lb.indexOf("=") + 1);
  l[ia] = la.slice(0, la.indexOf("=") + 1) + vb;
  l[ib] = lb.slice(0, lb.indexOf("=") + 1) + va;
  return l.join("\n");
};

const insertGarbage = (at: number, garbage: string): Mutation => (t) => {
  const i = at % (t.length + 1);
  return t.slice(0, i) + garbage + t.slice(i);
};

const truncate = (at: number): Mutation => (t) => t.slice(0, at % (t.length + 1));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(deleteLine),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => swapLines(a, b)),
  fc.tuple(fc.nat(), fc.constantFrom(...values)).map(([a, v]) => replaceValue(a, v)),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => swapValues(a, b)),
  fc.tuple(fc.nat(), fc.string({ unit: "binary", maxLength: 8 })).map(([a, g]) => insertGarbage(a, g)),
  fc.tuple(fc.nat(), fc.constantFrom("{", "}", '"', "${", "\u0000", "\uFFFD", "= =", "\n}\n", "/*", "<<EOT\n", "%{")).map(([a, g]) => insertGarbage(a, g)),
  fc.nat().map(truncate),
);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("loadConfig on mutated examples", () => {
  // 300 loads take a few seconds alone; the whole suite on two CPUs has been seen to stretch them past the default
  // 30 s. This is a test of what loading does, not of how fast: a generous bound, not a timing.
  it("never throws, and every diagnostic has a place in one of the files", { timeout: 180_000 }, async () => {
    const arbitrary = fc.record({
      example: fc.nat({ max: examples.length - 1 }),
      file: fc.nat(),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ example, file, mutations }) => {
        const files = { ...examples[example]! };
        const names = Object.keys(files);
        const target = names[file % names.length]!;
        files[target] = mutations.reduce((text, m) => m(text), files[target]!);
        const dir = mkdtempSync(path.join(tmpdir(), "crossvault-prop-"));
        dirs.push(dir);
        for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);

        const r = await loadConfig(dir, { env: {} });
        const lineCounts = new Map(r.files.map((f) => [f.name, f.text.split("\n").length]));
        for (const d of r.diagnostics) {
          expect(d.summary).toBeTruthy();
          expect(d.pos, `${d.code}: ${d.summary}`).toBeDefined();
          expect(lineCounts.has(d.pos!.file)).toBe(true);
          expect(d.pos!.line).toBeGreaterThanOrEqual(1);
          expect(d.pos!.line).toBeLessThanOrEqual(lineCounts.get(d.pos!.file)! + 1);
          expect(d.pos!.column).toBeGreaterThanOrEqual(1);
          expect(d.code).not.toBe("internal");
        }
        if (r.config) expect(r.diagnostics.every((d) => d.severity === "warning")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
