// AWS Backup resource operations through the real AWS SDK v3 client over HTTP against an in-process sandbox:
// vaults, access policies, Vault Lock, plans and versions, selections, global settings and tags, with the
// typed exceptions the SDK raises and the shapes it deserialises (timestamps as Date).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlreadyExistsException,
  BackupClient,
  BackupServiceException,
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DescribeBackupVaultCommand,
  DescribeGlobalSettingsCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetBackupVaultAccessPolicyCommand,
  InvalidParameterValueException,
  InvalidRequestException,
  ListBackupPlanVersionsCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListBackupVaultsCommand,
  ListTagsCommand,
  MissingParameterValueException,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateBackupPlanCommand,
  UpdateGlobalSettingsCommand,
  paginateListBackupVaults,
} from "@aws-sdk/client-backup";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle } from "../src/sandbox/index.js";

const REGION = "eu-west-1";
const MANAGEMENT = "111111111111";
const PROD = "222222222222";
const VAULT_ACCOUNT = "333333333333";
const KEYS: Record<string, string> = {
  [MANAGEMENT]: "AKIASANDBOX111111111",
  [PROD]: "AKIASANDBOX222222222",
  [VAULT_ACCOUNT]: "AKIASANDBOX333333333",
  "999999999999": "AKIASANDBOX999999999",
};
const DAY_MS = 86_400_000;

let sandbox: SandboxHandle;

function clientConfig(accountId: string) {
  return {
    endpoint: sandbox.url,
    region: REGION,
    credentials: { accessKeyId: KEYS[accountId]!, secretAccessKey: "sandbox-secret" },
    maxAttempts: 1,
  };
}
const backup = (accountId: string) => new BackupClient(clientConfig(accountId));

/** The exception a call rejects with (failing the test if it succeeds). */
async function failure(p: Promise<unknown>): Promise<BackupServiceException> {
  try {
    await p;
  } catch (e) {
    return e as BackupServiceException;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe("backup vaults over the SDK", () => {
  const prod = () => backup(PROD);

  it("creates, describes, lists and deletes vaults, with typed errors", async () => {
    const created = await prod().send(new CreateBackupVaultCommand({ BackupVaultName: "sdk-vault", CreatorRequestId: "req-1", BackupVaultTags: { team: "ops" } }));
    expect(created.BackupVaultArn).toBe(`arn:aws:backup:${REGION}:${PROD}:backup-vault:sdk-vault`);
    expect(created.CreationDate).toBeInstanceOf(Date);

    const again = await prod().send(new CreateBackupVaultCommand({ BackupVaultName: "sdk-vault", CreatorRequestId: "req-1" }));
    expect(again.CreationDate?.getTime()).toBe(created.CreationDate?.getTime());
    const dup = await failure(prod().send(new CreateBackupVaultCommand({ BackupVaultName: "sdk-vault" })));
    expect(dup).toBeInstanceOf(AlreadyExistsException);
    expect((dup as AlreadyExistsException).Arn).toBe(created.BackupVaultArn);
    expect((dup as AlreadyExistsException).CreatorRequestId).toBe("req-1");
    expect(dup.$metadata.httpStatusCode).toBe(400);

    const d = await prod().send(new DescribeBackupVaultCommand({ BackupVaultName: "sdk-vault" }));
    expect(d).toMatchObject({ BackupVaultName: "sdk-vault", VaultType: "BACKUP_VAULT", VaultState: "AVAILABLE", NumberOfRecoveryPoints: 0, Locked: false, CreatorRequestId: "req-1" });
    expect(d.CreationDate).toBeInstanceOf(Date);
    expect(d.EncryptionKeyArn).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${PROD}:key/[0-9a-f-]{36}$`));
    const def = await prod().send(new DescribeBackupVaultCommand({ BackupVaultName: "Default" }));
    expect(def.EncryptionKeyArn).toBe(d.EncryptionKeyArn);

    const names: string[] = [];
    for await (const page of paginateListBackupVaults({ client: prod(), pageSize: 1 }, {})) names.push(...(page.BackupVaultList ?? []).map((v) => v.BackupVaultName!));
    expect(names).toContain("Default");
    expect(names).toContain("sdk-vault");
    expect(new Set(names).size).toBe(names.length);

    expect(await failure(prod().send(new CreateBackupVaultCommand({ BackupVaultName: "bad name!" })))).toBeInstanceOf(InvalidParameterValueException);
    expect(await failure(prod().send(new CreateBackupVaultCommand({ BackupVaultName: "nokey", EncryptionKeyArn: `arn:aws:kms:${REGION}:${PROD}:key/00000000-0000-4000-8000-000000000000` })))).toBeInstanceOf(InvalidParameterValueException);
    expect(await failure(prod().send(new DescribeBackupVaultCommand({ BackupVaultName: "missing" })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await failure(backup(VAULT_ACCOUNT).send(new DescribeBackupVaultCommand({ BackupVaultName: "sdk-vault" })))).toBeInstanceOf(ResourceNotFoundException);

    await prod().send(new DeleteBackupVaultCommand({ BackupVaultName: "sdk-vault" }));
    expect(await failure(prod().send(new DeleteBackupVaultCommand({ BackupVaultName: "sdk-vault" })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it("encrypts a vault with a customer managed key created through KMS", async () => {
    const kms = new KMSClient(clientConfig(VAULT_ACCOUNT));
    const key = await kms.send(new CreateKeyCommand({ Description: "vault key" }));
    const arn = key.KeyMetadata!.Arn!;
    await backup(VAULT_ACCOUNT).send(new CreateBackupVaultCommand({ BackupVaultName: "cmk-vault", EncryptionKeyArn: arn }));
    const d = await backup(VAULT_ACCOUNT).send(new DescribeBackupVaultCommand({ BackupVaultName: "cmk-vault" }));
    expect(d.EncryptionKeyArn).toBe(arn);
  });

  it("refuses to delete a vault holding recovery points with ERROR_9101", async () => {
    await prod().send(new CreateBackupVaultCommand({ BackupVaultName: "holds-points" }));
    const vault = sandbox.world().accounts[PROD]!.regions[REGION]!.backup.vaults["holds-points"]!;
    vault.recoveryPoints.rp = {
      arn: `arn:aws:backup:${REGION}:${PROD}:recovery-point:rp`, resourceArn: `arn:aws:dynamodb:${REGION}:${PROD}:table/t`, resourceType: "DynamoDB",
      vaultName: "holds-points", createdAt: Date.now(), status: "COMPLETED", storageClass: "WARM", encryptionKeyArn: vault.encryptionKeyArn,
      iamRoleArn: `arn:aws:iam::${PROD}:role/r`, lifecycle: {},
    };
    const e = await failure(prod().send(new DeleteBackupVaultCommand({ BackupVaultName: "holds-points" })));
    expect(e).toBeInstanceOf(InvalidRequestException);
    expect(e.message).toBe("Backup vault cannot be deleted because it contains recovery points.");
    expect((e as InvalidRequestException).Code).toBe("ERROR_9101");
    expect((await prod().send(new DescribeBackupVaultCommand({ BackupVaultName: "holds-points" }))).NumberOfRecoveryPoints).toBe(1);
  });
});

describe("vault access policies and Vault Lock over the SDK", () => {
  const dest = () => backup(VAULT_ACCOUNT);

  it("puts, gets and deletes a copy policy; refuses malformed and over-broad cross-account policies", async () => {
    await dest().send(new CreateBackupVaultCommand({ BackupVaultName: "dest" }));
    expect(await failure(dest().send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: "dest" })))).toBeInstanceOf(ResourceNotFoundException);
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }],
    });
    await dest().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "dest", Policy: policy }));
    const got = await dest().send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: "dest" }));
    expect(JSON.parse(got.Policy!)).toEqual(JSON.parse(policy));
    expect(got.BackupVaultArn).toBe(`arn:aws:backup:${REGION}:${VAULT_ACCOUNT}:backup-vault:dest`);

    expect(await failure(dest().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "dest", Policy: "{oops" })))).toBeInstanceOf(InvalidParameterValueException);
    const broad = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "backup:DeleteBackupVaultAccessPolicy", Resource: "*" }] });
    const refused = await failure(dest().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "dest", Policy: broad })));
    expect(refused.name).toBe("AccessDeniedException");
    expect(refused.$metadata.httpStatusCode).toBe(403);
    expect(refused.message).toContain("cross-account sharing restrictions");
    expect(JSON.parse((await dest().send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: "dest" }))).Policy!)).toEqual(JSON.parse(policy));

    await dest().send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: "dest" }));
    expect(await failure(dest().send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: "dest" })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await failure(dest().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "nope", Policy: policy })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it("locks a vault in compliance mode: LockDate set, immutable once the clock passes it", async () => {
    await dest().send(new CreateBackupVaultCommand({ BackupVaultName: "locked" }));
    expect(await failure(dest().send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: "locked", ChangeableForDays: 2 })))).toBeInstanceOf(InvalidParameterValueException);
    expect(await failure(dest().send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: "locked", MinRetentionDays: 30, MaxRetentionDays: 7 })))).toBeInstanceOf(InvalidParameterValueException);
    await dest().send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: "locked", MinRetentionDays: 7, MaxRetentionDays: 365, ChangeableForDays: 3 }));
    const d = await dest().send(new DescribeBackupVaultCommand({ BackupVaultName: "locked" }));
    expect(d).toMatchObject({ Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 });
    expect(d.LockDate).toBeInstanceOf(Date);
    expect(d.LockDate!.getTime() - d.CreationDate!.getTime()).toBeGreaterThanOrEqual(3 * DAY_MS - 60_000);

    await dest().send(new CreateBackupVaultCommand({ BackupVaultName: "unlockable" }));
    await dest().send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: "unlockable", MinRetentionDays: 1, ChangeableForDays: 3 }));
    await dest().send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: "unlockable" }));
    expect((await dest().send(new DescribeBackupVaultCommand({ BackupVaultName: "unlockable" }))).Locked).toBe(false);

    await sandbox.advanceClock(3 * DAY_MS + 1000);
    expect(await failure(dest().send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: "locked" })))).toBeInstanceOf(InvalidRequestException);
    expect(await failure(dest().send(new DeleteBackupVaultCommand({ BackupVaultName: "locked" })))).toBeInstanceOf(InvalidRequestException);
    await dest().send(new DeleteBackupVaultCommand({ BackupVaultName: "unlockable" }));
  });
});

describe("backup plans and selections over the SDK", () => {
  const prod = () => backup(PROD);
  const copyTo = `arn:aws:backup:${REGION}:${VAULT_ACCOUNT}:backup-vault:dest`;
  const role = `arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`;

  it("runs a plan through create, get, update, versions, selections and delete", async () => {
    await prod().send(new CreateBackupVaultCommand({ BackupVaultName: "plan-target" }));
    const created = await prod().send(new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: "daily-copy",
        Rules: [{
          RuleName: "daily", TargetBackupVaultName: "plan-target", ScheduleExpression: "cron(0 5 ? * * *)", StartWindowMinutes: 60, CompletionWindowMinutes: 180,
          Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 }, RecoveryPointTags: { copied: "yes" },
          CopyActions: [{ DestinationBackupVaultArn: copyTo, Lifecycle: { DeleteAfterDays: 365 } }],
        }],
        AdvancedBackupSettings: [{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "enabled" } }],
      },
      BackupPlanTags: { stack: "sdk" },
      CreatorRequestId: "plan-req-1",
    }));
    expect(created.BackupPlanArn).toBe(`arn:aws:backup:${REGION}:${PROD}:backup-plan:${created.BackupPlanId}`);
    expect(created.CreationDate).toBeInstanceOf(Date);
    expect(created.AdvancedBackupSettings).toEqual([{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "enabled" } }]);

    const got = await prod().send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId }));
    expect(got.VersionId).toBe(created.VersionId);
    expect(got.CreatorRequestId).toBe("plan-req-1");
    expect(got.BackupPlan!.Rules![0]).toMatchObject({ RuleName: "daily", ScheduleExpressionTimezone: "Etc/UTC", CopyActions: [{ DestinationBackupVaultArn: copyTo, Lifecycle: { DeleteAfterDays: 365 } }] });
    expect(got.BackupPlan!.Rules![0]!.RuleId).toMatch(/^[0-9a-f-]{36}$/);

    const updated = await prod().send(new UpdateBackupPlanCommand({
      BackupPlanId: created.BackupPlanId,
      BackupPlan: { BackupPlanName: "daily-copy", Rules: [{ RuleName: "daily", TargetBackupVaultName: "plan-target", ScheduleExpression: "cron(0 6 ? * * *)" }] },
    }));
    expect(updated.VersionId).not.toBe(created.VersionId);
    const old = await prod().send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId, VersionId: created.VersionId }));
    expect(old.BackupPlan!.Rules![0]!.ScheduleExpression).toBe("cron(0 5 ? * * *)");
    const versions = await prod().send(new ListBackupPlanVersionsCommand({ BackupPlanId: created.BackupPlanId }));
    expect(versions.BackupPlanVersionsList!.map((v) => v.VersionId)).toEqual([updated.VersionId, created.VersionId]);

    const sel = await prod().send(new CreateBackupSelectionCommand({
      BackupPlanId: created.BackupPlanId,
      BackupSelection: { SelectionName: "tagged", IamRoleArn: role, ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "daily" }] },
    }));
    expect(sel.CreationDate).toBeInstanceOf(Date);
    const gotSel = await prod().send(new GetBackupSelectionCommand({ BackupPlanId: created.BackupPlanId, SelectionId: sel.SelectionId }));
    expect(gotSel.BackupSelection).toMatchObject({ SelectionName: "tagged", IamRoleArn: role });
    const listed = await prod().send(new ListBackupSelectionsCommand({ BackupPlanId: created.BackupPlanId }));
    expect(listed.BackupSelectionsList!.map((s) => s.SelectionId)).toEqual([sel.SelectionId]);
    expect(await failure(prod().send(new CreateBackupSelectionCommand({
      BackupPlanId: created.BackupPlanId, BackupSelection: { SelectionName: "bad", IamRoleArn: "arn:aws:iam::222222222222:user/alice" },
    })))).toBeInstanceOf(InvalidParameterValueException);

    const refused = await failure(prod().send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId })));
    expect(refused).toBeInstanceOf(InvalidRequestException);
    expect(refused.message).toBe("Related backup plan selections must be deleted prior to backup plan deletion");
    await prod().send(new DeleteBackupSelectionCommand({ BackupPlanId: created.BackupPlanId, SelectionId: sel.SelectionId }));
    expect(await failure(prod().send(new GetBackupSelectionCommand({ BackupPlanId: created.BackupPlanId, SelectionId: sel.SelectionId })))).toBeInstanceOf(ResourceNotFoundException);
    const deleted = await prod().send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId }));
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
    expect(await failure(prod().send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId })))).toBeInstanceOf(ResourceNotFoundException);
    const active = await prod().send(new ListBackupPlansCommand({}));
    expect((active.BackupPlansList ?? []).map((p) => p.BackupPlanId)).not.toContain(created.BackupPlanId);
    const all = await prod().send(new ListBackupPlansCommand({ IncludeDeleted: true }));
    const entry = all.BackupPlansList!.find((p) => p.BackupPlanId === created.BackupPlanId);
    expect(entry?.DeletionDate).toBeInstanceOf(Date);
  });

  it("rejects invalid plans with InvalidParameterValueException and AWS's messages", async () => {
    const rule = { RuleName: "r", TargetBackupVaultName: "plan-target" };
    const c5 = await failure(prod().send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "bad", Rules: [{ ...rule, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 60 } }] } })));
    expect(c5).toBeInstanceOf(InvalidParameterValueException);
    expect(c5.message).toBe("Error in rule r : Invalid lifecycle. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays");
    const copyC5 = await failure(prod().send(new CreateBackupPlanCommand({
      BackupPlan: { BackupPlanName: "bad", Rules: [{ ...rule, CopyActions: [{ DestinationBackupVaultArn: copyTo, Lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 2 } }] }] },
    })));
    expect(copyC5).toBeInstanceOf(InvalidParameterValueException);
    expect(await failure(prod().send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "bad", Rules: [{ ...rule, ScheduleExpression: "rate(1 day)" }] } })))).toBeInstanceOf(InvalidParameterValueException);
    expect(await failure(prod().send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "bad", Rules: [{ ...rule, TargetBackupVaultName: "no-such-vault" }] } })))).toBeInstanceOf(InvalidParameterValueException);
    const first = await prod().send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "twin", Rules: [rule] } }));
    const twin = await failure(prod().send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "twin", Rules: [rule] } })));
    expect(twin).toBeInstanceOf(AlreadyExistsException);
    expect((twin as AlreadyExistsException).Arn).toBe(first.BackupPlanArn);
    expect(await failure(prod().send(new UpdateBackupPlanCommand({ BackupPlanId: "00000000-0000-4000-8000-000000000000", BackupPlan: { BackupPlanName: "x", Rules: [rule] } })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe("global settings and tags over the SDK", () => {
  it("only the management account updates the organization's cross-account setting", async () => {
    const denied = await failure(backup(PROD).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "true" } })));
    expect(denied).toBeInstanceOf(InvalidRequestException);
    await backup(MANAGEMENT).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "true" } }));
    const seen = await backup(PROD).send(new DescribeGlobalSettingsCommand({}));
    expect(seen.GlobalSettings?.isCrossAccountBackupEnabled).toBe("true");
    expect(seen.LastUpdateTime).toBeInstanceOf(Date);
    const outside = await failure(backup("999999999999").send(new DescribeGlobalSettingsCommand({})));
    expect(outside).toBeInstanceOf(InvalidRequestException);
    expect((outside as InvalidRequestException).Code).toBe("ERROR_9601");
    expect(await failure(backup(MANAGEMENT).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "maybe" } })))).toBeInstanceOf(InvalidParameterValueException);
    expect(await failure(backup(MANAGEMENT).send(new UpdateGlobalSettingsCommand({})))).toBeInstanceOf(MissingParameterValueException);
  });

  it("tags and untags vaults and plans by ARN; unknown ARNs are not found", async () => {
    const c = backup(PROD);
    const vault = await c.send(new CreateBackupVaultCommand({ BackupVaultName: "tagged", BackupVaultTags: { a: "1" } }));
    await c.send(new TagResourceCommand({ ResourceArn: vault.BackupVaultArn, Tags: { b: "2" } }));
    expect((await c.send(new ListTagsCommand({ ResourceArn: vault.BackupVaultArn }))).Tags).toEqual({ a: "1", b: "2" });
    await c.send(new UntagResourceCommand({ ResourceArn: vault.BackupVaultArn, TagKeyList: ["a"] }));
    expect((await c.send(new ListTagsCommand({ ResourceArn: vault.BackupVaultArn }))).Tags).toEqual({ b: "2" });
    const plan = await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "tagged", Rules: [{ RuleName: "t", TargetBackupVaultName: "tagged" }] }, BackupPlanTags: { p: "1" } }));
    expect((await c.send(new ListTagsCommand({ ResourceArn: plan.BackupPlanArn }))).Tags).toEqual({ p: "1" });
    expect(await failure(c.send(new ListTagsCommand({ ResourceArn: `arn:aws:backup:${REGION}:${PROD}:backup-vault:nope` })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await failure(c.send(new TagResourceCommand({ ResourceArn: "arn:aws:s3:::bucket", Tags: { a: "b" } })))).toBeInstanceOf(InvalidParameterValueException);
  });

  it("ListBackupVaults answers with typed pagination errors", async () => {
    expect(await failure(backup(PROD).send(new ListBackupVaultsCommand({ NextToken: "not-a-token" })))).toBeInstanceOf(InvalidParameterValueException);
  });
});
