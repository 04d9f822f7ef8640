// The calls a no-change read makes, counted by the sandbox: the batched minimum (four list calls per
// account-region, detail calls only for the stack's and the config's objects, one AssumeRole per member
// account), and not one more for foreign objects beside them.
import { BackupClient, CreateBackupPlanCommand, CreateBackupVaultCommand, GetBackupPlanCommand, UpdateBackupPlanCommand } from "@aws-sdk/client-backup";
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attributesHash } from "../src/model/ownership.js";
import type { DesiredResource } from "../src/model/resource.js";
import { readLive } from "../src/providers/aws/index.js";
import type { ReadScope } from "../src/providers/aws/index.js";
import { applyInOrder, createChange, desiredState, HOME, MGMT, newPool, PROD, REGION, STAGING, startEngineSandbox, VAULT } from "./engine-aws-support.js";
import type { EngineSandbox } from "./engine-aws-support.js";

const STACK = "core";

/**
 * The expected calls, from what the test created (not from the reader's code): per account-region the four
 * batched lists; per vault its tags and access policy; per customer key its tags, metadata, rotation and
 * policy; per plan its tags and selection list, and its document only when the version the stack recorded does
 * not vouch for it (`documents`: plans changed since the stack wrote them); each selection only when its token
 * does not vouch for it (`selections`: those whose desired attributes differ from what created them); the
 * organization's two settings; one AssumeRole per member account.
 */
function expectedCalls(lanes: ReadonlyArray<{ vaults: number; keys: number; plans: number; selections: number; documents?: number }>, memberAccounts: number): Record<string, number> {
  const sum = (f: (l: (typeof lanes)[number]) => number): number => lanes.reduce((n, l) => n + f(l), 0);
  const counts: Record<string, number> = {
    "backup:ListBackupVaults": lanes.length,
    "backup:ListBackupPlans": lanes.length,
    "kms:ListAliases": lanes.length,
    // Only where a key is created: a create cut short before its alias is found there.
    "kms:ListKeys": lanes.filter((l) => l.keys > 0).length,
    "backup:ListTags": sum((l) => l.vaults + l.plans),
    "backup:GetBackupVaultAccessPolicy": sum((l) => l.vaults),
    "kms:ListResourceTags": sum((l) => l.keys),
    "kms:DescribeKey": sum((l) => l.keys),
    "kms:GetKeyRotationStatus": sum((l) => l.keys),
    "kms:GetKeyPolicy": sum((l) => l.keys),
    "backup:GetBackupPlan": sum((l) => l.documents ?? 0),
    "backup:ListBackupSelections": sum((l) => l.plans),
    "backup:GetBackupSelection": sum((l) => l.selections),
    "organizations:ListAWSServiceAccessForOrganization": 1,
    // The organization's SCPs (the sandbox's only one is FullAWSAccess, which carries no tags to list).
    "organizations:ListRoots": 1,
    "organizations:ListPolicies": 1,
    "organizations:DescribePolicy": 1,
    "organizations:ListTargetsForPolicy": 1,
    "backup:DescribeGlobalSettings": 1,
    "sts:AssumeRole": memberAccounts,
  };
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

describe("calls of a no-change read", () => {
  let env: EngineSandbox;
  let desired: DesiredResource[];
  let scope: ReadScope;

  beforeAll(async () => {
    env = await startEngineSandbox();
    desired = desiredState(STACK);
    await applyInOrder(env.pool, STACK, desired.map(createChange));
    scope = {
      stack: STACK,
      accounts: [MGMT, PROD, VAULT, STAGING].map((accountId) => ({ accountId, regions: [REGION] })),
      desired, managementAccountId: MGMT, manageOrg: true, homeRegion: HOME,
    };
    // KMS creates the AWS managed Backup key on first use; the first read names it once, later reads list it.
    await readLive(env.pool, scope);
  });
  afterAll(async () => {
    await env?.stop();
  });

  // mgmt: nothing; prod: vault, key, plan + selection (created from the desired attributes: not read in detail);
  // vault: vault, key; staging: vault on the AWS managed key.
  const layout = [
    { vaults: 0, keys: 0, plans: 0, selections: 0 },
    { vaults: 1, keys: 1, plans: 1, selections: 0 },
    { vaults: 1, keys: 1, plans: 0, selections: 0 },
    { vaults: 1, keys: 0, plans: 0, selections: 0 },
  ];

  async function countedRead(readScope: ReadScope = scope): Promise<{ stats: ReturnType<EngineSandbox["sandbox"]["stats"]>; read: Awaited<ReturnType<typeof readLive>> }> {
    const pool = newPool();
    env.sandbox.resetStats();
    const read = await readLive(pool, readScope);
    pool.destroy();
    expect(read.unreadable).toEqual([]);
    expect(read.resources).toHaveLength(desired.length);
    return { stats: env.sandbox.stats(), read };
  }

  it("makes exactly the batched minimum of calls", async () => {
    const { stats } = await countedRead();
    // AWS answers GetBackupVaultAccessPolicy for a vault without a policy (prod and plain) with not found.
    expect(stats.errors).toEqual({ ResourceNotFoundException: 2 });
    expect(stats.byOperation).toEqual(expectedCalls(layout, 3));
  });

  it("makes no more calls when foreign vaults, plans and keys share the accounts", async () => {
    const config = { region: REGION, endpoint: env.sandbox.url, credentials: { accessKeyId: "AKIASANDBOX444444444", secretAccessKey: "x" } };
    const backup = new BackupClient(config);
    const kms = new KMSClient(config);
    for (const name of ["team-a", "team-b", "team-c"]) await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, BackupVaultTags: { owner: name } }));
    for (const name of ["team-a-daily", "team-b-daily"]) {
      await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [{ RuleName: "r", TargetBackupVaultName: "team-a", ScheduleExpression: "cron(0 1 ? * * *)" }] } }));
    }
    for (const name of ["alias/team-a", "alias/team-b"]) {
      const key = await kms.send(new CreateKeyCommand({ Description: name }));
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyMetadata!.KeyId! }));
    }
    backup.destroy();
    kms.destroy();
    const { stats } = await countedRead();
    expect(stats.byOperation).toEqual(expectedCalls(layout, 3));
  });

  it("reads a selection in detail once the config wants it different from what created it", async () => {
    const selection = desired.find((d) => d.type === "backup_selection")!;
    const edited = desired.map((d) => (d === selection ? { ...d, attributes: { ...d.attributes, resources: ["arn:aws:dynamodb:eu-west-1:222222222222:table/other"] } } : d));
    const { stats, read } = await countedRead({ ...scope, desired: edited });
    expect(stats.byOperation).toEqual(expectedCalls(layout.map((l) => ({ ...l, selections: l.plans })), 3));
    // What AWS holds, not what the config now asks for.
    expect(read.resources.find((r) => r.identity === selection.identity)?.attributes.resources).toEqual(selection.attributes.resources);
  });

  it("reads a plan's document once it changed behind the stack's back, and sees the drift", async () => {
    const plan = desired.find((d) => d.type === "backup_plan")!;
    const live = (await countedRead()).read.resources.find((r) => r.identity === plan.identity)!;
    const pool = newPool();
    const prod = pool.backup(PROD, REGION);
    const got = await prod.send(new GetBackupPlanCommand({ BackupPlanId: live.id }));
    const rules = got.BackupPlan!.Rules!.map((r) => ({ ...r, RuleName: r.RuleName!, TargetBackupVaultName: r.TargetBackupVaultName!, StartWindowMinutes: 90 }));
    await prod.send(new UpdateBackupPlanCommand({ BackupPlanId: live.id, BackupPlan: { BackupPlanName: got.BackupPlan!.BackupPlanName!, Rules: rules } }));
    pool.destroy();
    const { stats, read } = await countedRead();
    expect(stats.byOperation).toEqual(expectedCalls(layout.map((l) => ({ ...l, documents: l.plans })), 3));
    const drifted = read.resources.find((r) => r.identity === plan.identity)!;
    expect(drifted.appliedHash).not.toBe(attributesHash(drifted.attributes));
  });
});
