// What backup and copy jobs keep beside their model output, how a job's life is laid out on the sandbox clock,
// and the filters and visibility rules shared by ListBackupJobs and ListCopyJobs.
import type { OperationContext, SandboxSettings } from "../../service.js";
import type { JobRecord } from "./state.js";
import type { Lifecycle } from "./recovery-points.js";
import { randomUUID } from "node:crypto";
import { ServiceError } from "../../service.js";
import { paginate } from "../../paging.js";
import { regionState } from "../../world.js";

/** A copy action of a backup plan rule, carried by the plan's backup job until it completes [S6]. */
export interface PlannedCopy {
  DestinationBackupVaultArn: string;
  Lifecycle?: Lifecycle;
}

/** Bookkeeping of a backup job that is not part of its model output (kept in `details.sandbox`). */
export interface BackupJobRun {
  region: string;
  recoveryPointArn: string;
  lifecycle: Lifecycle;
  recoveryPointTags: Record<string, string>;
  idempotencyToken?: string;
  copyActions?: PlannedCopy[];
}

/** Bookkeeping of a copy job (kept in `details.sandbox`); `rule` names the seed rule a failed job broke. */
export interface CopyJobRun {
  region: string;
  /** The lifecycle the request asked for; absent means "keep the source's" (§2.19). */
  lifecycle?: Lifecycle;
  idempotencyToken?: string;
  rule?: string;
}

export function runOf<T extends BackupJobRun | CopyJobRun>(job: JobRecord): T {
  return job.details.sandbox as T;
}

export function newJobId(): string {
  return randomUUID().toUpperCase();
}

/** A job spends the first half of its duration CREATED and the second RUNNING; it ends at `endsAt`. */
export function runningAt(job: JobRecord, settings: SandboxSettings): number {
  return job.createdAt + Math.floor(Math.max(0, settings.jobDurationMs) / 2);
}

export function endsAt(job: JobRecord, settings: SandboxSettings): number {
  return job.createdAt + Math.max(0, settings.jobDurationMs);
}

export function isFinal(job: JobRecord): boolean {
  return job.state === "COMPLETED" || job.state === "FAILED" || job.state === "ABORTED";
}

export function findJob(ctx: OperationContext, id: string, kind: JobRecord["kind"]): JobRecord {
  const job = regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).backup.jobs[id];
  if (!job || job.kind !== kind) {
    const what = kind === "backup" ? "Backup job" : "Copy job";
    throw new ServiceError("ResourceNotFoundException", `${what} ${id} not found`, 400, { Context: id });
  }
  return job;
}

export function findByIdempotencyToken(ctx: OperationContext, kind: JobRecord["kind"], token: string | undefined): JobRecord | undefined {
  if (!token) return undefined;
  const jobs = regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).backup.jobs;
  return Object.values(jobs).find((j) => j.kind === kind && (j.details.sandbox as { idempotencyToken?: string }).idempotencyToken === token);
}

/**
 * The jobs a List*Jobs call may see: the caller's own in this Region; the management account may name
 * another member account with `ByAccountId` once trusted access for Backup is on (cross-account monitoring).
 */
function visibleJobs(ctx: OperationContext, kind: JobRecord["kind"], byAccountId: string | undefined): JobRecord[] {
  const org = ctx.world.org;
  let accountId = ctx.caller.accountId;
  if (byAccountId !== undefined && byAccountId !== accountId) {
    const monitoring = ctx.caller.accountId === org.managementAccountId && org.accounts[byAccountId] !== undefined &&
      org.serviceAccess.current["backup.amazonaws.com"] !== undefined;
    if (!monitoring) return [];
    accountId = byAccountId;
  }
  const jobs = ctx.world.accounts[accountId]?.regions[ctx.region]?.backup.jobs ?? {};
  return Object.values(jobs).filter((j) => j.kind === kind);
}

const time = (v: unknown): number | undefined => (v instanceof Date ? v.getTime() : undefined);

/** The filters common to ListBackupJobs and ListCopyJobs; `extra` adds the kind-specific ones. Newest first. */
export function listJobs(ctx: OperationContext, input: Record<string, any>, kind: JobRecord["kind"], extra: (job: JobRecord) => boolean): { items: JobRecord[]; nextToken?: string } {
  const createdAfter = time(input.ByCreatedAfter), createdBefore = time(input.ByCreatedBefore);
  const completeAfter = time(input.ByCompleteAfter), completeBefore = time(input.ByCompleteBefore);
  const category = input.ByMessageCategory as string | undefined;
  const matches = visibleJobs(ctx, kind, input.ByAccountId).filter((j) =>
    (input.ByState === undefined || j.state === input.ByState) &&
    (input.ByResourceArn === undefined || j.details.ResourceArn === input.ByResourceArn) &&
    (input.ByResourceType === undefined || j.details.ResourceType === input.ByResourceType) &&
    // The sandbox runs no composite jobs, so a parent filter matches nothing.
    input.ByParentJobId === undefined &&
    (category === undefined || category === "ANY" || category === "AGGREGATE_ALL" || j.messageCategory === category) &&
    (createdAfter === undefined || j.createdAt >= createdAfter) &&
    (createdBefore === undefined || j.createdAt <= createdBefore) &&
    (completeAfter === undefined || (j.completedAt !== undefined && j.completedAt >= completeAfter)) &&
    (completeBefore === undefined || (j.completedAt !== undefined && j.completedAt <= completeBefore)) &&
    extra(j));
  matches.sort((a, b) => b.createdAt - a.createdAt);
  return paginate(matches, input.NextToken, input.MaxResults, 1000);
}

/** Output members every job shares (timestamps as Date, as the protocol layer expects). */
export function jobTimes(job: JobRecord): { CreationDate: Date; CompletionDate?: Date } {
  return job.completedAt === undefined ? { CreationDate: new Date(job.createdAt) } : { CreationDate: new Date(job.createdAt), CompletionDate: new Date(job.completedAt) };
}
