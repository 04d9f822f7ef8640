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

async function load(text: string, opts: LoadOptions = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "crossvault-import-"));
  dirs.push(dir);
  await writeFile(path.join(dir, "main.hcl"), text);
  const r = await loadConfig(dir, { env: {}, ...opts });
  return { ...r, where: r.diagnostics.map((d: Diagnostic) => `${d.pos?.line}:${d.pos?.column} ${d.code}`) };
}

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
kms_key "central" {
  account = account.vault
  alias   = "alias/central"
}
vault "central" {
  account = account.vault
  name    = "central-copies"
  kms_key = kms_key.central
}
locals {
  envs = toset(["prod", "staging"])
}
`;

const more = `vault "local" {
  for_each = local.envs
  account  = account.prod
  name     = "local-\${each.key}"
}
backup_plan "daily" {
  account = account.prod
  rule "r" {
    vault = "Default"
  }
}
kms_key "shared" {
  arn = "arn:aws:kms:eu-west-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
`;

/** The first import block starts at line 41; each one-attribute block takes 3 lines, a two-attribute one 4. */
const imports = (...blocks: string[]) => head + more + blocks.map((b) => `import {\n${b}\n}\n`).join("");

describe("import blocks", () => {
  it("names a resource, one for_each instance, or all of them, with or without an id", async () => {
    const r = await load(imports(
      "  to = vault.central\n  id = \"central-copies\"",
      "  to = kms_key.central\n  id = \"alias/central\"",
      "  to = backup_plan.daily",
      '  to = vault.local["prod"]\n  id = "arn:aws:backup:eu-west-1:222222222222:backup-vault:local-prod"',
    ));
    expect(r.diagnostics).toEqual([]);
    expect(r.config!.imports.map((i) => [i.address, i.instances, i.id])).toEqual([
      ["vault.central", ["vault.central"], "central-copies"],
      ["kms_key.central", ["kms_key.central"], "alias/central"],
      ["backup_plan.daily", ["backup_plan.daily"], undefined],
      ['vault.local["prod"]', ['vault.local["prod"]'], "arn:aws:backup:eu-west-1:222222222222:backup-vault:local-prod"],
    ]);
    expect(r.config!.imports[0]).toMatchObject({ to: { kind: "vault", name: "central" }, pos: { line: 41, column: 1 } });
    expect(r.config!.imports[3]!.to).toEqual({ kind: "vault", name: "local", key: "prod" });

    const all = await load(imports("  to = vault.local"));
    expect(all.diagnostics).toEqual([]);
    expect(all.config!.imports).toMatchObject([{ address: "vault.local", to: { kind: "vault", name: "local", all: true }, instances: ['vault.local["prod"]', 'vault.local["staging"]'] }]);
  });

  it("takes an id from variables and locals, and accepts a key's alias ARN", async () => {
    const r = await load(`${imports('  to = vault.central\n  id = var.central', '  to = kms_key.central\n  id = "arn:aws:kms:eu-west-1:333333333333:alias/central"')}
variable "central" {
  default = "central-copies"
}
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.config!.imports.map((i) => i.id)).toEqual(["central-copies", "arn:aws:kms:eu-west-1:333333333333:alias/central"]);
  });

  it("reports a to that names nothing declared, at the reference, with a suggestion", async () => {
    const r = await load(imports("  to = vault.centrl", '  to = vault.local["prdo"]', "  to = backup_plan.weekly"));
    expect(r.where).toEqual(["42:8 import-undeclared", "45:19 import-undeclared", "48:8 import-undeclared"]);
    expect(r.diagnostics[0]).toMatchObject({ summary: "import names vault.centrl, which the configuration does not declare", detail: expect.stringContaining('Did you mean "central"?') });
    expect(r.diagnostics[1]).toMatchObject({ summary: 'import names vault.local["prdo"], but vault.local has no instance "prdo"', detail: 'Did you mean "prod"?' });
    expect(r.config).toBeUndefined();
  });

  it("accepts only static addresses of vaults, created keys and plans", async () => {
    const r = await load(imports(
      '  to = "vault.central"',
      "  to = account.prod",
      "  to = vault.central.arn",
      "  to = vault.local[local.envs]",
      '  to = vault.central["x"]',
      "  to = kms_key.shared",
      "  to = var.x",
      "  to = vault",
    ));
    expect(r.where).toEqual([
      "42:3 import-target", "45:8 import-target", "48:21 import-target", "51:19 import-target",
      "54:21 import-target", "57:8 import-target", "60:8 import-target", "63:8 import-target",
    ]);
    expect(r.diagnostics[0]!.detail).toBe("Write the address without quotes: to = vault.central.");
    expect(r.diagnostics[1]!.summary).toBe("account resources cannot be imported: crossvault adopts vaults, KMS keys and backup plans");
    expect(r.diagnostics[2]!.summary).toBe("to names an attribute of vault.central; name the resource itself");
    expect(r.diagnostics[5]!.summary).toContain("kms_key.shared is an existing key named by arn");
  });

  it("checks id against the name the configuration gives the object", async () => {
    const r = await load(imports(
      '  to = vault.central\n  id = "central"',
      '  to = backup_plan.daily\n  id = "0a1b2c3d-1111-2222-3333-444455556666"',
      '  to = kms_key.central\n  id = "1234abcd-12ab-34cd-56ef-1234567890ab"',
      '  to = vault.local\n  id = "local-prod"',
    ));
    expect(r.where).toEqual(["43:3 import-id", "47:3 import-id", "51:3 import-id", "55:3 import-id"]);
    expect(r.diagnostics[0]!.summary).toBe('id "central" is not the vault vault.central declares ("central-copies" in 333333333333/eu-west-1)');
    expect(r.diagnostics[0]!.detail).toContain('set name = "central" on vault.central');
    expect(r.diagnostics[1]!.detail).toContain("by its name, not by its id or ARN");
    expect(r.diagnostics[2]!.summary).toBe("a kms_key is imported by its alias, not by its key id or key ARN");
    expect(r.diagnostics[3]!.summary).toBe("one id cannot name every instance of vault.local");
    const alias = await load(imports('  to = kms_key.central\n  id = "alias/other"'));
    expect(alias.where).toEqual(["43:3 import-id"]);
    expect(alias.diagnostics[0]!.detail).toContain('set alias = "alias/other" on kms_key.central');
  });

  it("reports the same object imported twice, also through a whole for_each block", async () => {
    const r = await load(imports("  to = vault.central", "  to = vault.central", "  to = vault.local", '  to = vault.local["staging"]'));
    expect(r.where).toEqual(["45:8 duplicate-import", "51:8 duplicate-import"]);
    expect(r.diagnostics[0]!.detail).toMatch(/^The first import is at .*main\.hcl:42:8; keep one\.$/);
  });

  it("reports a missing to and unknown attributes through the schema, and allows any number of import blocks", async () => {
    const r = await load(imports('  id = "x"', "  to = vault.central\n  from = 1"));
    expect(r.where).toEqual(["41:1 missing-attribute", "46:3 unknown-attribute"]);
  });

  it("leaves the instances of a set known only after refresh to plan, and checks them then", async () => {
    const text = `${head}vault "ou" {
  for_each = toset(accounts_in_ou("ou-ab12-cdefgh34"))
  account  = each.value
  name     = "ou-copies"
}
import {
  to = vault.ou["444444444444"]
}
import {
  to = vault.ou
}
`;
    const before = await load(text);
    expect(before.diagnostics).toEqual([]);
    expect(before.config!.imports.map((i) => [i.address, i.instances])).toEqual([['vault.ou["444444444444"]', []], ["vault.ou", []]]);

    const accountsInOu = (ou: string) => (ou === "ou-ab12-cdefgh34" ? ["444444444444", "555555555555"] : undefined);
    const after = await load(text, { orgQueries: { accountsInOu } });
    expect(after.where).toEqual(["36:8 duplicate-import"]);
    const single = await load(text.replace(/import \{\n {2}to = vault\.ou\n\}\n/, ""), { orgQueries: { accountsInOu } });
    expect(single.diagnostics).toEqual([]);
    expect(single.config!.imports[0]!.instances).toEqual(['vault.ou["444444444444"]']);
  });
});
