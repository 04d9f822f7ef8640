// What `crossvault status` reads of each copy route: the copy jobs over it (ListCopyJobs in the source account and
// Region, filtered by AWS to the destination vault ARN, then here to the source vault, which no filter of the API
// names) and the newest copy in the destination vault (ListRecoveryPointsByBackupVault in the destination account,
// kept to the points whose SourceBackupVaultArn is the route's source vault: the API has no filter by source).
// Lists shared by several routes are read once. A read that fails is recorded for the routes that need it (they
// are `unknown`), never fatal for the others.
import {
  ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand,
  type BackupClient, type CopyJob, type RecoveryPointByBackupVault,
} from "@aws-sdk/client-backup";
import type { CopyJobFact, HealthTarget, RecoveryPointFact, RouteReadings } from "../../check/health.js";
import { parseVaultArn, readable, unreadable, type Readable } from "../../check/routes/index.js";
import { describeError, isAccessDenied } from "./aws-errors.js";
import { DEFAULT_LIMITS, RequestLimiter, type LimiterOptions } from "./limiter.js";

/** What the reads need of the ClientPool (tests give a fake). */
export interface HealthClients {
  backup(accountId: string, region: string): BackupClient;
  describeAccess(accountId: string): string;
}

export interface HealthReadOptions {
  limits?: LimiterOptions;
  /** Most pages of one list (1,000 items each): a bound on what one busy vault costs. */
  maxPages?: number;
}

const PAGE_SIZE = 1000;
const DEFAULT_MAX_PAGES = 5;

const iso = (d: Date | undefined): string | undefined => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

export function copyJobFact(j: CopyJob): CopyJobFact {
  const out: CopyJobFact = { id: j.CopyJobId ?? "", state: j.State ?? "UNKNOWN" };
  const createdAt = iso(j.CreationDate);
  const completedAt = iso(j.CompletionDate);
  if (createdAt) out.createdAt = createdAt;
  if (completedAt) out.completedAt = completedAt;
  if (j.StatusMessage) out.statusMessage = j.StatusMessage;
  if (j.MessageCategory) out.messageCategory = j.MessageCategory;
  if (j.SourceRecoveryPointArn) out.sourceRecoveryPointArn = j.SourceRecoveryPointArn;
  if (j.DestinationRecoveryPointArn) out.destinationRecoveryPointArn = j.DestinationRecoveryPointArn;
  if (j.ResourceArn) out.resourceArn = j.ResourceArn;
  if (j.ResourceType) out.resourceType = j.ResourceType;
  return out;
}

export function recoveryPointFact(p: RecoveryPointByBackupVault): RecoveryPointFact {
  const out: RecoveryPointFact = { arn: p.RecoveryPointArn ?? "" };
  const createdAt = iso(p.CreationDate);
  const completedAt = iso(p.CompletionDate);
  if (createdAt) out.createdAt = createdAt;
  if (completedAt) out.completedAt = completedAt;
  if (p.Status) out.status = p.Status;
  if (p.ResourceArn) out.resourceArn = p.ResourceArn;
  if (p.ResourceType) out.resourceType = p.ResourceType;
  return out;
}

/** Whether a vault ARN AWS returned names this vault (compared by parts: the partition may differ). */
export function isVault(arn: string | undefined, vault: { accountId: string; region: string; vault: string }): boolean {
  const v = arn ? parseVaultArn(arn) : undefined;
  return v !== undefined && v.accountId === vault.accountId && v.region === vault.region && v.vault === vault.vault;
}

const time = (d: Date | undefined): number => (d instanceof Date ? d.getTime() : 0);

/** The newest by CreationDate (the data's age), then by CompletionDate (the latest copy of it). */
export function newestPoint(points: readonly RecoveryPointByBackupVault[]): RecoveryPointByBackupVault | undefined {
  let best: RecoveryPointByBackupVault | undefined;
  for (const p of points) {
    if (!best || time(p.CreationDate) > time(best.CreationDate) || (time(p.CreationDate) === time(best.CreationDate) && time(p.CompletionDate) > time(best.CompletionDate))) best = p;
  }
  return best;
}

/** Pages through a list until it ends or `maxPages` were read. */
async function allPages<T>(maxPages: number, page: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const got = await page(token);
    out.push(...got.items);
    token = got.next;
    if (!token) break;
  }
  return out;
}

function why(e: unknown): string {
  return isAccessDenied(e) ? `${describeError(e)} (the role needs backup:ListCopyJobs and backup:ListRecoveryPointsByBackupVault)` : describeError(e);
}

/** The recovery points of a vault, newest page bound: for the destination's copies and for a canary's source. */
export async function listVaultPoints(clients: HealthClients, limiter: RequestLimiter, vault: { accountId: string; region: string; vault: string }, maxPages = DEFAULT_MAX_PAGES): Promise<RecoveryPointByBackupVault[]> {
  const backup = clients.backup(vault.accountId, vault.region);
  return allPages(maxPages, async (token) => {
    const out = await limiter.run(`${vault.accountId}/${vault.region}`, () => backup.send(new ListRecoveryPointsByBackupVaultCommand({
      BackupVaultName: vault.vault, MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}),
    })));
    return { items: out.RecoveryPoints ?? [], next: out.NextToken };
  });
}

/** Reads every target's copy jobs and newest destination copy; by target id. */
export async function readRouteHealth(clients: HealthClients, targets: readonly HealthTarget[], opts: HealthReadOptions = {}): Promise<Map<string, RouteReadings>> {
  const limiter = new RequestLimiter(opts.limits ?? DEFAULT_LIMITS);
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const jobLists = new Map<string, Promise<Readable<CopyJob[]>>>();
  const pointLists = new Map<string, Promise<Readable<RecoveryPointByBackupVault[]>>>();

  const copyJobs = (t: HealthTarget): Promise<Readable<CopyJob[]>> => {
    const { accountId, region } = t.source;
    const key = `${accountId}/${region}/${t.destinationArn}`;
    let p = jobLists.get(key);
    if (!p) {
      const backup = clients.backup(accountId, region);
      p = allPages(maxPages, async (token) => {
        const out = await limiter.run(`${accountId}/${region}`, () => backup.send(new ListCopyJobsCommand({
          ByDestinationVaultArn: t.destinationArn, MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}),
        })));
        return { items: out.CopyJobs ?? [], next: out.NextToken };
      }).then(readable, (e: unknown) => unreadable<CopyJob[]>(`cannot list the copy jobs of account ${accountId} in ${region} through ${clients.describeAccess(accountId)}: ${why(e)}`));
      jobLists.set(key, p);
    }
    return p;
  };

  const destinationPoints = (d: NonNullable<HealthTarget["destination"]>): Promise<Readable<RecoveryPointByBackupVault[]>> => {
    const key = `${d.accountId}/${d.region}/${d.vault}`;
    let p = pointLists.get(key);
    if (!p) {
      p = listVaultPoints(clients, limiter, d, maxPages).then(readable, (e: unknown) =>
        unreadable<RecoveryPointByBackupVault[]>(`cannot list the recovery points of vault ${d.vault} of account ${d.accountId} in ${d.region} through ${clients.describeAccess(d.accountId)}: ${why(e)}`));
      pointLists.set(key, p);
    }
    return p;
  };

  const entries = await Promise.all(targets.map(async (t): Promise<[string, RouteReadings]> => {
    const [jobs, points] = await Promise.all([
      copyJobs(t),
      t.destination ? destinationPoints(t.destination) : Promise.resolve(unreadable<RecoveryPointByBackupVault[]>(`the destination ${t.destinationArn} is not a backup vault ARN`)),
    ]);
    const mine: Readable<CopyJobFact[]> = jobs.ok ? readable(jobs.value.filter((j) => isVault(j.SourceBackupVaultArn, t.source)).map(copyJobFact)) : jobs;
    let recoveryPoint: Readable<RecoveryPointFact | null>;
    if (points.ok) {
      const newest = newestPoint(points.value.filter((p) => isVault(p.SourceBackupVaultArn, t.source)));
      recoveryPoint = readable(newest ? recoveryPointFact(newest) : null);
    } else {
      recoveryPoint = points;
    }
    return [t.id, { jobs: mine, recoveryPoint }];
  }));
  return new Map(entries);
}
