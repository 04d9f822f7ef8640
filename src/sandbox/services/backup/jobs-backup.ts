// Backup jobs: StartBackupJob / DescribeBackupJob / ListBackupJobs, and how a job ends on the sandbox clock
// (a recovery point in the target vault, encrypted with the vault's key, with the requested lifecycle).
import type { OperationContext, OperationHandler, SandboxSettings } from "../../service.js";
import type { World } from "../../world.js";
import type { JobRecord, RecoveryPoint, Vault } from "./state.js";
import type { BackupJobRun, PlannedCopy } from "./jobs-records.js";
import type { Lifecycle } from "./recovery-points.js";
import { ServiceError } from "../../service.js";
import { regionState } from "../../world.js";
import { checkLifecycle, normaliseLifecycle, retentionRefusal, vaultNotFound } from "./recovery-points.js";
import { isIamRoleArn } from "./identifiers.js";
import type { ClassifiedResource } from "./recovery-points-resources.js";
import { classifyResource, supportedResourceServices } from "./recovery-points-resources.js";
import { endsAt, findByIdempotencyToken, findJob, jobTimes, listJobs, newJobId, runOf } from "./jobs-records.js";

const DEFAULT_START_WINDOW_MINUTES = 480;

export interface BackupJobRequest {
  accountId: string;
  region: string;
  /** Only the name and ARN: a plan may name a vault that no longer exists, and its job then fails. */
  vault: Pick<Vault, "name" | "arn">;
  resourceArn: string;
  iamRoleArn: string;
  lifecycle: Lifecycle;
  recoveryPointTags: Record<string, string>;
  startWindowMinutes?: number;
  completeWindowMinutes?: number;
  idempotencyToken?: string;
  createdBy?: Record<string, string>;
  copyActions?: PlannedCopy[];
  /** Sandbox ms; a job started by a plan inside a clock jump is dated at its due time. */
  at: number;
}

/** Checks what StartBackupJob checks synchronously; the throw is the modelled error the caller sees. */
export function checkBackupRequest(accountId: string, region: string, resourceArn: string, iamRoleArn: string): ClassifiedResource {
  const resource = classifyResource(resourceArn);
  if (!resource) {
    throw new ServiceError("InvalidParameterValueException", `Invalid resource ARN ${resourceArn}: not a resource type AWS Backup protects here (services: ${supportedResourceServices.join(", ")})`, 400, { Context: resourceArn });
  }
  if (resource.arn.accountId !== "" && resource.arn.accountId !== accountId) {
    throw new ServiceError("InvalidParameterValueException", `Resource ${resourceArn} does not belong to account ${accountId}; a backup job protects resources of its own account`, 400, { Context: resourceArn });
  }
  if (resource.arn.region !== "" && resource.arn.region !== region) {
    throw new ServiceError("InvalidParameterValueException", `Resource ${resourceArn} is not in ${region}; start the backup job in the resource's Region`, 400, { Context: resourceArn });
  }
  checkRoleArn(iamRoleArn);
  return resource;
}

export function checkRoleArn(iamRoleArn: string): void {
  if (!isIamRoleArn(iamRoleArn)) {
    throw new ServiceError("InvalidParameterValueException", `Invalid IAM role ARN ${iamRoleArn}: expected arn:aws:iam::ACCOUNT:role/NAME`, 400, { Context: iamRoleArn });
  }
}

export function createBackupJob(world: World, req: BackupJobRequest): JobRecord {
  const resource = checkBackupRequest(req.accountId, req.region, req.resourceArn, req.iamRoleArn);
  const id = newJobId();
  const run: BackupJobRun = {
    region: req.region,
    recoveryPointArn: resource.recoveryPointArn(req.region, req.accountId, id),
    lifecycle: req.lifecycle,
    recoveryPointTags: req.recoveryPointTags,
  };
  if (req.idempotencyToken) run.idempotencyToken = req.idempotencyToken;
  if (req.copyActions?.length) run.copyActions = req.copyActions;
  const details: Record<string, any> = {
    AccountId: req.accountId,
    BackupJobId: id,
    BackupVaultName: req.vault.name,
    BackupVaultArn: req.vault.arn,
    ResourceArn: req.resourceArn,
    ResourceType: resource.type,
    ResourceName: resource.name,
    IamRoleArn: req.iamRoleArn,
    StartBy: req.at + (req.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES) * 60_000,
    BackupType: "FULL",
    sandbox: run,
  };
  if (req.completeWindowMinutes !== undefined) details.CompleteBy = req.at + req.completeWindowMinutes * 60_000;
  if (req.createdBy) details.CreatedBy = req.createdBy;
  const job: JobRecord = { id, kind: "backup", state: "CREATED", createdAt: req.at, details };
  regionState(world, req.accountId, req.region, req.at).backup.jobs[id] = job;
  return job;
}

/** Ends a due backup job: the recovery point appears in the vault (or the job fails if the vault is gone). */
export function finishBackupJob(world: World, accountId: string, job: JobRecord, settings: SandboxSettings): RecoveryPoint | undefined {
  const run = runOf<BackupJobRun>(job);
  const at = endsAt(job, settings);
  job.completedAt = at;
  const vault = regionState(world, accountId, run.region, at).backup.vaults[job.details.BackupVaultName];
  const refusal = vault ? retentionRefusal(vault, run.lifecycle) : `Backup vault ${job.details.BackupVaultName} no longer exists`;
  if (!vault || refusal) {
    job.state = "FAILED";
    job.statusMessage = refusal;
    job.messageCategory = "InvalidParameters";
    return undefined;
  }
  const rp: RecoveryPoint = {
    arn: run.recoveryPointArn,
    resourceArn: job.details.ResourceArn,
    resourceType: job.details.ResourceType,
    vaultName: vault.name,
    createdAt: job.createdAt,
    completedAt: at,
    status: "COMPLETED",
    storageClass: "WARM",
    // The sandbox does not model the resource's own key, so every backup is protected by the vault's key.
    encryptionKeyArn: vault.encryptionKeyArn,
    iamRoleArn: job.details.IamRoleArn,
    lifecycle: { ...run.lifecycle },
    tags: { ...run.recoveryPointTags },
  };
  if (job.details.CreatedBy) rp.createdBy = { ...job.details.CreatedBy };
  vault.recoveryPoints[rp.arn] = rp;
  job.state = "COMPLETED";
  job.messageCategory = "SUCCESS";
  job.details.RecoveryPointArn = rp.arn;
  job.details.BackupSizeInBytes = 0;
  return rp;
}

export function backupJobOutput(job: JobRecord): Record<string, unknown> {
  const d = job.details;
  const out: Record<string, unknown> = {
    AccountId: d.AccountId,
    BackupJobId: d.BackupJobId,
    BackupVaultName: d.BackupVaultName,
    BackupVaultArn: d.BackupVaultArn,
    ResourceArn: d.ResourceArn,
    ResourceType: d.ResourceType,
    ResourceName: d.ResourceName,
    IamRoleArn: d.IamRoleArn,
    State: job.state,
    PercentDone: job.state === "COMPLETED" ? "100.0" : job.state === "RUNNING" ? "50.0" : "0.0",
    StartBy: new Date(d.StartBy),
    InitiationDate: new Date(job.createdAt),
    BackupType: d.BackupType,
    IsParent: false,
    ...jobTimes(job),
  };
  if (d.RecoveryPointArn) out.RecoveryPointArn = d.RecoveryPointArn;
  if (d.BackupSizeInBytes !== undefined) out.BackupSizeInBytes = d.BackupSizeInBytes;
  if (d.CreatedBy) out.CreatedBy = { ...d.CreatedBy };
  if (d.CompleteBy !== undefined) out.ExpectedCompletionDate = new Date(d.CompleteBy);
  if (job.statusMessage) out.StatusMessage = job.statusMessage;
  if (job.messageCategory) out.MessageCategory = job.messageCategory;
  return out;
}

function requestedVault(ctx: OperationContext, name: string): Vault {
  const vault = regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).backup.vaults[name];
  if (!vault) throw vaultNotFound(name, ctx.caller.accountId, ctx.region);
  return vault;
}

const startBackupJob: OperationHandler = (ctx, input) => {
  const existing = findByIdempotencyToken(ctx, "backup", input.IdempotencyToken);
  if (existing) return startOutput(existing);
  const vault = requestedVault(ctx, String(input.BackupVaultName));
  if (input.StartWindowMinutes !== undefined && input.StartWindowMinutes < 60) {
    throw new ServiceError("InvalidParameterValueException", `StartWindowMinutes must be at least 60, got ${input.StartWindowMinutes}`, 400, { Context: "StartWindowMinutes" });
  }
  const lifecycle = normaliseLifecycle(input.Lifecycle);
  checkLifecycle(lifecycle);
  const job = createBackupJob(ctx.world, {
    accountId: ctx.caller.accountId,
    region: ctx.region,
    vault,
    resourceArn: String(input.ResourceArn),
    iamRoleArn: String(input.IamRoleArn),
    lifecycle,
    recoveryPointTags: { ...(input.RecoveryPointTags ?? {}) },
    startWindowMinutes: input.StartWindowMinutes,
    completeWindowMinutes: input.CompleteWindowMinutes,
    idempotencyToken: input.IdempotencyToken,
    at: ctx.now,
  });
  return startOutput(job);
};

function startOutput(job: JobRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { BackupJobId: job.id, CreationDate: new Date(job.createdAt), IsParent: false };
  // The model: the recovery point ARN is returned up front only for EFS and advanced DynamoDB.
  if (job.details.ResourceType === "EFS" || job.details.ResourceType === "DynamoDB") out.RecoveryPointArn = runOf<BackupJobRun>(job).recoveryPointArn;
  return out;
}

const describeBackupJob: OperationHandler = (ctx, input) => backupJobOutput(findJob(ctx, String(input.BackupJobId), "backup"));

const listBackupJobs: OperationHandler = (ctx, input) => {
  const page = listJobs(ctx, input, "backup", (j) => input.ByBackupVaultName === undefined || j.details.BackupVaultName === input.ByBackupVaultName);
  return { BackupJobs: page.items.map(backupJobOutput), NextToken: page.nextToken };
};

export const backupJobOperations: Record<string, OperationHandler> = {
  StartBackupJob: startBackupJob,
  DescribeBackupJob: describeBackupJob,
  ListBackupJobs: listBackupJobs,
};
