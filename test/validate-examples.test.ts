// End to end: the real CLI validates the bundled examples. Every examples/invalid/<case> fails with exactly
// the diagnostics in its expected.json (code, file, line, column); the valid examples pass with none.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./cli.js";

interface Expected {
  code: string;
  file: string;
  line: number;
  column: number;
}

interface JsonReport {
  format_version: string;
  valid: boolean;
  error_count: number;
  warning_count: number;
  diagnostics: Array<Expected & { severity: string; summary: string; detail: string | null; address: string | null; rule: string | null }>;
}

const invalidRoot = path.join(repoRoot, "examples", "invalid");
const cases = readdirSync(invalidRoot, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

function expectedOf(name: string): Expected[] {
  return (JSON.parse(readFileSync(path.join(invalidRoot, name, "expected.json"), "utf8")) as { diagnostics: Expected[] }).diagnostics;
}

const stackTrace = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at file:|node:internal/m;

describe("crossvault validate on examples/invalid", () => {
  it("has a case for every check", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%s: --json reports exactly the expected diagnostics", async (name) => {
    const r = await runCli(["validate", "--json", "."], { cwd: path.join(invalidRoot, name) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report).toMatchObject({ format_version: "1.0", valid: false });
    expect(report.error_count).toBeGreaterThan(0);
    expect(report.diagnostics.map(({ code, file, line, column }) => ({ code, file, line, column }))).toEqual(expectedOf(name));
    for (const d of report.diagnostics) {
      expect(d.summary.length).toBeGreaterThan(0);
      expect(d.detail ?? "").not.toBe("");
    }
  });

  it.each(cases)("%s: human output names file:line:col, with no stack trace", async (name) => {
    const r = await runCli(["validate", "."], { cwd: path.join(invalidRoot, name) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(stackTrace);
    const lines = r.stderr.split("\n");
    for (const e of expectedOf(name)) {
      expect(lines.some((l) => l.startsWith(`${e.file}:${e.line}:${e.column}: error: `))).toBe(true);
    }
    expect(r.stderr).toMatch(/The configuration is not valid: \d+ errors?/);
  });
});

describe("crossvault validate on the valid examples", () => {
  it.each(["basic", "org-wide"])("examples/%s is valid with no diagnostics", async (name) => {
    const json = await runCli(["validate", "--json", `examples/${name}`]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, error_count: 0, warning_count: 0, diagnostics: [], known_after_refresh: [] });
    const human = await runCli(["validate", `examples/${name}`]);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe("");
    expect(human.stdout).toMatch(/^Success! The configuration is valid \(\d+ files\)\.\n$/);
  });
});

describe("crossvault validate variables and errors", () => {
  const missing = path.join("examples", "invalid", "missing-variable");

  const tmp = mkdtempSync(path.join(tmpdir(), "crossvault-validate-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("takes a required variable from --var, from the environment, or from --var-file", async () => {
    expect((await runCli(["validate", missing, "--var", "retention_days=30"])).code).toBe(0);
    expect((await runCli(["validate", missing], { env: { CROSSVAULT_VAR_retention_days: "30" } })).code).toBe(0);
    writeFileSync(path.join(tmp, "vars.json"), JSON.stringify({ retention_days: 30 }));
    writeFileSync(path.join(tmp, "vars.hcl"), "retention_days = 30\n");
    writeFileSync(path.join(tmp, "broken.hcl"), "retention_days = [\n");
    expect((await runCli(["validate", missing, "--var-file", path.join(tmp, "vars.json")])).code).toBe(0);
    expect((await runCli(["validate", missing, "--var-file", path.join(tmp, "vars.hcl")])).code).toBe(0);
    // A broken var-file is reported at its place.
    const bad = await runCli(["validate", "--json", missing, "--var-file", path.join(tmp, "broken.hcl")]);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as JsonReport).diagnostics[0]).toMatchObject({ code: "syntax", file: path.join(tmp, "broken.hcl") });
  });

  it("reports a for_each over the live organization as known after refresh, not as an error", async () => {
    const dir = path.join(tmp, "deferred");
    mkdirSync(dir);
    const basic = readFileSync(path.join(repoRoot, "examples", "basic", "main.hcl"), "utf8");
    writeFileSync(path.join(dir, "main.hcl"), `${basic}
vault "ou" {
  for_each = toset(accounts_in_ou("ou-ab12-cdefgh34"))
  account  = each.value
  name     = "ou-copies"
}
`);
    const human = await runCli(["validate", dir]);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain(`${path.join(dir, "main.hcl")}:28:3: note: the instances of vault.ou are known after refresh`);
    const json = JSON.parse((await runCli(["validate", "--json", dir])).stdout) as { valid: boolean; known_after_refresh: unknown[] };
    expect(json.valid).toBe(true);
    expect(json.known_after_refresh).toEqual([{ address: "vault.ou", file: path.join(dir, "main.hcl"), line: 28, column: 3, reason: 'accounts_in_ou("ou-ab12-cdefgh34") is known after refresh' }]);
  });

  it("reports a wrong --var value and an undeclared one", async () => {
    const r = await runCli(["validate", "--json", missing, "--var", "retention_days=many", "--var", "retention=3"]);
    expect(r.code).toBe(1);
    const codes = (JSON.parse(r.stdout) as JsonReport).diagnostics.map((d) => d.code);
    expect(codes).toEqual(["invalid-variable-value", "undeclared-variable"]);
  });

  it("rejects a malformed --var and a missing directory without a stack trace", async () => {
    const malformed = await runCli(["validate", "examples/basic", "--var", "retention_days"]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("--var retention_days: expected name=value");
    expect(malformed.stderr).not.toMatch(stackTrace);
    const nowhere = await runCli(["validate", "examples/does-not-exist"]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain("examples/does-not-exist: no such file or directory");
    expect(nowhere.stderr).not.toMatch(stackTrace);
  });
});
