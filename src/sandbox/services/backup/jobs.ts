// Backup and copy jobs as the backup service exposes them: the job and recovery-point operations, the clock
// tick that moves jobs CREATED -> RUNNING -> COMPLETED/FAILED, and "run due backup plans now".
import type { OperationHandler, SandboxSettings } from "../../service.js";
import type { World } from "../../world.js";
import { backupJobOperations, finishBackupJob } from "./jobs-backup.js";
import { copyJobOperations, finishCopyJob } from "./copy-jobs.js";
import { recoveryPointOperations } from "./recovery-points.js";
import { endsAt, isFinal, runningAt } from "./jobs-records.js";
import { startPlannedCopies } from "./backup-plans-run.js";

export { runDuePlans, type PlanRunSummary } from "./backup-plans-run.js";
export { evaluateCopyJob, type CopyVerdict, type CopyRule } from "./copy-rules.js";

export const jobOperations: Record<string, OperationHandler> = {
  ...backupJobOperations,
  ...copyJobOperations,
  ...recoveryPointOperations,
};

// A plan's backup that ends inside a clock jump starts copies that may end inside the same jump; a few passes
// settle such chains (backup -> copy) without looping forever on a pathological world.
const MAX_PASSES = 8;

/** Moves every due job along at sandbox time `now`; each job ends at its own due time, not at `now`. */
export function tickJobs(world: World, now: number, settings: SandboxSettings): void {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false;
    for (const [accountId, account] of Object.entries(world.accounts)) {
      for (const r of Object.values(account.regions)) {
        for (const job of Object.values(r.backup.jobs)) {
          if (isFinal(job)) continue;
          if (job.state === "CREATED" && now >= runningAt(job, settings)) {
            job.state = "RUNNING";
            changed = true;
          }
          if (now < endsAt(job, settings)) continue;
          changed = true;
          if (job.kind === "copy") {
            finishCopyJob(world, job, settings);
            continue;
          }
          const rp = finishBackupJob(world, accountId, job, settings);
          if (rp) startPlannedCopies(world, accountId, job, rp, endsAt(job, settings));
        }
      }
    }
    if (!changed) return;
  }
}
