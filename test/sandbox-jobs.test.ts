// Backup jobs, recovery points and copy jobs through the real AWS SDK v3 Backup client over HTTP: the shapes the
// SDK deserialises (timestamps as Date), query-string filters, pagination with the SDK's paginators, typed
// exceptions, and jobs that finish on the sandbox's own clock while a plain client polls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BackupClient,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  InvalidParameterValueException,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ResourceNotFoundException,
  StartBackupJobCommand,
  StartCopyJobCommand,
  paginateListBackupJobs,
  paginateListCopyJobs,
  paginateListRecoveryPointsByBackupVault,
} from "@aws-sdk/client-backup";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle } from "../src/sandbox/index.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "1";

const REGION = "eu-central-1";
const ACCOUNT = "222222222222";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/backup-role`;
const volume = (n: number): string => `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-${n.toString(16).padStart(17, "0")}`;
const FILE_SYSTEM = `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`;

async function advance(sandbox: SandboxHandle, ms: number): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/clock/advance`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ms }) });
  expect(res.status).toBe(200);
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("backup and copy jobs over the SDK", () => {
  let sandbox: SandboxHandle;
  let backup: BackupClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, jobDurationMs: 1000, tickMs: 60_000, log: () => {} });
    backup = new BackupClient({ endpoint: sandbox.url, region: REGION, credentials: { accessKeyId: "AKIASANDBOX222222222", secretAccessKey: "sandbox" }, maxAttempts: 1 });
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "primary" }));
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "secondary" }));
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("runs a backup job to a recovery point the SDK can read", async () => {
    const started = await backup.send(new StartBackupJobCommand({ BackupVaultName: "primary", ResourceArn: FILE_SYSTEM, IamRoleArn: ROLE, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 }, RecoveryPointTags: { app: "files" } }));
    expect(started.CreationDate).toBeInstanceOf(Date);
    expect(started.RecoveryPointArn).toMatch(new RegExp(`^arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:`));
    expect((await backup.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId }))).State).toBe("CREATED");
    await advance(sandbox, 1100);
    const job = await backup.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId }));
    expect(job).toMatchObject({ State: "COMPLETED", ResourceType: "EFS", RecoveryPointArn: started.RecoveryPointArn, AccountId: ACCOUNT, IamRoleArn: ROLE });
    expect(job.CompletionDate!.getTime() - job.CreationDate!.getTime()).toBe(1000);
    const rp = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: "primary", RecoveryPointArn: started.RecoveryPointArn }));
    expect(rp).toMatchObject({ Status: "COMPLETED", StorageClass: "WARM", ResourceArn: FILE_SYSTEM, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 }, IsEncrypted: true });
    expect(rp.CalculatedLifecycle!.MoveToColdStorageAt!.getTime() - rp.CreationDate!.getTime()).toBe(30 * 86_400_000);
    expect(rp.EncryptionKeyArn).toMatch(/^arn:aws:kms:eu-central-1:222222222222:key\//);
  });

  it("raises the modelled exceptions", async () => {
    await expect(backup.send(new StartBackupJobCommand({ BackupVaultName: "missing", ResourceArn: volume(1), IamRoleArn: ROLE }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(backup.send(new StartBackupJobCommand({ BackupVaultName: "primary", ResourceArn: volume(1).replace(ACCOUNT, "333333333333"), IamRoleArn: ROLE }))).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(backup.send(new DescribeBackupJobCommand({ BackupJobId: "00000000-0000-0000-0000-000000000000" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(backup.send(new DescribeCopyJobCommand({ CopyJobId: "00000000-0000-0000-0000-000000000000" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: "primary", RecoveryPointArn: "arn:aws:ec2:eu-central-1::snapshot/snap-00000000000000000" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("pages and filters jobs, recovery points and copy jobs", async () => {
    const before = new Date(sandbox.world().clockOffsetMs + Date.now());
    for (let n = 1; n <= 7; n++) await backup.send(new StartBackupJobCommand({ BackupVaultName: "secondary", ResourceArn: volume(n), IamRoleArn: ROLE }));
    await advance(sandbox, 1100);
    const jobPages = await collect(paginateListBackupJobs({ client: backup, pageSize: 3 }, { ByBackupVaultName: "secondary", ByCreatedAfter: before }));
    expect(jobPages.map((p) => p.BackupJobs!.length)).toEqual([3, 3, 1]);
    expect((await backup.send(new ListBackupJobsCommand({ ByResourceArn: volume(4) }))).BackupJobs!.map((j) => j.ResourceArn)).toEqual([volume(4)]);
    expect((await backup.send(new ListBackupJobsCommand({ ByResourceType: "EFS" }))).BackupJobs).toHaveLength(1);

    const rpPages = await collect(paginateListRecoveryPointsByBackupVault({ client: backup, pageSize: 2 }, { BackupVaultName: "secondary" }));
    const points = rpPages.flatMap((p) => p.RecoveryPoints!);
    expect(points).toHaveLength(7);
    expect(new Set(points.map((p) => p.RecoveryPointArn)).size).toBe(7);
    expect(points.every((p) => p.CreationDate instanceof Date && p.BackupVaultName === "secondary" && p.ResourceType === "EBS")).toBe(true);

    for (const p of points.slice(0, 5)) {
      await backup.send(new StartCopyJobCommand({ RecoveryPointArn: p.RecoveryPointArn, SourceBackupVaultName: "secondary", DestinationBackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:primary`, IamRoleArn: ROLE }));
    }
    await advance(sandbox, 1100);
    const copyPages = await collect(paginateListCopyJobs({ client: backup, pageSize: 2 }, { ByState: "COMPLETED", ByDestinationVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:primary` }));
    expect(copyPages.flatMap((p) => p.CopyJobs!)).toHaveLength(5);
    expect((await backup.send(new ListCopyJobsCommand({ ByState: "FAILED" }))).CopyJobs).toEqual([]);
    expect((await backup.send(new ListCopyJobsCommand({ ByCompleteAfter: new Date(Date.now() + sandbox.world().clockOffsetMs + 60_000) }))).CopyJobs).toEqual([]);
  });

  it("finishes a copy on the sandbox's own clock while a plain client polls", async () => {
    const polling = await startSandbox({ port: 0, jobDurationMs: 200, tickMs: 25, log: () => {} });
    try {
      const client = new BackupClient({ endpoint: polling.url, region: REGION, credentials: { accessKeyId: "AKIASANDBOX222222222", secretAccessKey: "sandbox" }, maxAttempts: 1 });
      await client.send(new CreateBackupVaultCommand({ BackupVaultName: "primary" }));
      const { BackupJobId } = await client.send(new StartBackupJobCommand({ BackupVaultName: "primary", ResourceArn: volume(9), IamRoleArn: ROLE }));
      let state: string | undefined;
      let rp: string | undefined;
      while (state !== "COMPLETED") {
        await new Promise((r) => setTimeout(r, 50));
        ({ State: state, RecoveryPointArn: rp } = await client.send(new DescribeBackupJobCommand({ BackupJobId })));
        expect(state).not.toBe("FAILED");
      }
      const { CopyJobId } = await client.send(new StartCopyJobCommand({ RecoveryPointArn: rp, SourceBackupVaultName: "primary", DestinationBackupVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:Default`, IamRoleArn: ROLE }));
      let copyState: string | undefined;
      while (copyState !== "COMPLETED" && copyState !== "FAILED") {
        await new Promise((r) => setTimeout(r, 50));
        copyState = (await client.send(new DescribeCopyJobCommand({ CopyJobId }))).CopyJob!.State;
      }
      // The us-west-2 Default vault comes into being with the account-region, as in AWS.
      expect(copyState).toBe("COMPLETED");
    } finally {
      await polling.stop();
    }
  });
});
