// Cross-account copy jobs through the real AWS SDK v3 clients over HTTP against an in-process sandbox: a full
// valid route set up the way an operator would (trusted access and the cross-account setting from the
// management account, a CMK and a vault with an access policy in the destination, a CMK shared with the
// destination and a vault in the source, a backup job), then one variant per seed rule that breaks it. The
// job must end FAILED with the cause named, and with every rule met it must COMPLETE and the copy must show
// up in the destination account. The sandbox clock is moved with the control API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BackupClient,
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  InvalidParameterValueException,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultAccessPolicyCommand,
  ResourceNotFoundException,
  StartBackupJobCommand,
  StartCopyJobCommand,
  UpdateGlobalSettingsCommand,
} from "@aws-sdk/client-backup";
import type { CopyJob, Lifecycle } from "@aws-sdk/client-backup";
import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { AttachPolicyCommand, CreatePolicyCommand, DisableAWSServiceAccessCommand, EnableAWSServiceAccessCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle } from "../src/sandbox/index.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "1";

const REGION = "eu-west-1";
const SOURCE = "222222222222"; // OU Prod under Workloads
const DEST = "333333333333"; // OU Security
const OUTSIDE = "999999999999";
const ORG = "o-a1b2c3d4e5";
const COPY_ROLE = `arn:aws:iam::${SOURCE}:role/service-role/AWSBackupDefaultServiceRole`;
const VOLUME = `arn:aws:ec2:${REGION}:${SOURCE}:volume/vol-0123456789abcdef0`;
const FILE_SYSTEM = `arn:aws:elasticfilesystem:${REGION}:${SOURCE}:file-system/fs-0123456789abcdef0`;
const DAY_MS = 86_400_000;
const JOB_MS = 1000;

interface Clients {
  backup: BackupClient;
  kms: KMSClient;
  organizations: OrganizationsClient;
  sts: STSClient;
}

function clientsFor(sandbox: SandboxHandle, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region = REGION): Clients {
  const config = { endpoint: sandbox.url, region, credentials, maxAttempts: 1 };
  return { backup: new BackupClient(config), kms: new KMSClient(config), organizations: new OrganizationsClient(config), sts: new STSClient(config) };
}

function management(sandbox: SandboxHandle): Clients {
  return clientsFor(sandbox, { accessKeyId: "AKIASANDBOX111111111", secretAccessKey: "sandbox" });
}

/** A member account, as an operator reaches it: AssumeRole into its OrganizationAccountAccessRole. */
async function member(sandbox: SandboxHandle, accountId: string, region = REGION): Promise<Clients> {
  const { Credentials } = await management(sandbox).sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: "copy-rules-test" }));
  return clientsFor(sandbox, { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! }, region);
}

/** The control API: move the sandbox clock (jobs end at their own due time inside the jump). */
async function advance(sandbox: SandboxHandle, ms: number): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/clock/advance`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ms }) });
  expect(res.status).toBe(200);
}

async function resetSandbox(sandbox: SandboxHandle): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" });
  expect(res.status).toBe(200);
}

const vaultArn = (account: string, name: string, region = REGION): string => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;

function policy(statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const allowCopyInto = (principal: unknown, condition?: object): object =>
  ({ Sid: "AllowCopyIntoFromSource", Effect: "Allow", Principal: principal, Action: "backup:CopyIntoBackupVault", Resource: "*", ...(condition ? { Condition: condition } : {}) });

function keyPolicySharedWith(owner: string, destination?: string): string {
  const statements: object[] = [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: "kms:*", Resource: "*" }];
  if (destination) {
    statements.push(
      { Sid: "AllowDestinationAccountUseOfTheKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${destination}:root` }, Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*" },
      { Sid: "AllowDestinationAccountGrantsForAwsResources", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${destination}:root` }, Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: "*", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
    );
  }
  return policy(statements);
}

interface Route {
  mgmt: Clients;
  source: Clients;
  dest: Clients;
  destVault: string;
  destKeyArn: string;
  sourceKeyId: string;
}

/** Everything [S1]-[S5] ask for, done through the APIs. */
async function validRoute(sandbox: SandboxHandle): Promise<Route> {
  const mgmt = management(sandbox);
  await mgmt.organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "backup.amazonaws.com" }));
  await mgmt.backup.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "true" } }));

  const dest = await member(sandbox, DEST);
  const destKey = (await dest.kms.send(new CreateKeyCommand({ Description: "cross-account copies" }))).KeyMetadata!;
  await dest.backup.send(new CreateBackupVaultCommand({ BackupVaultName: "cab-central", EncryptionKeyArn: destKey.Arn, BackupVaultTags: { DestinationBackupVault: "true" } }));
  await dest.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-central", Policy: policy([allowCopyInto({ AWS: `arn:aws:iam::${SOURCE}:root` })]) }));

  const source = await member(sandbox, SOURCE);
  const sourceKey = (await source.kms.send(new CreateKeyCommand({ Description: "prod backups" }))).KeyMetadata!;
  await source.kms.send(new PutKeyPolicyCommand({ KeyId: sourceKey.KeyId, PolicyName: "default", Policy: keyPolicySharedWith(SOURCE, DEST) }));
  await source.backup.send(new CreateBackupVaultCommand({ BackupVaultName: "prod-vault", EncryptionKeyArn: sourceKey.Arn }));
  await source.backup.send(new CreateBackupVaultCommand({ BackupVaultName: "prod-plain" })); // aws/backup key
  return { mgmt, source, dest, destVault: vaultArn(DEST, "cab-central"), destKeyArn: destKey.Arn!, sourceKeyId: sourceKey.KeyId! };
}

async function backUp(sandbox: SandboxHandle, source: Clients, opts: { vault?: string; resource?: string; lifecycle?: Lifecycle } = {}): Promise<string> {
  const { BackupJobId } = await source.backup.send(new StartBackupJobCommand({
    BackupVaultName: opts.vault ?? "prod-vault", ResourceArn: opts.resource ?? VOLUME, IamRoleArn: COPY_ROLE, Lifecycle: opts.lifecycle ?? { DeleteAfterDays: 35 },
  }));
  await advance(sandbox, JOB_MS + 10);
  const job = await source.backup.send(new DescribeBackupJobCommand({ BackupJobId }));
  expect(job.State).toBe("COMPLETED");
  return job.RecoveryPointArn!;
}

async function copy(sandbox: SandboxHandle, source: Clients, recoveryPointArn: string, destination: string, opts: { vault?: string; lifecycle?: Lifecycle } = {}): Promise<CopyJob> {
  const { CopyJobId } = await source.backup.send(new StartCopyJobCommand({
    RecoveryPointArn: recoveryPointArn, SourceBackupVaultName: opts.vault ?? "prod-vault", DestinationBackupVaultArn: destination, IamRoleArn: COPY_ROLE,
    ...(opts.lifecycle ? { Lifecycle: opts.lifecycle } : {}),
  }));
  await advance(sandbox, JOB_MS + 10);
  return (await source.backup.send(new DescribeCopyJobCommand({ CopyJobId }))).CopyJob!;
}

async function createScp(mgmt: Clients, name: string, statement: object, target: string): Promise<void> {
  const { Policy } = await mgmt.organizations.send(new CreatePolicyCommand({ Name: name, Description: "copy guardrail", Type: "SERVICE_CONTROL_POLICY", Content: policy([statement]) }));
  await mgmt.organizations.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id, TargetId: target }));
}

function expectFailed(job: CopyJob, message: string | RegExp, category = "AccessDenied"): void {
  expect(job.State).toBe("FAILED");
  expect(job.MessageCategory).toBe(category);
  expect(job.DestinationRecoveryPointArn).toBeUndefined();
  if (typeof message === "string") expect(job.StatusMessage).toContain(message);
  else expect(job.StatusMessage).toMatch(message);
}

describe("cross-account copy jobs enforce the seed's rules", () => {
  let sandbox: SandboxHandle;
  let route: Route;
  let rp: string;

  beforeAll(async () => {
    // A long tick period: the test's clock advances, not the wall clock, end the jobs.
    sandbox = await startSandbox({ port: 0, jobDurationMs: JOB_MS, tickMs: 60_000, log: () => {} });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
    route = await validRoute(sandbox);
    rp = await backUp(sandbox, route.source);
  });

  it("completes with every rule met, and the copy appears in the destination vault [C2]", async () => {
    const job = await copy(sandbox, route.source, rp, route.destVault, { lifecycle: { DeleteAfterDays: 365 } });
    expect(job).toMatchObject({ State: "COMPLETED", AccountId: SOURCE, SourceRecoveryPointArn: rp, DestinationBackupVaultArn: route.destVault, ResourceType: "EBS", MessageCategory: "SUCCESS" });
    expect(job.DestinationRecoveryPointArn).toMatch(/^arn:aws:ec2:eu-west-1::snapshot\/snap-/);

    const source = await route.source.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: "prod-vault", RecoveryPointArn: rp }));
    const { RecoveryPoints } = await route.dest.backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "cab-central" }));
    expect(RecoveryPoints).toHaveLength(1);
    const copied = RecoveryPoints![0]!;
    expect(copied).toMatchObject({
      RecoveryPointArn: job.DestinationRecoveryPointArn, SourceBackupVaultArn: vaultArn(SOURCE, "prod-vault"), ResourceArn: VOLUME,
      EncryptionKeyArn: route.destKeyArn, Lifecycle: { DeleteAfterDays: 365 }, Status: "COMPLETED",
    });
    expect(copied.CreationDate).toEqual(source.CreationDate);
    expect(copied.CalculatedLifecycle?.DeleteAt).toEqual(new Date(source.CreationDate!.getTime() + 365 * DAY_MS));
    expect((await route.source.backup.send(new ListCopyJobsCommand({ ByState: "COMPLETED" }))).CopyJobs!.map((j) => j.CopyJobId)).toEqual([job.CopyJobId]);
  });

  it("validates the request synchronously: unknown recovery point, bad lifecycle", async () => {
    await expect(route.source.backup.send(new StartCopyJobCommand({ RecoveryPointArn: `${rp}0`, SourceBackupVaultName: "prod-vault", DestinationBackupVaultArn: route.destVault, IamRoleArn: COPY_ROLE })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(route.source.backup.send(new StartCopyJobCommand({ RecoveryPointArn: rp, SourceBackupVaultName: "prod-vault", DestinationBackupVaultArn: route.destVault, IamRoleArn: COPY_ROLE, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 60 } })))
      .rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it("[S1] fails when the destination account is not in the organization", async () => {
    const outside = clientsFor(sandbox, { accessKeyId: "AKIASANDBOX999999999", secretAccessKey: "sandbox" });
    const key = (await outside.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await outside.backup.send(new CreateBackupVaultCommand({ BackupVaultName: "cab-outside", EncryptionKeyArn: key.Arn }));
    await outside.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-outside", Policy: policy([allowCopyInto({ AWS: `arn:aws:iam::${SOURCE}:root` })]) }));
    expectFailed(await copy(sandbox, route.source, rp, vaultArn(OUTSIDE, "cab-outside")), "Access denied: Copy job failed. Both source and destination account must be a member of the same organization");
  });

  it("[S2] fails when trusted access for AWS Backup is disabled", async () => {
    await route.mgmt.organizations.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: "backup.amazonaws.com" }));
    expectFailed(await copy(sandbox, route.source, rp, route.destVault), /Trusted access for AWS Backup \(backup\.amazonaws\.com\) is not enabled/);
  });

  it("[S2] fails when the management account turns cross-account backup off", async () => {
    await route.mgmt.backup.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "false" } }));
    expectFailed(await copy(sandbox, route.source, rp, route.destVault), /Cross-account backup is not enabled .*isCrossAccountBackupEnabled/);
  });

  it("[X1] fails when the destination is the Default vault", async () => {
    await route.dest.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "Default", Policy: policy([allowCopyInto({ AWS: `arn:aws:iam::${SOURCE}:root` })]) }));
    expectFailed(await copy(sandbox, route.source, rp, vaultArn(DEST, "Default")), /Default backup vault .* cannot be the destination of a cross-account copy/);
  });

  it("[S3] fails when the destination vault does not exist", async () => {
    expectFailed(await copy(sandbox, route.source, rp, vaultArn(DEST, "cab-missing")), /cab-missing does not exist/);
  });

  it("[S3] fails when the destination vault is encrypted with the AWS managed key", async () => {
    await route.dest.backup.send(new CreateBackupVaultCommand({ BackupVaultName: "cab-aws-key" }));
    await route.dest.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-aws-key", Policy: policy([allowCopyInto({ AWS: `arn:aws:iam::${SOURCE}:root` })]) }));
    expectFailed(await copy(sandbox, route.source, rp, vaultArn(DEST, "cab-aws-key")), /encrypted with the AWS managed key .*customer managed KMS key/);
  });

  it("[S4] fails when the destination vault has no access policy", async () => {
    await route.dest.backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-central" }));
    expectFailed(await copy(sandbox, route.source, rp, route.destVault), "Access Denied trying to call AWS Backup service");
  });

  it("[S4] fails when the vault policy names another OU, and completes with the source's OU or organization", async () => {
    const byPath = (path: string) => policy([allowCopyInto("*", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": [path] } })]);
    await route.dest.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-central", Policy: byPath(`${ORG}/r-a1b2/ou-a1b2-secu0001/*`) }));
    expectFailed(await copy(sandbox, route.source, rp, route.destVault), /Access Denied trying to call AWS Backup service: the access policy of backup vault .*cab-central does not allow backup:CopyIntoBackupVault/);
    await route.dest.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-central", Policy: byPath(`${ORG}/r-a1b2/ou-a1b2-work0001/*`) }));
    expect((await copy(sandbox, route.source, rp, route.destVault)).State).toBe("COMPLETED");
    await route.dest.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-central", Policy: policy([allowCopyInto("*", { StringEquals: { "aws:PrincipalOrgID": ORG } })]) }));
    expect((await copy(sandbox, route.source, rp, route.destVault)).State).toBe("COMPLETED");
  });

  it("[G1] fails when an SCP on the source allows copies only into tagged vaults and the destination is untagged", async () => {
    await createScp(route.mgmt, "only-tagged-destinations", { Sid: "DenyUntaggedDestinations", Effect: "Deny", Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": "true" } } }, SOURCE);
    const key = (await route.dest.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await route.dest.backup.send(new CreateBackupVaultCommand({ BackupVaultName: "cab-untagged", EncryptionKeyArn: key.Arn }));
    await route.dest.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "cab-untagged", Policy: policy([allowCopyInto({ AWS: `arn:aws:iam::${SOURCE}:root` })]) }));
    expectFailed(await copy(sandbox, route.source, rp, vaultArn(DEST, "cab-untagged")), /backup:CopyIntoBackupVault .* is explicitly denied by service control policy only-tagged-destinations .*"DenyUntaggedDestinations"/);
    expect((await copy(sandbox, route.source, rp, route.destVault)).State).toBe("COMPLETED");
  });

  it("[G2] fails when an SCP on the source's OU allows only other destination vaults", async () => {
    await createScp(route.mgmt, "only-fort-knox", {
      Sid: "DenyCopyFromBackupVault", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "arn:aws:ec2:*:*:snapshot/*",
      Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": [`arn:aws:backup:*:${DEST}:backup-vault:fort-*`] } },
    }, "ou-a1b2-prod0001");
    expectFailed(await copy(sandbox, route.source, rp, route.destVault), /backup:CopyFromBackupVault on arn:aws:ec2:eu-west-1::snapshot\/.* is explicitly denied by service control policy only-fort-knox .* attached to ou-a1b2-prod0001/);
  });

  it("[G3] fails when an SCP at the root allows only destinations in other OUs", async () => {
    await createScp(route.mgmt, "only-workload-ous", {
      Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*",
      Condition: { "ForAllValues:StringNotLike": { "backup:CopyTargetOrgPaths": [`${ORG}/r-a1b2/ou-a1b2-work0001/*`] } },
    }, "r-a1b2");
    expectFailed(await copy(sandbox, route.source, rp, route.destVault), /explicitly denied by service control policy only-workload-ous .* attached to r-a1b2/);
  });

  it("[S5] fails when the source key policy does not allow the destination account", async () => {
    await route.source.kms.send(new PutKeyPolicyCommand({ KeyId: route.sourceKeyId, PolicyName: "default", Policy: keyPolicySharedWith(SOURCE) }));
    expect((await route.source.kms.send(new GetKeyPolicyCommand({ KeyId: route.sourceKeyId, PolicyName: "default" }))).Policy).not.toContain(DEST);
    expectFailed(await copy(sandbox, route.source, rp, route.destVault), "AMI snapshot copy failed with error: Given key ID is not accessible. You must have DescribeKey permissions on the default CMK");
  });

  it("[C3] fails for an EBS backup under an AWS managed key, while EFS under it copies", async () => {
    const ebs = await backUp(sandbox, route.source, { vault: "prod-plain" });
    expectFailed(await copy(sandbox, route.source, ebs, route.destVault, { vault: "prod-plain" }), /Given key ID is not accessible.*AWS managed key/);
    const efs = await backUp(sandbox, route.source, { vault: "prod-plain", resource: FILE_SYSTEM });
    expect((await copy(sandbox, route.source, efs, route.destVault, { vault: "prod-plain" })).State).toBe("COMPLETED");
  });

  it("[C4] fails for a recovery point in cold storage", async () => {
    const efs = await backUp(sandbox, route.source, { resource: FILE_SYSTEM, lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 120 } });
    await advance(sandbox, 2 * DAY_MS);
    // Assumed-role credentials last an hour: take fresh ones after the jump.
    const source = await member(sandbox, SOURCE);
    expect((await source.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: "prod-vault", RecoveryPointArn: efs }))).StorageClass).toBe("COLD");
    expectFailed(await copy(sandbox, source, efs, route.destVault), /is in cold storage/, "InvalidParameters");
  });

  it("copies within the source account to another Region without the cross-account rules", async () => {
    await route.mgmt.backup.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "false" } }));
    const east = await member(sandbox, SOURCE, "us-east-1");
    await east.backup.send(new CreateBackupVaultCommand({ BackupVaultName: "dr-vault" }));
    const job = await copy(sandbox, route.source, rp, vaultArn(SOURCE, "dr-vault", "us-east-1"));
    expect(job.State).toBe("COMPLETED");
    const { RecoveryPoints } = await east.backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "dr-vault" }));
    expect(RecoveryPoints!.map((r) => r.RecoveryPointArn)).toEqual([job.DestinationRecoveryPointArn]);
    expect(job.DestinationRecoveryPointArn).toMatch(/^arn:aws:ec2:us-east-1::snapshot\//);
  });

  it("runs a backup plan's copy action across accounts when due plans run", async () => {
    const { BackupPlanId } = await route.source.backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: "daily", Rules: [{
      RuleName: "daily", TargetBackupVaultName: "prod-vault", Lifecycle: { DeleteAfterDays: 35 },
      CopyActions: [{ DestinationBackupVaultArn: route.destVault, Lifecycle: { DeleteAfterDays: 90 } }],
    }] } }));
    await route.source.backup.send(new CreateBackupSelectionCommand({ BackupPlanId, BackupSelection: { SelectionName: "volumes", IamRoleArn: COPY_ROLE, Resources: [VOLUME] } }));
    const res = await fetch(`${sandbox.url}/_sandbox/run-due-plans`, { method: "POST" });
    expect(res.status).toBe(200);
    await advance(sandbox, 3 * JOB_MS);
    const copies = (await route.source.backup.send(new ListCopyJobsCommand({ ByDestinationVaultArn: route.destVault }))).CopyJobs!;
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ State: "COMPLETED", CreatedBy: { BackupPlanId } });
    const { RecoveryPoints } = await route.dest.backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "cab-central", ByBackupPlanId: BackupPlanId }));
    expect(RecoveryPoints!.map((r) => [r.RecoveryPointArn, r.Lifecycle?.DeleteAfterDays])).toEqual([[copies[0]!.DestinationRecoveryPointArn, 90]]);
  });
});

describe("[X2] copy jobs see trusted access, the cross-account setting and key policies late", () => {
  const DELAY_MS = 60_000;
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, jobDurationMs: JOB_MS, tickMs: 60_000, consistencyDelayMs: DELAY_MS, log: () => {} });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("does not see cross-account backup enabled right away, and still lets copies through right after it is disabled", async () => {
    const route = await validRoute(sandbox);
    const mgmt = route.mgmt;
    const setCrossAccount = async (on: boolean): Promise<void> => {
      const principal = { ServicePrincipal: "backup.amazonaws.com" };
      await mgmt.organizations.send(on ? new EnableAWSServiceAccessCommand(principal) : new DisableAWSServiceAccessCommand(principal));
      await mgmt.backup.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: String(on) } }));
    };
    // Start from a settled world (the source key policy visible) where cross-account backup is off.
    await setCrossAccount(false);
    await advance(sandbox, DELAY_MS + 1000);
    let source = await member(sandbox, SOURCE);
    const rp = await backUp(sandbox, source);

    await setCrossAccount(true);
    expectFailed(await copy(sandbox, source, rp, route.destVault), /Trusted access for AWS Backup .* is not enabled/);

    await advance(sandbox, DELAY_MS);
    source = await member(sandbox, SOURCE);
    expect((await copy(sandbox, source, rp, route.destVault)).State).toBe("COMPLETED");

    await setCrossAccount(false);
    expect((await copy(sandbox, source, rp, route.destVault)).State).toBe("COMPLETED");

    await advance(sandbox, DELAY_MS);
    source = await member(sandbox, SOURCE);
    expectFailed(await copy(sandbox, source, rp, route.destVault), /not enabled/);
  });

  it("does not see a source key shared right away", async () => {
    await resetSandbox(sandbox);
    const route = await validRoute(sandbox);
    await route.source.kms.send(new PutKeyPolicyCommand({ KeyId: route.sourceKeyId, PolicyName: "default", Policy: keyPolicySharedWith(SOURCE) }));
    await advance(sandbox, DELAY_MS + 1000);
    let source = await member(sandbox, SOURCE);
    const rp = await backUp(sandbox, source);
    await source.kms.send(new PutKeyPolicyCommand({ KeyId: route.sourceKeyId, PolicyName: "default", Policy: keyPolicySharedWith(SOURCE, DEST) }));
    expectFailed(await copy(sandbox, source, rp, route.destVault), "Given key ID is not accessible");
    await advance(sandbox, DELAY_MS);
    source = await member(sandbox, SOURCE);
    expect((await copy(sandbox, source, rp, route.destVault)).State).toBe("COMPLETED");
  });
});
