// "Run due backup plans now" (the control API): every active plan of every account-region backs up what its
// selections select, one backup job per rule and resource; when such a job completes, the rule's copy actions
// start as copy jobs [S6].
//
// The sandbox does not model the protected resources, so a selection selects:
// - each concrete ARN in its `Resources` (no `*`), minus its `NotResources`, when the ARN is a resource type
//   Backup protects in the plan's own account and Region;
// - otherwise (wildcard patterns, or only tag conditions) one synthetic resource per selection, stable across
//   runs: of the type the first wildcard pattern names (ec2 -> an EBS volume, rds -> a DB instance,
//   elasticfilesystem -> a file system, dynamodb -> a table, s3 -> a bucket), an EBS volume by default.
import type { SandboxSettings } from "../../service.js";
import type { World } from "../../world.js";
import type { BackupPlanRecord, BackupSelectionRecord, JobRecord, RecoveryPoint } from "./state.js";
import type { BackupJobRun, PlannedCopy } from "./jobs-records.js";
import { createHash } from "node:crypto";
import { ServiceError } from "../../service.js";
import { vaultArn } from "./state.js";
import { normaliseLifecycle } from "./recovery-points.js";
import { classifyResource } from "./recovery-points-resources.js";
import { createBackupJob } from "./jobs-backup.js";
import { createCopyJob } from "./copy-jobs.js";
import { runOf } from "./jobs-records.js";

export interface PlanRunSummary {
  plansRun: number;
  backupJobs: Array<{ accountId: string; region: string; backupJobId: string; backupPlanId: string; resourceArn: string }>;
}

function stableHex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function syntheticResource(selection: BackupSelectionRecord, pattern: string | undefined, accountId: string, region: string): string {
  const h = stableHex(selection.id, 17);
  switch (pattern?.split(":")[2]) {
    case "rds": return `arn:aws:rds:${region}:${accountId}:db:selection-${h.slice(0, 12)}`;
    case "elasticfilesystem": return `arn:aws:elasticfilesystem:${region}:${accountId}:file-system/fs-${h}`;
    case "dynamodb": return `arn:aws:dynamodb:${region}:${accountId}:table/selection-${h.slice(0, 12)}`;
    case "s3": return `arn:aws:s3:::selection-${h.slice(0, 12)}`;
    default: return `arn:aws:ec2:${region}:${accountId}:volume/vol-${h}`;
  }
}

/** The resource ARNs a selection selects in the sandbox (see the module comment). */
export function selectedResources(selection: BackupSelectionRecord, accountId: string, region: string): string[] {
  const s = selection.selection;
  const patterns: string[] = Array.isArray(s.Resources) ? s.Resources.filter((r: unknown): r is string => typeof r === "string") : [];
  const excluded = new Set<string>(Array.isArray(s.NotResources) ? s.NotResources : []);
  const concrete = patterns.filter((p) => !p.includes("*") && !excluded.has(p)).filter((arn) => {
    const r = classifyResource(arn);
    return r !== undefined && (r.arn.accountId === "" || r.arn.accountId === accountId) && (r.arn.region === "" || r.arn.region === region);
  });
  if (concrete.length > 0) return concrete;
  const wildcard = patterns.find((p) => p.includes("*"));
  const byTags = (Array.isArray(s.ListOfTags) && s.ListOfTags.length > 0) ||
    Object.values(s.Conditions ?? {}).some((list) => Array.isArray(list) && list.length > 0);
  return wildcard !== undefined || byTags ? [syntheticResource(selection, wildcard, accountId, region)] : [];
}

function copyActionsOf(rule: Record<string, any>): PlannedCopy[] {
  const actions: unknown[] = Array.isArray(rule.CopyActions) ? rule.CopyActions : [];
  return actions.flatMap((a) => {
    if (!a || typeof a !== "object" || typeof (a as PlannedCopy).DestinationBackupVaultArn !== "string") return [];
    const action = a as { DestinationBackupVaultArn: string; Lifecycle?: unknown };
    return [action.Lifecycle === undefined ? { DestinationBackupVaultArn: action.DestinationBackupVaultArn } : { DestinationBackupVaultArn: action.DestinationBackupVaultArn, Lifecycle: normaliseLifecycle(action.Lifecycle) }];
  });
}

function runPlan(world: World, accountId: string, region: string, plan: BackupPlanRecord, selections: BackupSelectionRecord[], now: number, summary: PlanRunSummary): void {
  const version = plan.versions[plan.versions.length - 1];
  if (!version) return;
  // One role per resource: the first selection that picks it, as AWS backs a resource up once per rule.
  const roleOf = new Map<string, string>();
  for (const selection of selections) {
    for (const arn of selectedResources(selection, accountId, region)) if (!roleOf.has(arn)) roleOf.set(arn, String(selection.selection.IamRoleArn));
  }
  if (roleOf.size === 0) return;
  summary.plansRun += 1;
  plan.lastExecutionAt = now;
  for (const rule of (version.plan.Rules ?? []) as Array<Record<string, any>>) {
    const vaultName = String(rule.TargetBackupVaultName);
    for (const [resourceArn, iamRoleArn] of roleOf) {
      try {
        const job = createBackupJob(world, {
          accountId,
          region,
          // A vault deleted since the plan was written makes the job fail when it ends, as in AWS.
          vault: { name: vaultName, arn: vaultArn(accountId, region, vaultName) },
          resourceArn,
          iamRoleArn,
          lifecycle: normaliseLifecycle(rule.Lifecycle),
          recoveryPointTags: { ...(rule.RecoveryPointTags ?? {}) },
          startWindowMinutes: rule.StartWindowMinutes,
          completeWindowMinutes: rule.CompletionWindowMinutes,
          createdBy: { BackupPlanId: plan.id, BackupPlanArn: plan.arn, BackupPlanVersion: version.versionId, BackupRuleId: String(rule.RuleId) },
          copyActions: copyActionsOf(rule),
          at: now,
        });
        summary.backupJobs.push({ accountId, region, backupJobId: job.id, backupPlanId: plan.id, resourceArn });
      } catch (e) {
        // A selection naming a role or resource the sandbox cannot back up selects nothing, as AWS skips it.
        if (!(e instanceof ServiceError)) throw e;
      }
    }
  }
}

/** Starts a backup job per rule and selected resource for every active plan, and records the plans' last execution. */
export function runDuePlans(world: World, now: number, _settings: SandboxSettings): PlanRunSummary {
  const summary: PlanRunSummary = { plansRun: 0, backupJobs: [] };
  for (const [accountId, account] of Object.entries(world.accounts)) {
    for (const [region, r] of Object.entries(account.regions)) {
      const selections = Object.values(r.backup.selections);
      for (const plan of Object.values(r.backup.plans)) {
        if (plan.deletedAt !== undefined) continue;
        runPlan(world, accountId, region, plan, selections.filter((s) => s.planId === plan.id), now, summary);
      }
    }
  }
  return summary;
}

/** When a plan's backup job completes, its rule's copy actions start, dated when the backup ended. */
export function startPlannedCopies(world: World, accountId: string, job: JobRecord, recoveryPoint: RecoveryPoint, at: number): JobRecord[] {
  const run = runOf<BackupJobRun>(job);
  const sourceVault = world.accounts[accountId]?.regions[run.region]?.backup.vaults[recoveryPoint.vaultName];
  if (!sourceVault || !run.copyActions) return [];
  return run.copyActions.map((action) => createCopyJob(world, {
    accountId,
    region: run.region,
    sourceVault,
    recoveryPoint,
    destinationVaultArn: action.DestinationBackupVaultArn,
    iamRoleArn: String(job.details.IamRoleArn),
    ...(action.Lifecycle ? { lifecycle: action.Lifecycle } : {}),
    ...(job.details.CreatedBy ? { createdBy: { ...job.details.CreatedBy } } : {}),
    at,
  }));
}
