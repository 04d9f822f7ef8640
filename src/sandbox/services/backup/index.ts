// The backup service: the resource operations (vaults, their policies and locks, plans, selections, global
// settings, tags) and the job operations of jobs.ts (backup and copy jobs, recovery points), plus its tick.
import type { OperationHandler, ServiceImpl } from "../../service.js";
import { globalSettingsOperations } from "./global-settings.js";
import { jobOperations, tickJobs } from "./jobs.js";
import { planOperations } from "./plans.js";
import { selectionOperations } from "./selections.js";
import { tagOperations } from "./tags.js";
import { vaultLockOperations } from "./vault-lock.js";
import { vaultPolicyOperations } from "./vault-policy.js";
import { vaultOperations } from "./vaults.js";

const resourceOperations: Record<string, OperationHandler> = {
  ...vaultOperations,
  ...vaultPolicyOperations,
  ...vaultLockOperations,
  ...planOperations,
  ...selectionOperations,
  ...globalSettingsOperations,
  ...tagOperations,
};

export const backupService: ServiceImpl = { service: "backup", operations: { ...resourceOperations, ...jobOperations }, tick: tickJobs };
