// Copy jobs: StartCopyJob / DescribeCopyJob / ListCopyJobs, and how a copy ends on the sandbox clock. The
// request is checked synchronously only for what the model can express and the source recovery point; the
// cross-account rules are judged when the job runs (copy-rules.ts), as AWS does (BEHAVIOUR.md §2.19, §8).
import type { OperationHandler, SandboxSettings } from "../../service.js";
import type { World } from "../../world.js";
import type { JobRecord, RecoveryPoint, Vault } from "./state.js";
import type { CopyJobRun } from "./jobs-records.js";
import type { Lifecycle } from "./recovery-points.js";
import { ServiceError } from "../../service.js";
import { regionState } from "../../world.js";
import { checkLifecycle, normaliseLifecycle, vaultNotFound } from "./recovery-points.js";
import { copiedRecoveryPointArn } from "./recovery-points-resources.js";
import { parseVaultArn } from "./identifiers.js";
import { checkRoleArn } from "./jobs-backup.js";
import { endsAt, findByIdempotencyToken, findJob, jobTimes, listJobs, newJobId, runOf } from "./jobs-records.js";
import { evaluateCopyJob } from "./copy-rules.js";

export interface CopyJobRequest {
  accountId: string;
  region: string;
  sourceVault: Vault;
  recoveryPoint: RecoveryPoint;
  destinationVaultArn: string;
  iamRoleArn: string;
  /** Absent: the copy keeps the source's lifecycle. */
  lifecycle?: Lifecycle;
  idempotencyToken?: string;
  createdBy?: Record<string, string>;
  /** Sandbox ms; a copy started by a plan's backup inside a clock jump is dated when that backup ended. */
  at: number;
}

export function createCopyJob(world: World, req: CopyJobRequest): JobRecord {
  const id = newJobId();
  const run: CopyJobRun = { region: req.region };
  if (req.lifecycle) run.lifecycle = req.lifecycle;
  if (req.idempotencyToken) run.idempotencyToken = req.idempotencyToken;
  const rp = req.recoveryPoint;
  const details: Record<string, any> = {
    AccountId: req.accountId,
    CopyJobId: id,
    SourceBackupVaultArn: req.sourceVault.arn,
    SourceRecoveryPointArn: rp.arn,
    DestinationBackupVaultArn: req.destinationVaultArn,
    ResourceArn: rp.resourceArn,
    ResourceType: rp.resourceType,
    ResourceName: rp.resourceArn.slice(Math.max(rp.resourceArn.lastIndexOf("/"), rp.resourceArn.lastIndexOf(":")) + 1),
    BackupSizeInBytes: 0,
    IamRoleArn: req.iamRoleArn,
    sandbox: run,
  };
  if (req.createdBy) details.CreatedBy = req.createdBy;
  const job: JobRecord = { id, kind: "copy", state: "CREATED", createdAt: req.at, details };
  regionState(world, req.accountId, req.region, req.at).backup.jobs[id] = job;
  return job;
}

/** Ends a due copy job: FAILED with the broken rule's message, or COMPLETED with the copy in the destination. */
export function finishCopyJob(world: World, job: JobRecord, settings: SandboxSettings): RecoveryPoint | undefined {
  const at = endsAt(job, settings);
  job.completedAt = at;
  // AWS creates an account's Default vault in a Region when it is first needed, a copy into it included.
  const destination = parseVaultArn(job.details.DestinationBackupVaultArn);
  if (destination?.name === "Default" && destination.accountId === job.details.AccountId) regionState(world, destination.accountId, destination.region, at);
  const verdict = evaluateCopyJob(world, job, at, settings);
  if (!verdict.ok) {
    job.state = "FAILED";
    job.statusMessage = verdict.message;
    job.messageCategory = verdict.category;
    runOf<CopyJobRun>(job).rule = verdict.rule;
    return undefined;
  }
  const source = verdict.recoveryPoint;
  const copy: RecoveryPoint = {
    arn: copiedRecoveryPointArn(source.resourceType, verdict.destinationRegion, verdict.destinationAccountId, job.id),
    resourceArn: source.resourceArn,
    resourceType: source.resourceType,
    vaultName: verdict.destinationVault.name,
    // A copy keeps its source's creation date, and its lifecycle counts from it (BEHAVIOUR.md §6.8).
    createdAt: source.createdAt,
    completedAt: at,
    status: "COMPLETED",
    storageClass: "WARM",
    // [C2] Re-encrypted with the destination vault's key.
    encryptionKeyArn: verdict.destinationVault.encryptionKeyArn,
    iamRoleArn: String(job.details.IamRoleArn),
    lifecycle: { ...verdict.lifecycle },
    sourceBackupVaultArn: verdict.sourceVault.arn,
    tags: { ...(source.tags ?? {}) },
  };
  if (job.details.CreatedBy) copy.createdBy = { ...job.details.CreatedBy };
  verdict.destinationVault.recoveryPoints[copy.arn] = copy;
  job.state = "COMPLETED";
  job.messageCategory = "SUCCESS";
  job.details.DestinationRecoveryPointArn = copy.arn;
  return copy;
}

export function copyJobOutput(job: JobRecord): Record<string, unknown> {
  const d = job.details;
  const out: Record<string, unknown> = {
    AccountId: d.AccountId,
    CopyJobId: d.CopyJobId,
    SourceBackupVaultArn: d.SourceBackupVaultArn,
    SourceRecoveryPointArn: d.SourceRecoveryPointArn,
    DestinationBackupVaultArn: d.DestinationBackupVaultArn,
    ResourceArn: d.ResourceArn,
    ResourceType: d.ResourceType,
    ResourceName: d.ResourceName,
    BackupSizeInBytes: d.BackupSizeInBytes,
    IamRoleArn: d.IamRoleArn,
    State: job.state,
    IsParent: false,
    ...jobTimes(job),
  };
  if (d.DestinationRecoveryPointArn) out.DestinationRecoveryPointArn = d.DestinationRecoveryPointArn;
  if (d.CreatedBy) out.CreatedBy = { ...d.CreatedBy };
  if (job.statusMessage) out.StatusMessage = job.statusMessage;
  if (job.messageCategory) out.MessageCategory = job.messageCategory;
  return out;
}

const startCopyJob: OperationHandler = (ctx, input) => {
  const existing = findByIdempotencyToken(ctx, "copy", input.IdempotencyToken);
  if (existing) return { CopyJobId: existing.id, CreationDate: new Date(existing.createdAt), IsParent: false };
  const vaultName = String(input.SourceBackupVaultName);
  const sourceVault = regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).backup.vaults[vaultName];
  if (!sourceVault) throw vaultNotFound(vaultName, ctx.caller.accountId, ctx.region);
  const rpArn = String(input.RecoveryPointArn);
  const recoveryPoint = sourceVault.recoveryPoints[rpArn];
  if (!recoveryPoint) {
    throw new ServiceError("ResourceNotFoundException", `Recovery point ${rpArn} does not exist in backup vault ${vaultName}`, 400, { Context: rpArn });
  }
  checkRoleArn(String(input.IamRoleArn));
  const req: CopyJobRequest = {
    accountId: ctx.caller.accountId,
    region: ctx.region,
    sourceVault,
    recoveryPoint,
    destinationVaultArn: String(input.DestinationBackupVaultArn),
    iamRoleArn: String(input.IamRoleArn),
    idempotencyToken: input.IdempotencyToken,
    at: ctx.now,
  };
  if (input.Lifecycle !== undefined) {
    req.lifecycle = normaliseLifecycle(input.Lifecycle);
    checkLifecycle(req.lifecycle);
  }
  const job = createCopyJob(ctx.world, req);
  return { CopyJobId: job.id, CreationDate: new Date(job.createdAt), IsParent: false };
};

const describeCopyJob: OperationHandler = (ctx, input) => ({ CopyJob: copyJobOutput(findJob(ctx, String(input.CopyJobId), "copy")) });

const listCopyJobs: OperationHandler = (ctx, input) => {
  const page = listJobs(ctx, input, "copy", (j) => input.ByDestinationVaultArn === undefined || j.details.DestinationBackupVaultArn === input.ByDestinationVaultArn);
  return { CopyJobs: page.items.map(copyJobOutput), NextToken: page.nextToken };
};

export const copyJobOperations: Record<string, OperationHandler> = {
  StartCopyJob: startCopyJob,
  DescribeCopyJob: describeCopyJob,
  ListCopyJobs: listCopyJobs,
};
