// `status --canary`: one on-demand copy over a route, followed to its end. In the source account: the newest
// recovery point of the source vault that a copy can start from (completed, not in cold storage [C4]) is copied
// with StartCopyJob to the destination vault ARN, as the route's copy role and with the copy action's lifecycle,
// then DescribeCopyJob is polled with a bounded back-off until the job ends or the wait is over. The job goes on
// in AWS after a timeout: only the wait ends.
import { randomUUID } from "node:crypto";
import { DescribeCopyJobCommand, StartCopyJobCommand, type RecoveryPointByBackupVault } from "@aws-sdk/client-backup";
import { isFinalJobState, type CanaryOutcome, type CopyJobFact, type HealthTarget } from "../../check/health.js";
import { describeError } from "./aws-errors.js";
import { RequestLimiter } from "./limiter.js";
import { copyJobFact, listVaultPoints, newestPoint, type HealthClients } from "./read-route-health.js";

export interface CanaryOptions {
  /** Longest wait for the job to end. */
  timeoutMs: number;
  /** A line of progress (stderr). */
  progress: (line: string) => void;
  limiter?: RequestLimiter;
  /** First wait between two DescribeCopyJob calls; it grows by half each time up to `maxPollMs`. */
  firstPollMs?: number;
  maxPollMs?: number;
  /** Injected for tests: waiting and the clock. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const FIRST_POLL_MS = 1000;
const MAX_POLL_MS = 30_000;
/** A job that does not change state still gets a progress line this often. */
const QUIET_PROGRESS_MS = 60_000;

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** A point a copy can start from: completed (or of unknown status) and not moved to cold storage yet. */
export function copyablePoints(points: readonly RecoveryPointByBackupVault[], now: number): RecoveryPointByBackupVault[] {
  return points.filter((p) => {
    if (!p.RecoveryPointArn) return false;
    if (p.Status !== undefined && p.Status !== "COMPLETED") return false;
    const cold = p.CalculatedLifecycle?.MoveToColdStorageAt;
    return !(cold instanceof Date && cold.getTime() <= now);
  });
}

/** The role to copy with: the one that made the recovery point when the route's selections name it, else theirs. */
export function canaryRole(target: HealthTarget, point: RecoveryPointByBackupVault): string {
  const made = point.IamRoleArn;
  if (made && target.roles.includes(made)) return made;
  return target.roles[0] ?? made ?? "";
}

function lifecycleOf(target: HealthTarget): { MoveToColdStorageAfterDays?: number; DeleteAfterDays?: number } | undefined {
  const l = target.copyLifecycle;
  if (!l) return undefined;
  return {
    ...(l.moveToColdStorageAfterDays !== undefined ? { MoveToColdStorageAfterDays: l.moveToColdStorageAfterDays } : {}),
    ...(l.deleteAfterDays !== undefined ? { DeleteAfterDays: l.deleteAfterDays } : {}),
  };
}

export async function runCanary(clients: HealthClients, target: HealthTarget, opts: CanaryOptions): Promise<CanaryOutcome> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limiter = opts.limiter ?? new RequestLimiter();
  const { accountId, region, vault } = target.source;
  const lane = `${accountId}/${region}`;
  const say = (text: string): void => opts.progress(`canary ${target.id}: ${text}`);
  if (!target.destination) return { result: "skipped", message: `the destination ${target.destinationArn} is not a backup vault ARN` };

  let points: RecoveryPointByBackupVault[];
  try {
    points = await listVaultPoints(clients, limiter, target.source);
  } catch (e) {
    return { result: "error", message: `cannot list the recovery points of vault ${vault} of account ${accountId} in ${region} through ${clients.describeAccess(accountId)}: ${describeError(e)}` };
  }
  const point = newestPoint(copyablePoints(points, now()));
  if (!point) {
    const message = points.length === 0
      ? `the source vault ${vault} has no recovery point yet: nothing to copy`
      : `the source vault ${vault} has no completed recovery point outside cold storage: nothing to copy`;
    say(`skipped: ${message}`);
    return { result: "skipped", message };
  }
  const rpArn = point.RecoveryPointArn!;
  const roleArn = canaryRole(target, point);
  const lifecycle = lifecycleOf(target);
  const backup = clients.backup(accountId, region);
  const started = now();
  let jobId: string;
  try {
    const out = await limiter.run(lane, () => backup.send(new StartCopyJobCommand({
      RecoveryPointArn: rpArn,
      SourceBackupVaultName: vault,
      DestinationBackupVaultArn: target.destinationArn,
      IamRoleArn: roleArn,
      // One token per canary: a request the SDK retries does not start a second copy.
      IdempotencyToken: randomUUID(),
      ...(lifecycle ? { Lifecycle: lifecycle } : {}),
    })));
    jobId = out.CopyJobId ?? "";
  } catch (e) {
    return { result: "error", message: `StartCopyJob in account ${accountId} (${region}) refused the copy of ${rpArn}: ${describeError(e)}`, recoveryPointArn: rpArn, roleArn };
  }
  say(`started copy job ${jobId} of ${rpArn} as ${roleArn}`);

  const base = { recoveryPointArn: rpArn, roleArn };
  let wait = opts.firstPollMs ?? FIRST_POLL_MS;
  const maxWait = opts.maxPollMs ?? MAX_POLL_MS;
  let job: CopyJobFact = { id: jobId, state: "CREATED" };
  let lastState = "";
  let lastSaid = started;
  for (;;) {
    const spent = now() - started;
    const left = opts.timeoutMs - spent;
    if (left <= 0) {
      say(`still ${job.state} after ${elapsed(spent)}: stopped waiting (the copy job goes on in AWS)`);
      return { ...base, result: "timed-out", job, elapsedMs: spent };
    }
    await sleep(Math.min(wait, left));
    wait = Math.min(Math.ceil(wait * 1.5), maxWait);
    try {
      const out = await limiter.run(lane, () => backup.send(new DescribeCopyJobCommand({ CopyJobId: jobId })));
      if (out.CopyJob) job = copyJobFact(out.CopyJob);
    } catch (e) {
      return { ...base, result: "error", message: `cannot follow copy job ${jobId}: ${describeError(e)}`, job, elapsedMs: now() - started };
    }
    const t = now() - started;
    if (job.state !== lastState || now() - lastSaid >= QUIET_PROGRESS_MS) {
      say(`copy job ${jobId} ${job.state} after ${elapsed(t)}`);
      lastState = job.state;
      lastSaid = now();
    }
    if (isFinalJobState(job.state)) {
      const ok = job.state === "COMPLETED";
      return { ...base, result: ok ? "completed" : "failed", job, elapsedMs: t, ...(!ok && job.statusMessage ? { message: job.statusMessage } : {}) };
    }
  }
}
