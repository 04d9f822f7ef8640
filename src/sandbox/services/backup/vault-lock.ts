// Backup Vault Lock: PutBackupVaultLockConfiguration, DeleteBackupVaultLockConfiguration and how a lock shows
// in DescribeBackupVault. Without ChangeableForDays a lock is in governance mode and stays changeable; with it
// (at least 3 days, AWS's 72-hour cooling-off) the lock becomes compliance mode, immutable from its LockDate on.
import type { OperationHandler } from "../../service.js";
import type { VaultLock } from "./state.js";
import { invalidParameter, invalidRequest } from "./errors.js";
import { findVault } from "./region.js";

const DAY_MS = 86_400_000;
const MAX_RETENTION_DAYS = 36_500;
const MIN_CHANGEABLE_DAYS = 3;

/** True once a compliance-mode lock has reached its LockDate: then neither the lock nor the vault may change. */
export function lockIsImmutable(lock: VaultLock | undefined, now: number): boolean {
  return lock?.lockDate !== undefined && lock.lockDate <= now;
}

export function lockView(lock: VaultLock | undefined): Record<string, unknown> {
  if (!lock) return { Locked: false };
  return {
    Locked: true,
    ...(lock.minRetentionDays !== undefined ? { MinRetentionDays: lock.minRetentionDays } : {}),
    ...(lock.maxRetentionDays !== undefined ? { MaxRetentionDays: lock.maxRetentionDays } : {}),
    ...(lock.lockDate !== undefined ? { LockDate: new Date(lock.lockDate) } : {}),
  };
}

function days(value: unknown, member: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${member} must be a whole number of days from ${min} to ${max}; got ${String(value)}.`, { Context: member });
  }
  return value;
}

const putBackupVaultLockConfiguration: OperationHandler = (ctx, input) => {
  const vault = findVault(ctx, input.BackupVaultName);
  if (lockIsImmutable(vault.lock, ctx.now)) {
    throw invalidRequest(`Vault Lock on ${vault.name} is immutable since ${new Date(vault.lock!.lockDate!).toISOString()} and cannot be changed.`, { Context: vault.name });
  }
  const minRetentionDays = days(input.MinRetentionDays, "MinRetentionDays", 1, MAX_RETENTION_DAYS);
  const maxRetentionDays = days(input.MaxRetentionDays, "MaxRetentionDays", 1, MAX_RETENTION_DAYS);
  const changeableForDays = days(input.ChangeableForDays, "ChangeableForDays", MIN_CHANGEABLE_DAYS, MAX_RETENTION_DAYS);
  if (minRetentionDays !== undefined && maxRetentionDays !== undefined && minRetentionDays > maxRetentionDays) {
    throw invalidParameter(`MinRetentionDays (${minRetentionDays}) cannot be greater than MaxRetentionDays (${maxRetentionDays}).`, { Context: "MinRetentionDays" });
  }
  vault.lock = {
    ...(minRetentionDays !== undefined ? { minRetentionDays } : {}),
    ...(maxRetentionDays !== undefined ? { maxRetentionDays } : {}),
    ...(changeableForDays !== undefined ? { changeableForDays, lockDate: ctx.now + changeableForDays * DAY_MS } : {}),
  };
};

const deleteBackupVaultLockConfiguration: OperationHandler = (ctx, input) => {
  const vault = findVault(ctx, input.BackupVaultName);
  if (lockIsImmutable(vault.lock, ctx.now)) {
    throw invalidRequest(`Vault Lock on ${vault.name} is in compliance mode and immutable since ${new Date(vault.lock!.lockDate!).toISOString()}; it cannot be deleted.`, { Context: vault.name });
  }
  delete vault.lock;
};

export const vaultLockOperations: Record<string, OperationHandler> = {
  PutBackupVaultLockConfiguration: putBackupVaultLockConfiguration,
  DeleteBackupVaultLockConfiguration: deleteBackupVaultLockConfiguration,
};
