import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "./diagnostics.js";
import { loadConfig, type LoadOptions } from "./load.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Writes files into a fresh directory and loads it; diagnostics' file names are the bare file names. */
async function load(files: Record<string, string>, opts: LoadOptions = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "crossvault-load-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  const r = await loadConfig(dir, { env: {}, ...opts });
  const rename = (d: Diagnostic): Diagnostic => (d.pos ? { ...d, pos: { ...d.pos, file: path.basename(d.pos.file) } } : d);
  return { ...r, diagnostics: r.diagnostics.map(rename), dir };
}

const where = (d: Diagnostic) => `${d.pos?.file}:${d.pos?.line}:${d.pos?.column} ${d.code}`;

const head = `crossvault {
  stack              = "t"
  management_account = account.management
  default_region     = "eu-west-1"
}
account "management" {
  id = "111111111111"
}
account "prod" {
  id = "222222222222"
}
account "vault" {
  id = "333333333333"
}
organization {
  cross_account_backup = true
}
kms_key "central" {
  account = account.vault
  alias   = "alias/central"
}
vault "central" {
  account = account.vault
  kms_key = kms_key.central
}
`;

const plan = (body: string) => `backup_plan "daily" {
  account = account.prod
  rule "r" {
    vault = "Default"
${body}
  }
}
`;

describe("loadConfig", () => {
  it("returns a typed config for a valid directory", async () => {
    const r = await load({ "main.hcl": head + plan("    copy {\n      to = vault.central\n    }") });
    expect(r.diagnostics).toEqual([]);
    const c = r.config!;
    expect(c.settings).toMatchObject({ stack: "t", managementAccount: { kind: "account", name: "management" }, assumeRoleName: "OrganizationAccountAccessRole" });
    expect(c.vaults[0]).toMatchObject({ address: "vault.central", vaultName: "central", arn: "arn:aws:backup:eu-west-1:333333333333:backup-vault:central", kmsKey: { kind: "kms_key", name: "central" } });
    expect(c.kmsKeys[0]).toMatchObject({ mode: "created", arn: { $unknown: "after-apply" } });
    expect(c.copyRoutes).toHaveLength(1);
    expect(c.copyRoutes[0]).toMatchObject({
      address: "backup_plan.daily.rule.r.copy[0]",
      source: { plan: "daily", rule: "r", planAddress: "backup_plan.daily" },
      destination: { kind: "vault", vault: { kind: "vault", name: "central" } },
      pos: { line: 30, column: 5 },
    });
    expect(c.backupPlans[0]!.rules[0]!.vault).toEqual({ kind: "vault_name", name: "Default" });
  });

  it("expands for_each into addressed instances with each.key and each.value", async () => {
    const r = await load({
      "main.hcl": `${head}
locals {
  envs = { prod = account.prod, vault = account.vault }
}
vault "local" {
  for_each = local.envs
  account  = each.value
  name     = "local-\${each.key}"
}
backup_plan "daily" {
  for_each = local.envs
  account  = each.value
  rule "r" {
    vault = vault.local[each.key]
  }
}
`,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.config!.vaults.map((v) => [v.address, v.vaultName, v.key])).toEqual([
      ["vault.central", "central", undefined],
      ['vault.local["prod"]', "local-prod", "prod"],
      ['vault.local["vault"]', "local-vault", "vault"],
    ]);
    expect(r.config!.backupPlans.map((p) => [p.address, p.account, p.rules[0]!.vault])).toEqual([
      ['backup_plan.daily["prod"]', { kind: "account", name: "prod" }, { kind: "vault", name: "local", key: "prod" }],
      ['backup_plan.daily["vault"]', { kind: "account", name: "vault" }, { kind: "vault", name: "local", key: "vault" }],
    ]);
  });

  it("defers a for_each over accounts_in_ou without an organization, and expands it with one", async () => {
    const files = {
      "main.hcl": `${head}
backup_plan "ou" {
  for_each = toset(accounts_in_ou("ou-ab12-cdefgh34"))
  account  = each.value
  rule "r" {
    vault = "Default"
    copy {
      to = vault.central
    }
  }
}
`,
    };
    const deferred = await load(files);
    expect(deferred.diagnostics).toEqual([]);
    expect(deferred.config!.deferred).toMatchObject([{ address: "backup_plan.ou", pos: { line: 28, column: 3 }, reason: expect.stringContaining("known after refresh") }]);
    expect(deferred.config!.backupPlans).toEqual([]);

    const live = await load(files, { orgQueries: { accountsInOu: (ou) => (ou === "ou-ab12-cdefgh34" ? ["444444444444", "555555555555"] : undefined) } });
    expect(live.diagnostics).toEqual([]);
    expect(live.config!.backupPlans.map((p) => [p.address, p.account])).toEqual([
      ['backup_plan.ou["444444444444"]', { kind: "account_id", id: "444444444444" }],
      ['backup_plan.ou["555555555555"]', { kind: "account_id", id: "555555555555" }],
    ]);
    expect(live.config!.copyRoutes).toHaveLength(2);

    const missing = await load(files, { orgQueries: { accountsInOu: () => undefined } });
    expect(missing.diagnostics.map(where)).toEqual(["main.hcl:28:20 invalid-argument"]);
  });

  it("still checks the body of a deferred block", async () => {
    const r = await load({
      "main.hcl": `${head}
vault "ou" {
  for_each = toset(accounts_in_ou("ou-ab12-cdefgh34"))
  account  = each.value
  name     = "x"
  colour   = "blue"
}
`,
    });
    // Nothing is said about each.value (unknown until refresh); the rest is checked as usual.
    expect(r.diagnostics.map(where)).toEqual(["main.hcl:30:3 invalid-vault-name", "main.hcl:31:3 unknown-attribute"]);
  });

  it("resolves variables from defaults, the environment, var-files and --var, in that order", async () => {
    const files = {
      "main.hcl": `${head}
variable "days" {
  type = number
}
variable "name" {
  type    = string
  default = "from-default"
}
variable "regions" {
  type    = list(string)
  default = []
}
`,
      "vars.hcl": "",
    };
    const dir = await mkdtemp(path.join(tmpdir(), "crossvault-vars-"));
    dirs.push(dir);
    const hclFile = path.join(dir, "a.hcl");
    const jsonFile = path.join(dir, "b.json");
    await writeFile(hclFile, 'days = 10\nname = "from-hcl"\n');
    await writeFile(jsonFile, JSON.stringify({ days: 20 }));
    delete (files as Record<string, string>)["vars.hcl"];

    const missing = await load(files);
    expect(missing.diagnostics).toMatchObject([{ code: "missing-variable", summary: expect.stringContaining('"days"'), pos: { line: 27, column: 1 } }]);

    const env = await load(files, { env: { CROSSVAULT_VAR_days: "5", CROSSVAULT_VAR_regions: '["eu-west-1"]' } });
    expect(env.diagnostics).toEqual([]);
    expect(env.config!.variables.map((v) => [v.name, v.value, v.source])).toEqual([
      ["days", 5, "env"], ["name", "from-default", "default"], ["regions", ["eu-west-1"], "env"],
    ]);

    const files2 = await load(files, { env: { CROSSVAULT_VAR_days: "5" }, varFiles: [hclFile, jsonFile] });
    expect(files2.config!.variables.map((v) => [v.name, v.value])).toEqual([["days", 20], ["name", "from-hcl"], ["regions", []]]);

    const cli = await load(files, { varFiles: [hclFile], vars: { days: "30" } });
    expect(cli.config!.variables[0]).toMatchObject({ value: 30, source: "cli" });

    const wrong = await load(files, { vars: { days: "thirty", dayz: "1" } });
    expect(wrong.diagnostics.map((d) => [d.code, d.summary])).toEqual([
      ["invalid-variable-value", '--var days=... for var.days: expected a number, got "thirty"'],
      ["undeclared-variable", '--var dayz=... sets "dayz", which is not a declared variable'],
    ]);
    expect(wrong.diagnostics[1]!.detail).toBe('Did you mean "days"?');

    // A JSON var-file's problems are placed where they are: the syntax error, and a value of the wrong type.
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, '{\n  "days": 20,\n  "name": "x",,\n}\n');
    const syntax = await load(files, { varFiles: [broken] });
    expect(syntax.diagnostics.filter((d) => d.code === "invalid-var-file").map(where)).toEqual(["broken.json:3:15 invalid-var-file"]);
    const typed = path.join(dir, "typed.json");
    await writeFile(typed, '{\n  "name": "x",\n  "days": "twenty"\n}\n');
    const value = await load(files, { varFiles: [typed] });
    expect(value.diagnostics.map(where)).toEqual(["typed.json:3:3 invalid-variable-value"]);
  });

  it("checks variable validations", async () => {
    const r = await load({
      "main.hcl": `${head}
variable "days" {
  type = number
  validation {
    condition     = var.days >= 7
    error_message = "At least a week."
  }
}
`,
    }, { vars: { days: "3" } });
    expect(r.diagnostics).toMatchObject([{ code: "variable-validation", summary: "At least a week.", pos: { line: 30, column: 5 } }]);
  });

  it("reports reference cycles with their path", async () => {
    const r = await load({
      "main.hcl": `${head}
locals {
  a = local.b
  b = "\${local.c}-x"
  c = local.a
}
vault "x" {
  account = account.prod
  name    = vault.y.name
}
vault "y" {
  account = account.prod
  name    = vault.x.name
}
`,
    });
    const cycles = r.diagnostics.filter((d) => d.code === "reference-cycle");
    expect(cycles.map((d) => [where(d), d.summary])).toEqual([
      ["main.hcl:30:7 reference-cycle", "reference cycle: local.a -> local.b -> local.c -> local.a"],
      ["main.hcl:38:13 reference-cycle", "reference cycle: vault.x.name -> vault.y.name -> vault.x.name"],
    ]);
    expect(r.diagnostics).toHaveLength(2);
  });

  it("points expression errors at the offending reference", async () => {
    const r = await load({
      "main.hcl": `${head}
vault "x" {
  account = account.prodd
  name    = "v-\${var.nope}"
  tags    = { a = local.missing, b = upperr("x") }
}
`,
    });
    expect(r.diagnostics.map((d) => [where(d), d.detail])).toEqual([
      ["main.hcl:28:13 unresolved-reference", 'Did you mean "prod"?'],
      ["main.hcl:29:18 unresolved-reference", expect.stringContaining('variable "nope"')],
      ["main.hcl:30:19 unresolved-reference", expect.stringContaining("locals")],
      ["main.hcl:30:38 unknown-function", expect.any(String)],
    ]);
  });

  it("detects duplicates across files, which HCL merges silently", async () => {
    const r = await load({ "a.hcl": head, "b.hcl": 'account "prod" {\n  id = "444444444444"\n}\n' });
    expect(r.diagnostics.map(where)).toEqual(["b.hcl:1:1 duplicate-block"]);
    expect(r.diagnostics[0]!.detail).toContain("a.hcl:9:1");
  });

  it("reports each.* outside for_each, unknowns that must be known, and bad for_each values", async () => {
    const r = await load({
      "main.hcl": `${head}
vault "va" {
  account = account.prod
  name    = each.key
}
vault "vb" {
  for_each = 3
  account  = account.prod
}
vault "vc" {
  account = account.prod
  tags    = { key = kms_key.central.arn }
}
`,
    });
    expect(r.diagnostics.map(where)).toEqual([
      "main.hcl:29:13 unresolved-reference",
      "main.hcl:32:3 invalid-for-each",
      "main.hcl:37:3 value-unknown",
    ]);
  });

  it("applies [X1] and [S3] to copies into another account only", async () => {
    const copyTo = (arnAccount: string) => plan(`    copy {\n      to_arn = "arn:aws:backup:eu-central-1:${arnAccount}:backup-vault:Default"\n    }`);
    const same = await load({ "main.hcl": head + copyTo("222222222222") });
    expect(same.diagnostics).toEqual([]);
    const other = await load({ "main.hcl": head + copyTo("333333333333") });
    expect(other.diagnostics.map((d) => [where(d), d.rule])).toEqual([["main.hcl:31:7 default-vault-destination", "[X1]"]]);
  });

  it("treats __proto__ as an ordinary name", async () => {
    const r = await load({
      "main.hcl": `${head}
locals {
  __proto__ = { "__proto__" = "x" }
}
vault "local" {
  account = account.prod
  tags    = local.__proto__
}
`,
    });
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.config!.locals)).toEqual(["__proto__"]);
    expect(Object.entries(r.config!.vaults[1]!.tags)).toEqual([["__proto__", "x"]]);
  });

  it("never throws for a missing directory or an empty one", async () => {
    const missing = await loadConfig(path.join(tmpdir(), "crossvault-does-not-exist"));
    expect(missing.diagnostics).toMatchObject([{ code: "no-configuration" }]);
    const empty = await load({ "notes.txt": "x" });
    expect(empty.diagnostics).toMatchObject([{ code: "no-configuration" }]);
  });
});
