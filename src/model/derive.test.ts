import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/model.js";
import { deriveDesired } from "./derive.js";
import { account, config, copy, createdKey, graphProblems, notPlainJson, ORG, plan, rule, toVault, vault } from "./derive-fixture.js";
import { normalizeStatement } from "./policy-normal.js";
import type { DesiredResource } from "./resource.js";

const examples = fileURLToPath(new URL("../../examples/", import.meta.url));

async function example(name: string): Promise<Config> {
  const loaded = await loadConfig(`${examples}${name}`);
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return loaded.config!;
}

function byAddress(resources: DesiredResource[], address: string): DesiredResource {
  const r = resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} among ${resources.map((x) => x.address).join(", ")}`);
  return r;
}

function checkShape(resources: DesiredResource[]): void {
  expect(graphProblems(resources)).toEqual([]);
  for (const r of resources) expect(notPlainJson(r), r.address).toBeUndefined();
  const addresses = resources.map((r) => r.address);
  expect(addresses).toEqual([...addresses].sort());
}

describe("deriveDesired on examples/basic", () => {
  it("derives one resource per kind with the expected addresses", async () => {
    const { resources, diagnostics } = deriveDesired(await example("basic"), undefined);
    expect(diagnostics).toEqual([]);
    checkShape(resources);
    expect(resources.map((r) => `${r.type} ${r.address} ${r.accountId}/${r.region}`)).toEqual([
      "backup_plan backup_plan.daily 222222222222/eu-west-1",
      "backup_selection backup_selection.daily.tagged 222222222222/eu-west-1",
      "cross_account_setting cross_account_setting 111111111111/eu-west-1",
      "kms_key kms_key.central 333333333333/eu-west-1",
      "org_trust org_trust 111111111111/global",
      "vault vault.central 333333333333/eu-west-1",
      "vault vault.prod_local 222222222222/eu-west-1",
      "vault_policy vault_policy.central 333333333333/eu-west-1",
    ]);
  });

  it("lets the production account copy into the central vault, and waits for it in the plan", async () => {
    const { resources } = deriveDesired(await example("basic"), undefined);
    expect(byAddress(resources, "vault_policy.central").attributes).toEqual({
      vault_name: "central-copies",
      statements: [{ Sid: "Crossvault4xdemoCopyInto222222222222", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::222222222222:root"] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] }],
    });
    expect(byAddress(resources, "backup_plan.daily").dependsOn).toEqual(["cross_account_setting", "org_trust", "vault.central", "vault.prod_local", "vault_policy.central"]);
    // prod_local uses the AWS managed key: nothing to share.
    expect(resources.some((r) => r.type === "key_share")).toBe(false);
    expect(byAddress(resources, "vault.prod_local").attributes.encryption_key_arn).toBe("alias/aws/backup");
  });
});

describe("deriveDesired on examples/org-wide", () => {
  it("shares each workload key with the vault account and covers the routes with the organization statement", async () => {
    const { resources, diagnostics } = deriveDesired(await example("org-wide"), ORG);
    expect(diagnostics).toEqual([]);
    checkShape(resources);
    const shares = resources.filter((r) => r.type === "key_share").map((r) => r.address);
    expect(shares).toEqual(["analytics", "identity", "orders", "payments", "search"].map((k) => `key_share.workload["${k}"]->999999999999`));
    const policy = byAddress(resources, "vault_policy.central");
    expect(policy.attributes.statements).toEqual([
      { Sid: "Crossvault10xorgXbackupOrgCopyInto", Effect: "Allow", Principal: "*", Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } } },
    ]);
    const payments = byAddress(resources, 'backup_plan.daily["payments"]');
    expect(payments.dependsOn).toEqual(['cross_account_setting', 'key_share.workload["payments"]->999999999999', "org_trust", "vault.central", 'vault.local["payments"]', "vault_policy.central"]);
    expect(byAddress(resources, "vault.central").preventDestroy).toBe(true);
    expect(byAddress(resources, "vault_lock.central")).toMatchObject({ preventDestroy: true, writeOnly: ["changeable_for_days"], attributes: { vault_name: "org-central", min_retention_days: 30, max_retention_days: 3650 } });
    for (const r of resources) {
      for (const s of (r.attributes.statements ?? []) as unknown[]) expect(normalizeStatement(s)).toEqual(s);
    }
  });

  it("keeps the organization condition pending, with a warning, when the organization was not read", async () => {
    const { resources, diagnostics } = deriveDesired(await example("org-wide"), undefined);
    expect(diagnostics.map((d) => [d.code, d.address])).toEqual([["organization-id-unknown", "vault.central.allow_copy_from"]]);
    const [statement] = byAddress(resources, "vault_policy.central").attributes.statements as Array<{ Condition: unknown }>;
    expect(statement!.Condition).toEqual({ StringEquals: { "aws:PrincipalOrgID": { $pending: { address: "organization", attribute: "id" } } } });
  });
});

describe("organization resources", () => {
  const routeConfig = (organization: Config["organization"]) => {
    const p = plan("daily", "prod", []);
    p.rules.push(rule(p.address, "nightly", { kind: "vault", name: "local" }, { copies: [copy(p.address, "nightly", 0, toVault("central"))] }));
    return config({
      ...(organization ? { organization } : {}),
      kmsKeys: [createdKey("central", "vault", "alias/central")],
      vaults: [vault("local", "prod", "222222222222"), vault("central", "vault", "333333333333", { kmsKey: { kind: "kms_key", name: "central" } })],
      backupPlans: [p],
    });
  };

  it("derives trust and the setting in the management account only when declared on", () => {
    const on = deriveDesired(routeConfig({ address: "organization", pos: { file: "m.hcl", line: 3, column: 1 }, crossAccountBackup: true }), ORG);
    expect(byAddress(on.resources, "org_trust")).toMatchObject({ accountId: "111111111111", region: "global", identity: "org_trust", attributes: { service_principal: "backup.amazonaws.com", enabled: true } });
    expect(byAddress(on.resources, "cross_account_setting")).toMatchObject({ accountId: "111111111111", region: "eu-west-1", attributes: { enabled: true }, dependsOn: ["org_trust"] });
    expect(on.diagnostics).toEqual([]);

    const off = deriveDesired(routeConfig(undefined), ORG);
    expect(off.resources.some((r) => r.type === "org_trust" || r.type === "cross_account_setting")).toBe(false);
    expect(off.diagnostics).toMatchObject([{ severity: "warning", code: "cross-account-backup-assumed", rule: "[S2]", address: "backup_plan.daily.rule.nightly.copy[0]" }]);
    expect(byAddress(off.resources, "backup_plan.daily").dependsOn).not.toContain("org_trust");
  });

  it("puts the setting in the first plan's region without a default region", () => {
    const c = routeConfig({ address: "organization", pos: { file: "m.hcl", line: 3, column: 1 }, crossAccountBackup: true });
    const { defaultRegion: _, ...settings } = c.settings;
    c.settings = settings;
    c.backupPlans[0]!.region = "ap-southeast-2";
    expect(byAddress(deriveDesired(c, ORG).resources, "cross_account_setting").region).toBe("ap-southeast-2");
  });
});

describe("what derive cannot know", () => {
  it("reports a deferred for_each as an error naming the block", () => {
    const c = config({ deferred: [{ address: "backup_plan.ou", pos: { file: "p.hcl", line: 4, column: 3 }, reason: "accounts_in_ou(...) is known after refresh" }] });
    expect(deriveDesired(c, undefined).diagnostics).toMatchObject([{ severity: "error", code: "instances-unknown", address: "backup_plan.ou", pos: { line: 4 } }]);
  });

  it("reports an undeclared account instead of throwing, and leaves the resource out", () => {
    const c = config({ vaults: [vault("orphan", "nobody", "999999999999")] });
    const { resources, diagnostics } = deriveDesired(c, undefined);
    expect(resources).toEqual([]);
    expect(diagnostics).toMatchObject([{ severity: "error", code: "unresolved-reference", address: "vault.orphan" }]);
  });

  it("drops dependencies on resources it had to leave out", () => {
    const p = plan("daily", "prod", []);
    p.rules.push(rule(p.address, "nightly", { kind: "vault", name: "local" }, { copies: [copy(p.address, "nightly", 0, toVault("central"))] }));
    const c = config({
      accounts: [account("management", "111111111111"), account("prod", "222222222222")],
      vaults: [vault("local", "prod", "222222222222"), vault("central", "gone", "333333333333")],
      backupPlans: [p],
    });
    const { resources, diagnostics } = deriveDesired(c, ORG);
    expect(diagnostics.some((d) => d.code === "unresolved-reference")).toBe(true);
    expect(graphProblems(resources)).toEqual([]);
  });
});

describe("diagnostics", () => {
  it("reports an unresolved reference once, however many steps meet it", () => {
    const p = plan("daily", "ghost", []);
    p.rules.push(rule(p.address, "nightly", { kind: "vault", name: "local" }, { copies: [copy(p.address, "nightly", 0, toVault("central")), copy(p.address, "nightly", 1, toVault("central"))] }));
    const c = config({ vaults: [vault("local", "prod", "222222222222"), vault("central", "vault", "333333333333")], backupPlans: [p] });
    const unresolved = deriveDesired(c, ORG).diagnostics.filter((d) => d.code === "unresolved-reference");
    expect(unresolved).toMatchObject([{ severity: "error", address: "backup_plan.daily", summary: "account.ghost is not declared" }]);
  });
});
