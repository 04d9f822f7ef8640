// Recovery points as jobs create them and as ListRecoveryPointsByBackupVault / DescribeRecoveryPoint show
// them: lifecycle arithmetic (CalculatedLifecycle, the cold-storage transition), the model output shape, and
// the lifecycle rule every job request is held to [C5].
import type { OperationHandler } from "../../service.js";
import type { RecoveryPoint, Vault } from "./state.js";
import { ServiceError } from "../../service.js";
import { paginate } from "../../paging.js";
import { regionState } from "../../world.js";
import { supportsColdStorage } from "./recovery-points-resources.js";

const DAY_MS = 86_400_000;

export type Lifecycle = RecoveryPoint["lifecycle"];

/** Only the lifecycle members Backup stores; absent numbers stay absent (0 is not the same as "never"). */
export function normaliseLifecycle(input: unknown): Lifecycle {
  const out: Lifecycle = {};
  if (input && typeof input === "object") {
    const l = input as Record<string, unknown>;
    if (typeof l.MoveToColdStorageAfterDays === "number") out.MoveToColdStorageAfterDays = l.MoveToColdStorageAfterDays;
    if (typeof l.DeleteAfterDays === "number") out.DeleteAfterDays = l.DeleteAfterDays;
  }
  return out;
}

/** [C5]: a point moved to cold storage stays there at least 90 days. */
export function checkLifecycle(lifecycle: Lifecycle, what = "Lifecycle"): void {
  const { MoveToColdStorageAfterDays: cold, DeleteAfterDays: del } = lifecycle;
  for (const [name, v] of [["MoveToColdStorageAfterDays", cold], ["DeleteAfterDays", del]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < (name === "DeleteAfterDays" ? 1 : 0))) {
      throw new ServiceError("InvalidParameterValueException", `Invalid ${what}. ${name} must be a positive number of days, got ${v}`);
    }
  }
  if (cold !== undefined && del !== undefined && del < cold + 90) {
    throw new ServiceError("InvalidParameterValueException", `Invalid ${what}. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays`);
  }
}

/** Vault Lock: a job whose retention falls outside the vault's min/max retention fails. */
export function retentionRefusal(vault: Vault, lifecycle: Lifecycle): string | undefined {
  const lock = vault.lock;
  if (!lock) return undefined;
  const days = lifecycle.DeleteAfterDays;
  if (lock.minRetentionDays !== undefined && (days === undefined || days < lock.minRetentionDays)) {
    return `The retention period (DeleteAfterDays ${days ?? "never"}) is outside the range allowed by the Vault Lock of backup vault ${vault.name} (MinRetentionDays ${lock.minRetentionDays})`;
  }
  if (lock.maxRetentionDays !== undefined && (days === undefined || days > lock.maxRetentionDays)) {
    return `The retention period (DeleteAfterDays ${days ?? "never"}) is outside the range allowed by the Vault Lock of backup vault ${vault.name} (MaxRetentionDays ${lock.maxRetentionDays})`;
  }
  return undefined;
}

export function calculatedLifecycle(rp: RecoveryPoint): { MoveToColdStorageAt?: Date; DeleteAt?: Date } {
  const out: { MoveToColdStorageAt?: Date; DeleteAt?: Date } = {};
  const { MoveToColdStorageAfterDays: cold, DeleteAfterDays: del } = rp.lifecycle;
  if (cold !== undefined && supportsColdStorage(rp.resourceType)) out.MoveToColdStorageAt = new Date(rp.createdAt + cold * DAY_MS);
  if (del !== undefined) out.DeleteAt = new Date(rp.createdAt + del * DAY_MS);
  return out;
}

/**
 * The storage class as of `now`. The transition to cold is computed rather than scheduled, so that advancing
 * the sandbox clock by days moves points to cold storage without a sweep over every vault.
 */
export function storageClassAt(rp: RecoveryPoint, now: number): RecoveryPoint["storageClass"] {
  if (rp.storageClass !== "WARM") return rp.storageClass;
  const at = calculatedLifecycle(rp).MoveToColdStorageAt;
  return at && now >= at.getTime() ? "COLD" : "WARM";
}

export function recoveryPointOutput(rp: RecoveryPoint, vault: Vault): Record<string, unknown> {
  const out: Record<string, unknown> = {
    RecoveryPointArn: rp.arn,
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    ResourceArn: rp.resourceArn,
    ResourceType: rp.resourceType,
    ResourceName: resourceName(rp.resourceArn),
    IamRoleArn: rp.iamRoleArn,
    Status: rp.status,
    CreationDate: new Date(rp.createdAt),
    CalculatedLifecycle: calculatedLifecycle(rp),
    Lifecycle: { ...rp.lifecycle },
    EncryptionKeyArn: rp.encryptionKeyArn,
    IsEncrypted: true,
    IsParent: false,
    VaultType: "BACKUP_VAULT",
  };
  if (rp.completedAt !== undefined) out.CompletionDate = new Date(rp.completedAt);
  if (rp.sourceBackupVaultArn) out.SourceBackupVaultArn = rp.sourceBackupVaultArn;
  if (rp.createdBy) out.CreatedBy = { ...rp.createdBy };
  return out;
}

function resourceName(arn: string): string {
  const tail = arn.split(":").slice(5).join(":");
  return tail.slice(Math.max(tail.lastIndexOf("/"), tail.lastIndexOf(":")) + 1);
}

export function vaultNotFound(name: string, accountId: string, region: string): ServiceError {
  return new ServiceError("ResourceNotFoundException", `Backup vault ${name} does not exist in account ${accountId} in ${region}`, 400, { Context: name });
}

/** The vault a request names, in the caller's account-region (`BackupVaultAccountId` may only name the caller). */
function callerVault(ctx: Parameters<OperationHandler>[0], input: Record<string, any>): Vault {
  const name = String(input.BackupVaultName);
  const account = input.BackupVaultAccountId ?? ctx.caller.accountId;
  const vault = account === ctx.caller.accountId ? regionState(ctx.world, account, ctx.region, ctx.now).backup.vaults[name] : undefined;
  if (!vault) throw vaultNotFound(name, account, ctx.region);
  return vault;
}

const listRecoveryPointsByBackupVault: OperationHandler = (ctx, input) => {
  const vault = callerVault(ctx, input);
  const after = input.ByCreatedAfter instanceof Date ? input.ByCreatedAfter.getTime() : undefined;
  const before = input.ByCreatedBefore instanceof Date ? input.ByCreatedBefore.getTime() : undefined;
  const points = Object.values(vault.recoveryPoints).filter((rp) =>
    (input.ByResourceArn === undefined || rp.resourceArn === input.ByResourceArn) &&
    (input.ByResourceType === undefined || rp.resourceType === input.ByResourceType) &&
    (input.ByBackupPlanId === undefined || rp.createdBy?.BackupPlanId === input.ByBackupPlanId) &&
    // The sandbox creates no composite points, so a parent filter matches nothing.
    input.ByParentRecoveryPointArn === undefined &&
    (after === undefined || rp.createdAt >= after) &&
    (before === undefined || rp.createdAt <= before));
  const page = paginate(points, input.NextToken, input.MaxResults, 1000);
  return { RecoveryPoints: page.items.map((rp) => recoveryPointOutput(rp, vault)), NextToken: page.nextToken };
};

const describeRecoveryPoint: OperationHandler = (ctx, input) => {
  const vault = callerVault(ctx, input);
  const rp = vault.recoveryPoints[String(input.RecoveryPointArn)];
  if (!rp) {
    throw new ServiceError("ResourceNotFoundException", `Recovery point ${input.RecoveryPointArn} does not exist in backup vault ${vault.name}`, 400, { Context: String(input.RecoveryPointArn) });
  }
  return { ...recoveryPointOutput(rp, vault), StorageClass: storageClassAt(rp, ctx.now) };
};

export const recoveryPointOperations: Record<string, OperationHandler> = {
  ListRecoveryPointsByBackupVault: listRecoveryPointsByBackupVault,
  DescribeRecoveryPoint: describeRecoveryPoint,
};
