import { beforeEach, describe, expect, it } from "vitest";
import type { OperationContext, SandboxSettings } from "../../service.js";
import type { World } from "../../world.js";
import type { Vault } from "./state.js";
import { ServiceError } from "../../service.js";
import { createWorld, DEFAULT_FIXTURE } from "../../fixture.js";
import { regionState } from "../../world.js";
import { awsManagedKeyId, keyArn } from "../kms/state.js";
import { vaultArn } from "./state.js";
import { jobOperations, runDuePlans, tickJobs } from "./jobs.js";

const T0 = Date.UTC(2025, 0, 1);
const REGION = "us-east-1";
const ACCOUNT = "222222222222";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/backup-role`;
const VOLUME = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0aaaaaaaaaaaaaaaa`;
const settings: SandboxSettings = { consistencyDelayMs: 0, jobDurationMs: 2000 };
const DAY = 86_400_000;

let world: World;
let now: number;

function ctx(accountId = ACCOUNT): OperationContext {
  return {
    caller: { accessKeyId: "AKIASANDBOX222222222", accountId, arn: `arn:aws:iam::${accountId}:root` },
    region: REGION, service: "backup", operation: "test", requestId: "r", now, world, settings,
  };
}

async function call(op: string, input: Record<string, unknown>, accountId?: string): Promise<Record<string, any>> {
  const handler = jobOperations[op];
  if (!handler) throw new Error(`no operation ${op}`);
  return (await handler(ctx(accountId), input)) ?? {};
}

async function rejection(op: string, input: Record<string, unknown>): Promise<ServiceError> {
  try {
    await call(op, input);
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error(`${op} did not fail`);
}

function advance(ms: number): void {
  now += ms;
  tickJobs(world, now, settings);
}

function addVault(name: string, accountId = ACCOUNT): Vault {
  const v: Vault = {
    name, arn: vaultArn(accountId, REGION, name), encryptionKeyArn: keyArn(accountId, REGION, awsManagedKeyId(accountId, REGION, "aws/backup")),
    createdAt: T0, tags: {}, recoveryPoints: {},
  };
  regionState(world, accountId, REGION, T0).backup.vaults[name] = v;
  return v;
}

beforeEach(() => {
  world = createWorld(DEFAULT_FIXTURE, T0);
  now = T0;
  addVault("primary");
  addVault("secondary");
});

describe("backup jobs", () => {
  it("go CREATED -> RUNNING -> COMPLETED and leave a recovery point encrypted with the vault key", async () => {
    const started = await call("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME, IamRoleArn: ROLE, Lifecycle: { DeleteAfterDays: 35 }, RecoveryPointTags: { app: "shop" } });
    expect(started.RecoveryPointArn).toBeUndefined(); // only EFS and DynamoDB return it up front
    const id = started.BackupJobId as string;
    expect((await call("DescribeBackupJob", { BackupJobId: id })).State).toBe("CREATED");
    advance(1000);
    expect((await call("DescribeBackupJob", { BackupJobId: id })).State).toBe("RUNNING");
    advance(1000);
    const job = await call("DescribeBackupJob", { BackupJobId: id });
    expect(job).toMatchObject({ State: "COMPLETED", AccountId: ACCOUNT, ResourceType: "EBS", BackupVaultName: "primary", PercentDone: "100.0", MessageCategory: "SUCCESS" });
    expect(job.CompletionDate).toEqual(new Date(T0 + 2000));
    expect(job.RecoveryPointArn).toMatch(new RegExp(`^arn:aws:ec2:${REGION}::snapshot/snap-[0-9a-f]{17}$`));

    const vault = regionState(world, ACCOUNT, REGION, now).backup.vaults.primary!;
    const rp = vault.recoveryPoints[job.RecoveryPointArn]!;
    expect(rp).toMatchObject({ resourceArn: VOLUME, resourceType: "EBS", encryptionKeyArn: vault.encryptionKeyArn, lifecycle: { DeleteAfterDays: 35 }, tags: { app: "shop" }, createdAt: T0 });

    const listed = await call("ListRecoveryPointsByBackupVault", { BackupVaultName: "primary" });
    expect(listed.RecoveryPoints).toHaveLength(1);
    expect(listed.RecoveryPoints[0]).toMatchObject({ RecoveryPointArn: rp.arn, Status: "COMPLETED", CalculatedLifecycle: { DeleteAt: new Date(T0 + 35 * DAY) } });
    expect((await call("DescribeRecoveryPoint", { BackupVaultName: "primary", RecoveryPointArn: rp.arn })).StorageClass).toBe("WARM");
  });

  it("type their recovery points after the resource ARN", async () => {
    const arns = {
      EC2: [`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`, /^arn:aws:ec2:us-east-1::image\/ami-/],
      RDS: [`arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`, /^arn:aws:rds:us-east-1:222222222222:snapshot:awsbackup:job-/],
      EFS: [`arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`, /^arn:aws:backup:us-east-1:222222222222:recovery-point:/],
      DynamoDB: [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`, /^arn:aws:backup:us-east-1:222222222222:recovery-point:/],
      S3: ["arn:aws:s3:::orders-bucket", /^arn:aws:backup:us-east-1:222222222222:recovery-point:/],
    } as const;
    const ids: Record<string, string> = {};
    for (const [type, [arn]] of Object.entries(arns)) ids[type] = (await call("StartBackupJob", { BackupVaultName: "primary", ResourceArn: arn, IamRoleArn: ROLE })).BackupJobId;
    advance(2000);
    for (const [type, [, pattern]] of Object.entries(arns)) {
      const job = await call("DescribeBackupJob", { BackupJobId: ids[type] });
      expect(job.ResourceType).toBe(type);
      expect(job.RecoveryPointArn).toMatch(pattern);
    }
    const efsOnly = await call("ListRecoveryPointsByBackupVault", { BackupVaultName: "primary", ByResourceType: "EFS" });
    expect(efsOnly.RecoveryPoints.map((r: any) => r.ResourceType)).toEqual(["EFS"]);
  });

  it("refuse what StartBackupJob validates synchronously", async () => {
    expect((await rejection("StartBackupJob", { BackupVaultName: "nope", ResourceArn: VOLUME, IamRoleArn: ROLE })).code).toBe("ResourceNotFoundException");
    expect((await rejection("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME.replace(ACCOUNT, "333333333333"), IamRoleArn: ROLE })).code).toBe("InvalidParameterValueException");
    expect((await rejection("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME.replace(REGION, "eu-west-1"), IamRoleArn: ROLE })).code).toBe("InvalidParameterValueException");
    expect((await rejection("StartBackupJob", { BackupVaultName: "primary", ResourceArn: "arn:aws:sqs:us-east-1:222222222222:queue", IamRoleArn: ROLE })).code).toBe("InvalidParameterValueException");
    expect((await rejection("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME, IamRoleArn: "not-a-role" })).code).toBe("InvalidParameterValueException");
    const lifecycle = await rejection("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME, IamRoleArn: ROLE, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 100 } });
    expect(lifecycle.message).toContain("DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays");
    expect((await rejection("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME, IamRoleArn: ROLE, StartWindowMinutes: 30 })).code).toBe("InvalidParameterValueException");
    expect((await rejection("DescribeBackupJob", { BackupJobId: "0000" })).code).toBe("ResourceNotFoundException");
  });

  it("answer a retried IdempotencyToken with the same job", async () => {
    const a = await call("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME, IamRoleArn: ROLE, IdempotencyToken: "tok-1" });
    const b = await call("StartBackupJob", { BackupVaultName: "primary", ResourceArn: VOLUME, IamRoleArn: ROLE, IdempotencyToken: "tok-1" });
    expect(b.BackupJobId).toBe(a.BackupJobId);
    expect((await call("ListBackupJobs", {})).BackupJobs).toHaveLength(1);
  });

  it("end at their due time even when the clock jumps past it, and fail if the vault went away", async () => {
    const { BackupJobId } = await call("StartBackupJob", { BackupVaultName: "secondary", ResourceArn: VOLUME, IamRoleArn: ROLE });
    delete regionState(world, ACCOUNT, REGION, now).backup.vaults.secondary;
    advance(DAY);
    const job = await call("DescribeBackupJob", { BackupJobId });
    expect(job).toMatchObject({ State: "FAILED", CompletionDate: new Date(T0 + 2000) });
    expect(job.StatusMessage).toContain("secondary no longer exists");
  });

  it("list with filters and pagination", async () => {
    for (let i = 0; i < 5; i++) {
      await call("StartBackupJob", { BackupVaultName: i % 2 ? "primary" : "secondary", ResourceArn: VOLUME, IamRoleArn: ROLE });
      now += 10;
    }
    advance(2000);
    const page1 = await call("ListBackupJobs", { MaxResults: 2 });
    expect(page1.BackupJobs).toHaveLength(2);
    const page2 = await call("ListBackupJobs", { MaxResults: 2, NextToken: page1.NextToken });
    const page3 = await call("ListBackupJobs", { MaxResults: 2, NextToken: page2.NextToken });
    expect(page3.NextToken).toBeUndefined();
    const all = [...page1.BackupJobs, ...page2.BackupJobs, ...page3.BackupJobs].map((j: any) => j.BackupJobId);
    expect(new Set(all).size).toBe(5);
    expect((await call("ListBackupJobs", { ByBackupVaultName: "primary" })).BackupJobs).toHaveLength(2);
    expect((await call("ListBackupJobs", { ByCreatedAfter: new Date(T0 + 25) })).BackupJobs).toHaveLength(2);
    expect((await call("ListBackupJobs", { ByState: "RUNNING" })).BackupJobs).toHaveLength(0);
    expect((await call("ListBackupJobs", {}, "333333333333")).BackupJobs).toHaveLength(0);
    const rps = await call("ListRecoveryPointsByBackupVault", { BackupVaultName: "secondary", MaxResults: 2 });
    expect(rps.RecoveryPoints).toHaveLength(2);
    expect((await call("ListRecoveryPointsByBackupVault", { BackupVaultName: "secondary", NextToken: rps.NextToken })).RecoveryPoints).toHaveLength(1);
  });
});

describe("copy jobs", () => {
  async function recoveryPoint(type: "EBS" | "EFS" = "EBS", lifecycle: Record<string, number> = { DeleteAfterDays: 35 }): Promise<string> {
    const resource = type === "EBS" ? VOLUME : `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`;
    const { BackupJobId } = await call("StartBackupJob", { BackupVaultName: "primary", ResourceArn: resource, IamRoleArn: ROLE, Lifecycle: lifecycle });
    advance(2000);
    return (await call("DescribeBackupJob", { BackupJobId })).RecoveryPointArn;
  }

  it("copy within the account into another vault, re-encrypted, keeping the source creation date", async () => {
    const rpArn = await recoveryPoint();
    const secondary = regionState(world, ACCOUNT, REGION, now).backup.vaults.secondary!;
    secondary.encryptionKeyArn = keyArn(ACCOUNT, REGION, "11111111-2222-4333-8444-555555555555");
    const { CopyJobId } = await call("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: secondary.arn, IamRoleArn: ROLE, Lifecycle: { DeleteAfterDays: 400 } });
    expect((await call("DescribeCopyJob", { CopyJobId })).CopyJob.State).toBe("CREATED");
    advance(2000);
    const { CopyJob } = await call("DescribeCopyJob", { CopyJobId });
    expect(CopyJob).toMatchObject({ State: "COMPLETED", AccountId: ACCOUNT, SourceRecoveryPointArn: rpArn, DestinationBackupVaultArn: secondary.arn, ResourceType: "EBS", MessageCategory: "SUCCESS" });
    const copy = secondary.recoveryPoints[CopyJob.DestinationRecoveryPointArn]!;
    expect(copy).toMatchObject({
      sourceBackupVaultArn: vaultArn(ACCOUNT, REGION, "primary"), createdAt: T0, encryptionKeyArn: secondary.encryptionKeyArn, lifecycle: { DeleteAfterDays: 400 },
    });
    const listed = await call("ListRecoveryPointsByBackupVault", { BackupVaultName: "secondary" });
    expect(listed.RecoveryPoints[0]).toMatchObject({ SourceBackupVaultArn: vaultArn(ACCOUNT, REGION, "primary"), CreationDate: new Date(T0) });
  });

  it("keep the source lifecycle when the request has none", async () => {
    const rpArn = await recoveryPoint();
    const { CopyJobId } = await call("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: vaultArn(ACCOUNT, REGION, "secondary"), IamRoleArn: ROLE });
    advance(2000);
    const { CopyJob } = await call("DescribeCopyJob", { CopyJobId });
    expect(regionState(world, ACCOUNT, REGION, now).backup.vaults.secondary!.recoveryPoints[CopyJob.DestinationRecoveryPointArn]!.lifecycle).toEqual({ DeleteAfterDays: 35 });
  });

  it("refuse what StartCopyJob validates synchronously", async () => {
    const rpArn = await recoveryPoint();
    const dest = vaultArn(ACCOUNT, REGION, "secondary");
    expect((await rejection("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "nope", DestinationBackupVaultArn: dest, IamRoleArn: ROLE })).code).toBe("ResourceNotFoundException");
    expect((await rejection("StartCopyJob", { RecoveryPointArn: rpArn.replace(/.$/, "x"), SourceBackupVaultName: "primary", DestinationBackupVaultArn: dest, IamRoleArn: ROLE })).code).toBe("ResourceNotFoundException");
    expect((await rejection("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: dest, IamRoleArn: "arn:aws:iam::1:role/x" })).code).toBe("InvalidParameterValueException");
    expect((await rejection("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: dest, IamRoleArn: ROLE, Lifecycle: { MoveToColdStorageAfterDays: 10, DeleteAfterDays: 20 } })).code).toBe("InvalidParameterValueException");
    // Any destination ARN is accepted; it is judged when the job runs.
    const { CopyJobId } = await call("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: "arn:aws:s3:::not-a-vault", IamRoleArn: ROLE });
    advance(2000);
    expect((await call("DescribeCopyJob", { CopyJobId })).CopyJob).toMatchObject({ State: "FAILED", MessageCategory: "InvalidParameters" });
  });

  it("fail a cross-account copy that breaks a rule, and list by state, destination and account", async () => {
    const rpArn = await recoveryPoint();
    const outside = vaultArn("999999999999", REGION, "cab");
    const inOrg = vaultArn("333333333333", REGION, "cab");
    const a = await call("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: outside, IamRoleArn: ROLE });
    await call("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: inOrg, IamRoleArn: ROLE });
    advance(1000);
    expect((await call("ListCopyJobs", { ByState: "RUNNING" })).CopyJobs).toHaveLength(2);
    advance(1000);
    const { CopyJob } = await call("DescribeCopyJob", { CopyJobId: a.CopyJobId });
    expect(CopyJob).toMatchObject({ State: "FAILED", MessageCategory: "AccessDenied", StatusMessage: "Access denied: Copy job failed. Both source and destination account must be a member of the same organization" });
    expect(CopyJob.DestinationRecoveryPointArn).toBeUndefined();
    expect((await call("ListCopyJobs", { ByDestinationVaultArn: outside })).CopyJobs.map((j: any) => j.CopyJobId)).toEqual([a.CopyJobId]);
    expect((await call("ListCopyJobs", { ByState: "FAILED", MaxResults: 1 })).NextToken).toBeDefined();
    expect((await call("ListCopyJobs", { ByMessageCategory: "AccessDenied" })).CopyJobs).toHaveLength(2);
    expect((await call("ListCopyJobs", { ByAccountId: ACCOUNT })).CopyJobs).toHaveLength(2);
    // A member account cannot list another account's jobs; the management account can, with trusted access.
    expect((await call("ListCopyJobs", { ByAccountId: ACCOUNT }, "333333333333")).CopyJobs).toHaveLength(0);
    expect((await call("ListCopyJobs", { ByAccountId: ACCOUNT }, "111111111111")).CopyJobs).toHaveLength(0);
    world.org.serviceAccess.current = { "backup.amazonaws.com": now };
    world.org.serviceAccess.history.push({ value: world.org.serviceAccess.current, at: now });
    expect((await call("ListCopyJobs", { ByAccountId: ACCOUNT }, "111111111111")).CopyJobs).toHaveLength(2);
  });

  it("do not copy a recovery point that has moved to cold storage [C4]", async () => {
    const rpArn = await recoveryPoint("EFS", { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 100 });
    advance(2 * DAY);
    expect((await call("DescribeRecoveryPoint", { BackupVaultName: "primary", RecoveryPointArn: rpArn })).StorageClass).toBe("COLD");
    const { CopyJobId } = await call("StartCopyJob", { RecoveryPointArn: rpArn, SourceBackupVaultName: "primary", DestinationBackupVaultArn: vaultArn(ACCOUNT, REGION, "secondary"), IamRoleArn: ROLE });
    advance(2000);
    expect((await call("DescribeCopyJob", { CopyJobId })).CopyJob.StatusMessage).toContain("cold storage");
  });
});

describe("runDuePlans", () => {
  function addPlan(copyTo?: string): string {
    const backup = regionState(world, ACCOUNT, REGION, now).backup;
    backup.plans["plan-1"] = {
      id: "plan-1", arn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:plan-1`, createdAt: T0, tags: {},
      versions: [{ versionId: "v1", createdAt: T0, plan: { BackupPlanName: "daily", Rules: [{
        RuleName: "daily", RuleId: "rule-1", TargetBackupVaultName: "primary", Lifecycle: { DeleteAfterDays: 30 }, RecoveryPointTags: { plan: "daily" },
        ...(copyTo ? { CopyActions: [{ DestinationBackupVaultArn: copyTo, Lifecycle: { DeleteAfterDays: 90 } }] } : {}),
      }] } }],
    };
    return "plan-1";
  }

  function addSelection(id: string, selection: Record<string, unknown>): void {
    regionState(world, ACCOUNT, REGION, now).backup.selections[id] = { id, planId: "plan-1", createdAt: T0, selection: { SelectionName: id, IamRoleArn: ROLE, ...selection } };
  }

  it("backs up the selected resources, then starts the rule's copy actions", async () => {
    addPlan(vaultArn(ACCOUNT, REGION, "secondary"));
    addSelection("by-arn", { Resources: [VOLUME, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`, `arn:aws:ec2:${REGION}:333333333333:volume/vol-0bbbbbbbbbbbbbbbb`] });
    addSelection("by-tag", { ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "daily" }] });
    addSelection("by-pattern", { Resources: [`arn:aws:elasticfilesystem:*:*:file-system/*`] });
    addSelection("nothing", {});

    const summary = runDuePlans(world, now, settings);
    // Two concrete resources of the account, one synthetic EBS volume for the tag selection, one file system.
    expect(summary.plansRun).toBe(1);
    const resources = summary.backupJobs.map((j) => j.resourceArn);
    expect(resources).toHaveLength(4);
    expect(resources).toEqual(expect.arrayContaining([
      VOLUME,
      `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      expect.stringMatching(/^arn:aws:ec2:us-east-1:222222222222:volume\/vol-(?!0a{16})[0-9a-f]{17}$/),
      expect.stringMatching(/^arn:aws:elasticfilesystem:us-east-1:222222222222:file-system\/fs-[0-9a-f]{17}$/),
    ]));
    expect(regionState(world, ACCOUNT, REGION, now).backup.plans["plan-1"]!.lastExecutionAt).toBe(now);

    advance(10_000); // backups end at +2 s, their copies at +4 s
    const backups = (await call("ListBackupJobs", {})).BackupJobs;
    expect(backups.every((j: any) => j.State === "COMPLETED" && j.CreatedBy.BackupPlanId === "plan-1" && j.CreatedBy.BackupRuleId === "rule-1")).toBe(true);
    const copies = (await call("ListCopyJobs", {})).CopyJobs;
    expect(copies).toHaveLength(4);
    expect(copies.every((j: any) => j.State === "COMPLETED" && j.CreationDate.getTime() === T0 + 2000 && j.CompletionDate.getTime() === T0 + 4000)).toBe(true);
    const copied = await call("ListRecoveryPointsByBackupVault", { BackupVaultName: "secondary", ByBackupPlanId: "plan-1" });
    expect(copied.RecoveryPoints).toHaveLength(4);
    expect(copied.RecoveryPoints.every((r: any) => r.Lifecycle.DeleteAfterDays === 90)).toBe(true);
    expect((await call("ListRecoveryPointsByBackupVault", { BackupVaultName: "primary" })).RecoveryPoints.every((r: any) => r.Lifecycle.DeleteAfterDays === 30)).toBe(true);
  });

  it("backs the same synthetic resource up on every run", () => {
    addPlan();
    addSelection("by-tag", { ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "daily" }] });
    const first = runDuePlans(world, now, settings).backupJobs[0]!.resourceArn;
    expect(runDuePlans(world, now + 1, settings).backupJobs[0]!.resourceArn).toBe(first);
  });

  it("skips deleted plans and plans whose selections select nothing", () => {
    addPlan();
    expect(runDuePlans(world, now, settings).plansRun).toBe(0);
    addSelection("by-arn", { Resources: [VOLUME] });
    regionState(world, ACCOUNT, REGION, now).backup.plans["plan-1"]!.deletedAt = now;
    expect(runDuePlans(world, now, settings)).toEqual({ plansRun: 0, backupJobs: [] });
  });

  it("starts a failing cross-account copy when the destination breaks a rule", async () => {
    addPlan(vaultArn("333333333333", REGION, "Default"));
    addSelection("by-arn", { Resources: [VOLUME] });
    runDuePlans(world, now, settings);
    advance(10_000);
    const [copy] = (await call("ListCopyJobs", {})).CopyJobs;
    expect(copy).toMatchObject({ State: "FAILED", MessageCategory: "AccessDenied" });
  });
});
