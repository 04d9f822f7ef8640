// End to end, the real CLI against the sandbox: objects another team made (a KMS key, a vault encrypted with
// it, a backup plan with a selection) carry the names the configuration uses. Without an import block plan
// reports each as not the stack's and apply refuses; with import blocks plan shows the adoption (`<=`),
// apply takes the objects over (ownership tags, the key's marker alias) and makes them match, the next plan
// has nothing to do, the import blocks can then go, and the other team's statement in the vault's access
// policy survives throughout.
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  GetBackupPlanCommand,
  GetBackupVaultAccessPolicyCommand,
  ListBackupPlansCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
} from "@aws-sdk/client-backup";
import { CreateAliasCommand, CreateKeyCommand, ListAliasesCommand, ListResourceTagsCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MGMT, planLines, PROD, REGION, startEngineWorld, VAULT, vaultNames, writeConfig } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";

const STACK = "adopt";
const SID = "Crossvault5xadopt";
const VAULT_NAME = "platform-copies";
const ALIAS = "alias/platform-copies";
const PLAN_NAME = "platform-daily";
const ROLE = `arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`;
const TABLE = `arn:aws:dynamodb:${REGION}:${PROD}:table/orders`;

const main = `
crossvault {
  stack              = "${STACK}"
  management_account = account.management
  default_region     = "${REGION}"
}
account "management" { id = "${MGMT}" }
account "prod"       { id = "${PROD}" }
account "vault"      { id = "${VAULT}" }
organization { cross_account_backup = true }

kms_key "central" {
  account     = account.vault
  alias       = "${ALIAS}"
  description = "platform copies key"
}
vault "central" {
  account = account.vault
  name    = "${VAULT_NAME}"
  kms_key = kms_key.central
  tags    = { DestinationBackupVault = "true", team = "platform" }
}
backup_plan "daily" {
  account = account.prod
  name    = "${PLAN_NAME}"
  rule "nightly" {
    vault    = "Default"
    schedule = "cron(0 3 * * ? *)"
    lifecycle { delete_after_days = 35 }
    copy { to = vault.central }
  }
  selection "tables" {
    iam_role_arn = "${ROLE}"
    resources    = ["${TABLE}"]
  }
}
`;

const imports = `
import {
  to = kms_key.central
  id = "${ALIAS}"
}
import {
  to = vault.central
}
import {
  to = backup_plan.daily
  id = "${PLAN_NAME}"
}
`;

interface Statement { Sid?: string; Effect: string; Principal?: unknown; Action: unknown; Resource?: unknown }

const platformStatement: Statement = { Sid: "PlatformKeepVault", Effect: "Deny", Principal: { AWS: "*" }, Action: "backup:DeleteBackupVault", Resource: "*" };

describe("adopting objects that are not the stack's, with import blocks", () => {
  let w: EngineWorld;
  let keyId: string;
  let plain: string;
  let adopting: string;

  async function vaultPolicy(): Promise<Statement[]> {
    const out = await w.backup(VAULT).send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: VAULT_NAME }));
    return (JSON.parse(out.Policy ?? "{}") as { Statement: Statement[] }).Statement;
  }
  async function planDocument(): Promise<{ id: string; copies: number; tags: Record<string, string> }> {
    const backup = w.backup(PROD);
    const listed = ((await backup.send(new ListBackupPlansCommand({}))).BackupPlansList ?? []).filter((p) => p.BackupPlanName === PLAN_NAME);
    expect(listed).toHaveLength(1);
    const got = await backup.send(new GetBackupPlanCommand({ BackupPlanId: listed[0]!.BackupPlanId! }));
    const tags = (await backup.send(new ListTagsCommand({ ResourceArn: listed[0]!.BackupPlanArn! }))).Tags ?? {};
    return { id: listed[0]!.BackupPlanId!, copies: got.BackupPlan?.Rules?.[0]?.CopyActions?.length ?? 0, tags };
  }

  beforeAll(async () => {
    w = await startEngineWorld();
    // The platform team's objects, made before crossvault, under the names the configuration uses.
    const kms = w.kms(VAULT);
    // The key was made by the platform team's own crossvault stack: adopting it moves it from there.
    const key = await kms.send(new CreateKeyCommand({ Description: "platform copies key", Tags: [{ TagKey: "team", TagValue: "platform" }, { TagKey: "crossvault:stack", TagValue: "platform" }] }));
    keyId = key.KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: keyId }));
    const backup = w.backup(VAULT);
    await backup.send(new CreateBackupVaultCommand({
      BackupVaultName: VAULT_NAME, EncryptionKeyArn: key.KeyMetadata!.Arn!, BackupVaultTags: { DestinationBackupVault: "true", team: "platform" },
    }));
    await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: VAULT_NAME, Policy: JSON.stringify({ Version: "2012-10-17", Statement: [platformStatement] }) }));
    const plan = await w.backup(PROD).send(new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: PLAN_NAME,
        Rules: [{ RuleName: "nightly", TargetBackupVaultName: "Default", ScheduleExpression: "cron(0 3 * * ? *)", Lifecycle: { DeleteAfterDays: 35 } }],
      },
    }));
    await w.backup(PROD).send(new CreateBackupSelectionCommand({
      BackupPlanId: plan.BackupPlanId!, BackupSelection: { SelectionName: "tables", IamRoleArn: ROLE, Resources: [TABLE] },
    }));
    plain = writeConfig(w, "plain", { "main.hcl": main });
    adopting = writeConfig(w, "adopting", { "main.hcl": main, "imports.hcl": imports });
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });

  it("without import blocks, plan reports each same-named object as not the stack's, and apply refuses", async () => {
    const r = await w.cli(["plan", plain, "--detailed-exitcode"]);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`kms_key.central: a KMS key with alias ${ALIAS} exists in ${VAULT}/${REGION} and is not managed by stack ${STACK}`);
    for (const address of ["vault.central", "backup_plan.daily"]) expect(out).toMatch(new RegExp(`${address.replace(".", "\\.")}: .* exists in \\d{12}/${REGION} and is not managed by stack ${STACK}`));
    const lines = planLines(r.stdout);
    for (const address of ["kms_key.central", "vault.central", "backup_plan.daily"]) expect(lines.some((l) => l.endsWith(` ${address}`))).toBe(false);
    expect(lines.some((l) => l.startsWith("<="))).toBe(false);

    const apply = await w.cli(["apply", plain, "--auto-approve"]);
    expect(apply.code).toBe(1);
    expect(apply.stdout).not.toContain("Apply complete");
    expect((await vaultPolicy()).map((s) => s.Sid)).toEqual(["PlatformKeepVault"]);
    expect((await planDocument()).copies).toBe(0);
  }, 60_000);

  it("with import blocks, plan shows the adoptions with what they change (exit 2)", async () => {
    const r = await w.cli(["plan", adopting, "--detailed-exitcode"]);
    expect(r.stderr).not.toMatch(/Error|Internal/);
    expect(r.code).toBe(2);
    expect(planLines(r.stdout)).toEqual([
      "+ vault_policy.central",
      "<= backup_plan.daily",
      "<= backup_selection.daily.tables",
      "<= kms_key.central",
      "<= vault.central",
      "~ cross_account_setting",
      "~ org_trust",
    ]);
    expect(r.stdout).toContain("Plan: 1 to add, 2 to change, 0 to destroy, 4 to adopt.");
    expect(r.stdout + r.stderr).toMatch(/kms_key\.central: .* belongs to stack platform; adopting it moves it to this stack/);

    const json = await w.cli(["plan", adopting, "--json"]);
    const plan = JSON.parse(json.stdout) as { applyable: boolean; summary: unknown; changes: Array<{ address: string; action: string; id?: string; changes: Array<{ path: string }> }> };
    expect(plan.applyable).toBe(true);
    expect(plan.summary).toEqual({ add: 1, change: 2, destroy: 0, adopt: 4 });
    const change = (address: string) => plan.changes.find((c) => c.address === address)!;
    expect(change("kms_key.central")).toMatchObject({ action: "adopt", id: keyId });
    // Adoption makes the objects match the configuration: the plan gains its copy action, the key rotation.
    expect(change("backup_plan.daily").changes.map((c) => c.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^rules.*copy_actions/)]));
    expect(change("kms_key.central").changes.map((c) => c.path)).toContain("enable_key_rotation");
  }, 60_000);

  it("apply adopts: the objects carry the stack's tags, the key its marker alias, the plan its copy action", async () => {
    const r = await w.cli(["apply", adopting, "--auto-approve"]);
    expect(r.stderr).not.toMatch(/failed|Internal/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Apply complete! Resources: 1 added, 2 changed, 0 destroyed, 4 adopted.");

    const vaultArn = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:${VAULT_NAME}`;
    const vaultTags = (await w.backup(VAULT).send(new ListTagsCommand({ ResourceArn: vaultArn }))).Tags;
    expect(vaultTags).toMatchObject({ DestinationBackupVault: "true", team: "platform", "crossvault:stack": STACK, "crossvault:address": "vault.central" });
    const keyTags = (await w.kms(VAULT).send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags ?? [];
    expect(keyTags).toEqual(expect.arrayContaining([{ TagKey: "crossvault:stack", TagValue: STACK }, { TagKey: "crossvault:address", TagValue: "kms_key.central" }]));
    const aliases = ((await w.kms(VAULT).send(new ListAliasesCommand({ KeyId: keyId }))).Aliases ?? []).map((a) => a.AliasName);
    expect(aliases).toContain(ALIAS);
    expect(aliases.length).toBe(2);
    const plan = await planDocument();
    expect(plan.copies).toBe(1);
    expect(plan.tags).toMatchObject({ "crossvault:stack": STACK, "crossvault:address": "backup_plan.daily" });
    // Nothing was created beside the adopted objects.
    expect((await vaultNames(w, VAULT)).filter((n) => n !== "Default")).toEqual([VAULT_NAME]);
  }, 60_000);

  it("a second plan has nothing to do (exit 0 with --detailed-exitcode), with or without the import blocks", async () => {
    const again = await w.cli(["plan", adopting, "--detailed-exitcode"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes.");
    expect(planLines(again.stdout)).toEqual([]);
    // Once adopted, an import block is a no-op: it may go.
    const without = await w.cli(["plan", plain, "--detailed-exitcode"]);
    expect(without.code).toBe(0);
    expect(without.stdout).toContain("No changes.");
  }, 60_000);

  it("keeps the platform team's statement in the adopted vault's access policy beside the stack's", async () => {
    const statements = await vaultPolicy();
    expect(statements.find((s) => s.Sid === "PlatformKeepVault")).toEqual(platformStatement);
    const ours = statements.filter((s) => s.Sid?.startsWith(SID));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ Effect: "Allow", Action: expect.arrayContaining(["backup:CopyIntoBackupVault"]) });
  });
});
