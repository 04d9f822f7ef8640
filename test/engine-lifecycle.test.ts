// End to end, the real CLI against the sandbox over the real SDK: plan shows what apply will do; apply creates
// it; a second plan has nothing to do; statements others put into vault and key policies survive every apply
// and the destroy, and so does a selection someone adds to a stack's plan (the destroy refuses that plan); a saved plan whose objects changed is refused; destroy removes what the stack owns and
// nothing else (and stops at a vault holding recovery points); a copy job over each route completes.
import { CreateBackupPlanCommand, CreateBackupSelectionCommand, CreateBackupVaultCommand, DeleteBackupSelectionCommand, DescribeGlobalSettingsCommand, GetBackupVaultAccessPolicyCommand, ListBackupPlansCommand, ListBackupSelectionsCommand, ListTagsCommand, PutBackupVaultAccessPolicyCommand } from "@aws-sdk/client-backup";
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { ListAWSServiceAccessForOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awaitCopy, MGMT, planLines, PROD, REGION, STAGING, stackKeys, startEngineWorld, VAULT, vaultNames, writeConfig } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";

const STACK = "e2e";
const SID = "Crossvault3xe2e";
const centralArn = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:e2e-central`;

function config(stagingKeyArn: string): Record<string, string> {
  return {
    "main.hcl": `
crossvault {
  stack              = "${STACK}"
  management_account = account.management
  default_region     = "${REGION}"
}
account "management" { id = "${MGMT}" }
account "prod"       { id = "${PROD}" }
account "vault"      { id = "${VAULT}" }
account "staging"    { id = "${STAGING}" }
organization { cross_account_backup = true }
variable "retention_days" {
  type    = number
  default = 35
}
`,
    "storage.hcl": `
kms_key "central" {
  account = account.vault
  alias   = "alias/e2e-central"
}
# An existing key, made outside crossvault: only the stack's share statements in its policy are managed.
kms_key "staging" {
  arn = "${stagingKeyArn}"
}
vault "central" {
  account = account.vault
  name    = "e2e-central"
  kms_key = kms_key.central
  tags    = { DestinationBackupVault = "true" }
}
vault "prod_local" {
  account = account.prod
  name    = "e2e-prod"
}
vault "staging_local" {
  account = account.staging
  name    = "e2e-staging"
  kms_key = kms_key.staging
}
`,
    "plans.hcl": `
backup_plan "prod" {
  account = account.prod
  rule "nightly" {
    vault = vault.prod_local
    lifecycle { delete_after_days = var.retention_days }
    copy { to = vault.central }
  }
  selection "tables" {
    iam_role_arn = "arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:dynamodb:${REGION}:${PROD}:table/orders"]
  }
}
# EBS is not fully managed by AWS Backup: the copy needs the staging key shared with the vault account [S5].
backup_plan "staging" {
  account = account.staging
  rule "nightly" {
    vault = vault.staging_local
    copy { to = vault.central }
  }
  selection "volumes" {
    iam_role_arn = "arn:aws:iam::${STAGING}:role/service-role/AWSBackupDefaultServiceRole"
    resources    = ["arn:aws:ec2:${REGION}:${STAGING}:volume/vol-0123456789abcdef0"]
  }
}
`,
  };
}

interface Statement { Sid?: string; Effect: string; Principal?: unknown; Action: unknown; Resource?: unknown; Condition?: unknown }

const foreignVaultStatement = (sid: string): Statement => ({
  Sid: sid, Effect: "Deny", Principal: { AWS: "*" }, Action: "backup:DeleteBackupVault", Resource: "*",
});

describe("plan, apply, destroy against the sandbox", () => {
  let w: EngineWorld;
  let dir: string;
  let stagingKeyArn: string;

  async function vaultPolicy(): Promise<Statement[]> {
    const out = await w.backup(VAULT).send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: "e2e-central" }));
    return (JSON.parse(out.Policy ?? "{}") as { Statement: Statement[] }).Statement;
  }
  async function stagingKeyPolicy(): Promise<Statement[]> {
    const out = await w.kms(STAGING).send(new GetKeyPolicyCommand({ KeyId: stagingKeyArn, PolicyName: "default" }));
    return (JSON.parse(out.Policy ?? "{}") as { Statement: Statement[] }).Statement;
  }
  const sids = (statements: Statement[]): string[] => statements.map((s) => s.Sid ?? "").sort();

  beforeAll(async () => {
    w = await startEngineWorld();
    // What was there before crossvault: a key with someone else's statement, and objects of another team.
    const kms = w.kms(STAGING);
    const key = await kms.send(new CreateKeyCommand({ Description: "staging data key, managed by the platform team" }));
    stagingKeyArn = key.KeyMetadata!.Arn!;
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: stagingKeyArn, PolicyName: "default" }))).Policy!) as { Statement: Statement[] };
    policy.Statement.push({ Sid: "PlatformAudit", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: ["kms:DescribeKey"], Resource: "*" });
    await kms.send(new PutKeyPolicyCommand({ KeyId: stagingKeyArn, PolicyName: "default", Policy: JSON.stringify(policy) }));
    await w.backup(VAULT).send(new CreateBackupVaultCommand({ BackupVaultName: "foreign-vault" }));
    const foreignKey = await w.kms(VAULT).send(new CreateKeyCommand({ Description: "someone else's key" }));
    await w.kms(VAULT).send(new CreateAliasCommand({ AliasName: "alias/foreign", TargetKeyId: foreignKey.KeyMetadata!.KeyId! }));
    await w.backup(PROD).send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "foreign-plan", Rules: [{ RuleName: "r", TargetBackupVaultName: "Default" }] } }));
    dir = writeConfig(w, "stack", config(stagingKeyArn));
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });

  it("plan shows the actions apply will take, and exits 2 with --detailed-exitcode", async () => {
    const r = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(r.stderr).not.toMatch(/Error|Internal/);
    expect(r.code).toBe(2);
    expect(planLines(r.stdout)).toEqual([
      "+ backup_plan.prod",
      "+ backup_plan.staging",
      "+ backup_selection.prod.tables",
      "+ backup_selection.staging.volumes",
      `+ key_share.staging->${VAULT}`,
      "+ kms_key.central",
      "+ vault.central",
      "+ vault.prod_local",
      "+ vault.staging_local",
      "+ vault_policy.central",
      "~ cross_account_setting",
      "~ org_trust",
    ]);
    expect(r.stdout).toContain("Plan: 10 to add, 2 to change, 0 to destroy.");
    expect(r.stderr).toContain("Reading the live state of 4 accounts");

    const json = await w.cli(["plan", dir, "--json"]);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as { format_version: string; summary: unknown; applyable: boolean; changes: Array<{ address: string; action: string }> };
    expect(plan.format_version).toBe("1.0");
    expect(plan.applyable).toBe(true);
    expect(plan.summary).toEqual({ add: 10, change: 2, destroy: 0, adopt: 0 });
  }, 60_000);

  it("apply creates everything, in every account", async () => {
    const r = await w.cli(["apply", dir, "--auto-approve"]);
    expect(r.stderr).not.toMatch(/failed|Internal/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Apply complete! Resources: 10 added, 2 changed, 0 destroyed.");
    expect(await vaultNames(w, VAULT)).toEqual(["Default", "e2e-central", "foreign-vault"].sort());
    expect(await vaultNames(w, PROD)).toEqual(expect.arrayContaining(["e2e-prod"]));
    expect(await vaultNames(w, STAGING)).toEqual(expect.arrayContaining(["e2e-staging"]));
    expect(await stackKeys(w, STACK, VAULT)).toHaveLength(1);
    const tags = await w.backup(VAULT).send(new ListTagsCommand({ ResourceArn: centralArn }));
    expect(tags.Tags).toMatchObject({ DestinationBackupVault: "true", "crossvault:stack": STACK, "crossvault:address": "vault.central" });
    expect(sids(await vaultPolicy()).every((s) => s.startsWith(SID))).toBe(true);
    const keySids = sids(await stagingKeyPolicy());
    expect(keySids).toContain("PlatformAudit");
    expect(keySids.some((s) => s.startsWith(SID))).toBe(true);
    const plans = (await w.backup(STAGING).send(new ListBackupPlansCommand({}))).BackupPlansList ?? [];
    expect(plans.map((p) => p.BackupPlanName)).toEqual(["staging"]);
    const home = await w.backup(MGMT, REGION).send(new DescribeGlobalSettingsCommand({}));
    expect(home.GlobalSettings?.isCrossAccountBackupEnabled).toBe("true");
  }, 60_000);

  it("a second plan shows no changes (exit 0 with --detailed-exitcode)", async () => {
    const r = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No changes.");
    expect(planLines(r.stdout)).toEqual([]);
  }, 60_000);

  it("keeps statements others add to the vault and key policies through an apply that changes the stack's own", async () => {
    const mine = await vaultPolicy();
    await w.backup(VAULT).send(new PutBackupVaultAccessPolicyCommand({
      BackupVaultName: "e2e-central",
      Policy: JSON.stringify({ Version: "2012-10-17", Statement: [...mine, foreignVaultStatement("KeepVaultForever")] }),
    }));
    const keyPolicy = { Version: "2012-10-17", Statement: [...(await stagingKeyPolicy()), { Sid: "SecurityTeamRead", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: "kms:GetKeyPolicy", Resource: "*" }] };
    await w.kms(STAGING).send(new PutKeyPolicyCommand({ KeyId: stagingKeyArn, PolicyName: "default", Policy: JSON.stringify(keyPolicy) }));

    // Foreign statements are not the stack's business: nothing to do.
    const quiet = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(quiet.code).toBe(0);

    // Drop the staging route: the stack's statements for it go, the others stay.
    const files = config(stagingKeyArn);
    files["plans.hcl"] = files["plans.hcl"]!.replace(/    copy \{ to = vault.central \}\n  \}\n  selection "volumes"/, '  }\n  selection "volumes"');
    const edited = writeConfig(w, "edited", files);
    const r = await w.cli(["apply", edited, "--auto-approve", "--var", "retention_days=40"]);
    expect(r.code).toBe(0);
    // No desired share names it any more: the plan names the share as the key's share alias remembers it.
    expect(planLines(r.stdout)).toEqual([`- key_share.staging->${VAULT}`, "~ backup_plan.prod", "~ backup_plan.staging", "~ vault_policy.central"]);
    expect(sids(await vaultPolicy())).toContain("KeepVaultForever");
    expect((await vaultPolicy()).find((s) => s.Sid === "KeepVaultForever")).toMatchObject({ Effect: "Deny", Action: "backup:DeleteBackupVault" });
    const keySids = sids(await stagingKeyPolicy());
    expect(keySids).toEqual(expect.arrayContaining(["PlatformAudit", "SecurityTeamRead"]));
    expect(keySids.some((s) => s.startsWith(SID))).toBe(false);

    // And back: the stack's statements return, the foreign ones are still there.
    const back = await w.cli(["apply", dir, "--auto-approve"]);
    expect(back.code).toBe(0);
    expect(sids(await vaultPolicy())).toContain("KeepVaultForever");
    expect(sids(await stagingKeyPolicy())).toEqual(expect.arrayContaining(["PlatformAudit", "SecurityTeamRead"]));
    expect(sids(await stagingKeyPolicy()).some((s) => s.startsWith(SID))).toBe(true);
    expect((await w.cli(["plan", dir, "--detailed-exitcode"])).code).toBe(0);
  }, 120_000);

  it("refuses a saved plan whose objects changed since it was made, and applies a fresh one", async () => {
    const planFile = path.join(w.dir, "retention.plan.json");
    const made = await w.cli(["plan", dir, "--var", "retention_days=50", "--out", planFile]);
    expect(made.code).toBe(0);
    expect(JSON.parse(readFileSync(planFile, "utf8")).summary).toEqual({ add: 0, change: 1, destroy: 0, adopt: 0 });
    // Someone changes the vault policy between plan and apply.
    await w.backup(VAULT).send(new PutBackupVaultAccessPolicyCommand({
      BackupVaultName: "e2e-central",
      Policy: JSON.stringify({ Version: "2012-10-17", Statement: [...(await vaultPolicy()), foreignVaultStatement("AnotherTeam")] }),
    }));
    const stale = await w.cli(["apply", planFile]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("Error: plan is stale: vault_policy.central changed since the plan was made; run plan again");
    // The hint repeats how this plan was made (its directory, and that it had variables), not a bare `plan`.
    expect(stale.stderr).toMatch(/Make a new plan with `crossvault plan \S+ --out \S*retention\.plan\.json` \(with the same --var and --var-file values\)/);
    expect(stale.stdout).not.toContain("Apply complete");

    const again = await w.cli(["plan", dir, "--var", "retention_days=50", "--out", planFile]);
    expect(again.code).toBe(0);
    const applied = await w.cli(["apply", planFile]);
    expect(applied.stderr).not.toContain("stale");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
    expect((await w.cli(["plan", dir, "--var", "retention_days=50", "--detailed-exitcode"])).code).toBe(0);
  }, 120_000);

  it("keeps a selection someone adds to a stack's plan, and will not destroy the plan around it", async () => {
    const plans = (await w.backup(PROD).send(new ListBackupPlansCommand({}))).BackupPlansList ?? [];
    const planId = plans.find((p) => p.BackupPlanName !== "foreign-plan")!.BackupPlanId!;
    const added = await w.backup(PROD).send(new CreateBackupSelectionCommand({
      BackupPlanId: planId,
      BackupSelection: { SelectionName: "audit-team", IamRoleArn: `arn:aws:iam::${PROD}:role/audit`, Resources: [`arn:aws:dynamodb:${REGION}:${PROD}:table/audit`] },
    }));
    // Not the stack's: no change to make, and an apply leaves it alone.
    expect((await w.cli(["plan", dir, "--var", "retention_days=50", "--detailed-exitcode"])).code).toBe(0);
    const refused = await w.cli(["destroy", dir, "--auto-approve"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Error: cannot delete backup_plan.prod: it holds selection "audit-team" that the stack did not create');
    expect(refused.stderr).toContain("nothing was changed");
    const selections = (await w.backup(PROD).send(new ListBackupSelectionsCommand({ BackupPlanId: planId }))).BackupSelectionsList ?? [];
    expect(selections.map((x) => x.SelectionName).sort()).toEqual(["audit-team", "tables"]);
    // Its owner takes it away; then the stack's plan can go.
    await w.backup(PROD).send(new DeleteBackupSelectionCommand({ BackupPlanId: planId, SelectionId: added.SelectionId }));
  }, 120_000);

  it("destroy removes what the stack owns and nothing else", async () => {
    const r = await w.cli(["destroy", dir, "--auto-approve"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Destroy complete! Resources: 10 destroyed.");
    // The other teams' statements went with the vault: the plan said so.
    expect(r.stdout + r.stderr).toMatch(/vault\.central: deleting the vault deletes its access policy, with 2 statements others put there/);
    expect(await vaultNames(w, VAULT)).toEqual(["Default", "foreign-vault"]);
    expect(await vaultNames(w, PROD)).not.toContain("e2e-prod");
    expect(await vaultNames(w, STAGING)).not.toContain("e2e-staging");
    expect(await stackKeys(w, STACK, VAULT)).toEqual([]);
    expect((await stackKeys(w, STACK, VAULT, REGION, { includePendingDeletion: true })).length).toBe(1);
    // The other team's key, plan and statements are untouched; the existing key stays, without our shares.
    const foreign = await w.kms(VAULT).send(new DescribeKeyCommand({ KeyId: "alias/foreign" }));
    expect(foreign.KeyMetadata?.KeyState).toBe("Enabled");
    expect((await w.kms(STAGING).send(new DescribeKeyCommand({ KeyId: stagingKeyArn }))).KeyMetadata?.KeyState).toBe("Enabled");
    const keySids = sids(await stagingKeyPolicy());
    expect(keySids).toEqual(expect.arrayContaining(["PlatformAudit", "SecurityTeamRead"]));
    expect(keySids.some((s) => s.startsWith(SID))).toBe(false);
    expect(((await w.backup(PROD).send(new ListBackupPlansCommand({}))).BackupPlansList ?? []).map((p) => p.BackupPlanName)).toEqual(["foreign-plan"]);
    // Trusted access and the cross-account setting stay on.
    const org = new OrganizationsClient({ region: "us-east-1", endpoint: w.sandbox.url, credentials: { accessKeyId: "AKIASANDBOX111111111", secretAccessKey: "x" } });
    const access = await org.send(new ListAWSServiceAccessForOrganizationCommand({}));
    org.destroy();
    expect(access.EnabledServicePrincipals?.map((p) => p.ServicePrincipal)).toContain("backup.amazonaws.com");
    expect((await w.backup(MGMT, REGION).send(new DescribeGlobalSettingsCommand({}))).GlobalSettings?.isCrossAccountBackupEnabled).toBe("true");

    const after = await w.cli(["plan", dir, "--destroy", "--detailed-exitcode"]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("No changes.");
  }, 120_000);

  it("completes a copy job over each route", async () => {
    const r = await w.cli(["apply", dir, "--auto-approve"]);
    expect(r.code).toBe(0);
    await w.control("run-due-plans");
    expect(await awaitCopy(w, PROD, centralArn)).toEqual({ state: "COMPLETED" });
    expect(await awaitCopy(w, STAGING, centralArn)).toEqual({ state: "COMPLETED" });
  }, 120_000);

  it("destroy stops at a vault holding recovery points, and changes nothing", async () => {
    const r = await w.cli(["destroy", dir, "--auto-approve"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Error: cannot delete vault\.central: 2 recovery points/);
    expect(r.stderr).toContain("nothing was changed");
    expect(await vaultNames(w, VAULT)).toContain("e2e-central");
    expect((await w.cli(["plan", dir, "--detailed-exitcode"])).code).toBe(0);
  }, 60_000);
});
