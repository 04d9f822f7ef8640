// Route health, as `crossvault status` reports it: for each copy route that exists now, the recent copy jobs over
// it, the last failure's message, the newest copy in the destination vault, the copy-route check's verdict on the
// live state and, with --canary, the outcome of one on-demand copy. Which routes exist, what was read of them and
// how it adds up to healthy, failing or unknown: pure, from what the providers read and the check decided.
import type { Plan, RouteEnd, RouteFailure, RouteStatus } from "../core/plan-types.js";
import type { OrgFacts } from "../model/org.js";
import { buildLiveWorld, parseVaultArn, type CopyRoute, type Readable, type ResourceView } from "./routes/index.js";
import { defaultBackupRole } from "./routes/requests.js";

export const STATUS_FORMAT_VERSION = "1.0";

/** Copy jobs shown per route (the newest); the last failure is found among every job read. */
export const JOBS_SHOWN = 5;

/** A copy job as ListCopyJobs / DescribeCopyJob return it: the members status shows. Times are ISO 8601. */
export interface CopyJobFact {
  id: string;
  /** CREATED, RUNNING, COMPLETED, FAILED, PARTIAL (and ABORTED where AWS uses it). */
  state: string;
  createdAt?: string;
  completedAt?: string;
  statusMessage?: string;
  messageCategory?: string;
  sourceRecoveryPointArn?: string;
  destinationRecoveryPointArn?: string;
  resourceArn?: string;
  resourceType?: string;
}

/** A recovery point in the destination vault that came from the route's source vault. */
export interface RecoveryPointFact {
  arn: string;
  /** A copy keeps its source's creation date (the age of the data). */
  createdAt?: string;
  /** When the copy finished. */
  completedAt?: string;
  status?: string;
  resourceArn?: string;
  resourceType?: string;
}

/** What was read of one route: its copy jobs (newest first) and the newest copy in the destination. */
export interface RouteReadings {
  jobs: Readable<CopyJobFact[]>;
  /** `null`: no copy from this source vault in the destination vault. */
  recoveryPoint: Readable<RecoveryPointFact | null>;
}

export type CanaryResult = "completed" | "failed" | "timed-out" | "skipped" | "error";

/** One on-demand copy over the route (`status --canary`). */
export interface CanaryOutcome {
  result: CanaryResult;
  /** Why it was skipped, the job's status message, or the error. */
  message?: string;
  /** The copied recovery point (the newest of the source vault) and the role that copied it. */
  recoveryPointArn?: string;
  roleArn?: string;
  /** The job as last described. */
  job?: CopyJobFact;
  elapsedMs?: number;
}

/** What status needs of one route to read it and to start a canary over it. */
export interface HealthTarget {
  /** The verdict's id (unique per route, also for two rules between the same vaults). */
  id: string;
  address?: string;
  source: { accountId: string; region: string; vault: string };
  destinationArn: string;
  /** Parsed from the ARN; undefined when it is not a vault ARN (nothing can be read there). */
  destination?: { accountId: string; region: string; vault: string };
  /** The roles the route's copies run as (the plan's selections), else AWS Backup's default role. */
  roles: string[];
  /** The copy action's lifecycle, for a canary that copies as the route does. */
  copyLifecycle?: { moveToColdStorageAfterDays?: number; deleteAfterDays?: number };
}

export type Health = "healthy" | "failing" | "unknown";

export interface RouteHealth {
  id: string;
  address?: string;
  source: RouteEnd;
  destination: RouteEnd;
  destinationVaultArn: string;
  health: Health;
  /** Why the route is failing or unknown, in words. Empty when healthy. */
  reasons: string[];
  /** The copy-route check on the live state. */
  check: { status: RouteStatus; failures: RouteFailure[]; warnings: RouteFailure[] };
  /** The newest copy jobs (at most JOBS_SHOWN), newest first. */
  jobs: CopyJobFact[];
  /** How many copy jobs over the route were read in all. */
  jobsRead: number;
  jobsError?: string;
  /** The newest job that ended FAILED (or PARTIAL, ABORTED), among every job read. */
  lastFailedJob?: CopyJobFact;
  /** `null`: none yet; absent when it could not be read (recoveryPointError says why). */
  newestRecoveryPoint?: RecoveryPointFact | null;
  recoveryPointError?: string;
  canary?: CanaryOutcome;
}

export interface StatusReport {
  format_version: typeof STATUS_FORMAT_VERSION;
  tool_version: string;
  created_at: string;
  stack: string;
  /** Whether canaries ran. */
  canary: boolean;
  routes: RouteHealth[];
  summary: { healthy: number; failing: number; unknown: number };
  /** Routes of the configuration that do not exist yet (not applied): not reported. */
  notApplied: number;
  /** Accounts the plan could not read. */
  unreadable: Plan["unreadable"];
}

/** The verdict of one route as `check --live` reports it (views/check-report.ts CheckedRoute). */
export interface LiveVerdict {
  verdict: { id: string; address?: string; source: RouteEnd; destination: RouteEnd };
  status: RouteStatus;
  failures: RouteFailure[];
  warnings: RouteFailure[];
}

const FINAL_STATES = new Set(["COMPLETED", "FAILED", "PARTIAL", "ABORTED", "EXPIRED"]);

export function isFinalJobState(state: string): boolean {
  return FINAL_STATES.has(state);
}

/** The routes of the backup plans the live read found, as the check enumerates them. */
export function liveCopyRoutes(input: { stack: string; live: readonly ResourceView[]; org: OrgFacts | undefined }): CopyRoute[] {
  const empty = { settings: { ok: false as const, reason: "not read" }, vaults: {}, keys: {} };
  return buildLiveWorld({ stack: input.stack, live: input.live, org: input.org, facts: empty, shareKeysOf: () => [] }).routes;
}

function sameRoute(verdict: LiveVerdict["verdict"], route: CopyRoute): boolean {
  return verdict.address === route.address && (verdict.id === route.id || verdict.id === `${route.id} (${route.address})`);
}

function vaultArnOf(end: RouteEnd): string {
  return `arn:aws:backup:${end.region}:${end.accountId}:backup-vault:${end.vault}`;
}

/** One target per live verdict, with what the route's backup plan says of its roles and lifecycle. */
export function healthTargets(verdicts: readonly LiveVerdict[], routes: readonly CopyRoute[]): HealthTarget[] {
  return verdicts.map(({ verdict }) => {
    const route = routes.find((r) => sameRoute(verdict, r));
    const destinationArn = route?.destinationArn ?? (verdict.destination.accountId ? vaultArnOf(verdict.destination) : verdict.destination.vault);
    const destination = parseVaultArn(destinationArn);
    const source = { accountId: verdict.source.accountId, region: verdict.source.region, vault: verdict.source.vault };
    const roles = route && route.selected.roles.length > 0 ? [...route.selected.roles] : [defaultBackupRole(source.accountId)];
    const target: HealthTarget = { id: verdict.id, source, destinationArn, roles };
    if (verdict.address) target.address = verdict.address;
    if (destination) target.destination = destination;
    if (route?.copyLifecycle) target.copyLifecycle = { ...route.copyLifecycle };
    return target;
  });
}

function byNewest(a: CopyJobFact, b: CopyJobFact): number {
  const x = a.createdAt ?? "", y = b.createdAt ?? "";
  return x < y ? 1 : x > y ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function jobWords(job: CopyJobFact): string {
  return `copy job ${job.id} ended ${job.state}${job.statusMessage ? `: ${job.statusMessage}` : ""}`;
}

function checkWords(failures: readonly RouteFailure[]): string {
  const rules = [...new Set(failures.map((f) => `[${f.rule}]`))].join(" ");
  return rules || "see the check's failures";
}

/** Healthy: the newest finished copy job completed (or there is none yet), the check passes, all was read. */
function judge(check: LiveVerdict, jobs: readonly CopyJobFact[], readings: RouteReadings, canary: CanaryOutcome | undefined): { health: Health; reasons: string[] } {
  const failing: string[] = [];
  const unknown: string[] = [];
  if (check.status === "fail") failing.push(`the copy-route check fails on the live state: ${checkWords(check.failures)}`);
  if (check.status === "unknown") unknown.push(`the copy-route check cannot decide: ${check.failures.map((f) => f.message).join("; ") || "something it needs could not be read"}`);
  const lastEnded = jobs.find((j) => isFinalJobState(j.state));
  if (lastEnded && lastEnded.state !== "COMPLETED") failing.push(`the last ${jobWords(lastEnded)}`);
  if (!readings.jobs.ok) unknown.push(readings.jobs.reason);
  if (!readings.recoveryPoint.ok) unknown.push(readings.recoveryPoint.reason);
  if (canary?.result === "timed-out") unknown.push(`the canary copy job${canary.job ? ` ${canary.job.id}` : ""} had not ended when the wait was over (last state ${canary.job?.state ?? "unknown"})`);
  if (canary?.result === "error") unknown.push(`the canary could not run: ${canary.message ?? "unknown error"}`);
  if (failing.length > 0) return { health: "failing", reasons: [...failing, ...unknown] };
  if (unknown.length > 0) return { health: "unknown", reasons: unknown };
  return { health: "healthy", reasons: [] };
}

/** The canary's job among the jobs read (it may not be listed yet: AWS's lists are eventually consistent). */
function withCanaryJob(jobs: CopyJobFact[], canary: CanaryOutcome | undefined): CopyJobFact[] {
  const job = canary?.job;
  if (!job) return jobs;
  return [job, ...jobs.filter((j) => j.id !== job.id)].sort(byNewest);
}

export interface StatusInput {
  stack: string;
  toolVersion: string;
  now: Date;
  verdicts: readonly LiveVerdict[];
  targets: readonly HealthTarget[];
  /** By target id. */
  readings: ReadonlyMap<string, RouteReadings>;
  /** By target id; absent without --canary. */
  canaries?: ReadonlyMap<string, CanaryOutcome>;
  notApplied: number;
  unreadable: Plan["unreadable"];
}

const NOT_READ: RouteReadings = {
  jobs: { ok: false, reason: "the copy jobs were not read" },
  recoveryPoint: { ok: false, reason: "the destination vault was not read" },
};

export function assembleStatus(input: StatusInput): StatusReport {
  const routes = input.verdicts.map((check, i): RouteHealth => {
    const v = check.verdict;
    const target = input.targets[i]!;
    const readings = input.readings.get(target.id) ?? NOT_READ;
    const canary = input.canaries?.get(target.id);
    const all = withCanaryJob(readings.jobs.ok ? [...readings.jobs.value].sort(byNewest) : [], canary);
    const { health, reasons } = judge(check, all, readings, canary);
    const out: RouteHealth = {
      id: v.id,
      ...(v.address ? { address: v.address } : {}),
      source: v.source,
      destination: v.destination,
      destinationVaultArn: target.destinationArn,
      health,
      reasons,
      check: { status: check.status, failures: check.failures, warnings: check.warnings },
      jobs: all.slice(0, JOBS_SHOWN),
      jobsRead: all.length,
    };
    if (!readings.jobs.ok) out.jobsError = readings.jobs.reason;
    const lastFailed = all.find((j) => isFinalJobState(j.state) && j.state !== "COMPLETED");
    if (lastFailed) out.lastFailedJob = lastFailed;
    if (readings.recoveryPoint.ok) out.newestRecoveryPoint = readings.recoveryPoint.value;
    else out.recoveryPointError = readings.recoveryPoint.reason;
    if (canary) out.canary = canary;
    return out;
  });
  const count = (h: Health): number => routes.filter((r) => r.health === h).length;
  return {
    format_version: STATUS_FORMAT_VERSION,
    tool_version: input.toolVersion,
    created_at: input.now.toISOString(),
    stack: input.stack,
    canary: input.canaries !== undefined,
    routes,
    summary: { healthy: count("healthy"), failing: count("failing"), unknown: count("unknown") },
    notApplied: input.notApplied,
    unreadable: input.unreadable,
  };
}

/** Exit code of `crossvault status`: 2 when a route is failing, 1 when one could not be judged, else 0. */
export const STATUS_EXIT = { healthy: 0, unknown: 1, failing: 2 } as const;

export function statusExitCode(report: StatusReport): 0 | 1 | 2 {
  if (report.summary.failing > 0) return STATUS_EXIT.failing;
  if (report.summary.unknown > 0) return STATUS_EXIT.unknown;
  return STATUS_EXIT.healthy;
}
