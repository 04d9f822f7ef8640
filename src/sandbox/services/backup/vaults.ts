// Backup vaults: CreateBackupVault, DescribeBackupVault, ListBackupVaults, DeleteBackupVault
// (BEHAVIOUR.md §2.1–2.4). Vaults live in the caller's own account-region.
import type { OperationHandler } from "../../service.js";
import type { Vault } from "./state.js";
import { paginate } from "../../paging.js";
import { vaultArn } from "./state.js";
import { BackupErrorCode, alreadyExists, invalidParameter, invalidRequest, limitExceeded, notFound } from "./errors.js";
import { backupRegion, findVault } from "./region.js";
import { byCodePoint, checkCreatorRequestId, checkTags, checkVaultName } from "./identifiers.js";
import { lockIsImmutable, lockView } from "./vault-lock.js";
import { resolveVaultKey } from "./vault-key.js";

/** AWS's default quota of backup vaults per account and Region. */
export const MAX_VAULTS_PER_REGION = 100;

/** The members DescribeBackupVault and each ListBackupVaults entry share. */
export function vaultView(vault: Vault): Record<string, unknown> {
  return {
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    VaultType: "BACKUP_VAULT",
    VaultState: "AVAILABLE",
    EncryptionKeyArn: vault.encryptionKeyArn,
    CreationDate: new Date(vault.createdAt),
    ...(vault.creatorRequestId !== undefined ? { CreatorRequestId: vault.creatorRequestId } : {}),
    NumberOfRecoveryPoints: Object.keys(vault.recoveryPoints).length,
    ...lockView(vault.lock),
  };
}

const createBackupVault: OperationHandler = (ctx, input) => {
  const name = checkVaultName(input.BackupVaultName);
  const creatorRequestId = checkCreatorRequestId(input.CreatorRequestId);
  const region = backupRegion(ctx);
  const existing = region.vaults[name];
  if (existing) {
    // A retry of the request that created it (same CreatorRequestId) answers as the first call did [I].
    if (creatorRequestId !== undefined && existing.creatorRequestId === creatorRequestId) {
      return { BackupVaultName: existing.name, BackupVaultArn: existing.arn, CreationDate: new Date(existing.createdAt) };
    }
    throw alreadyExists(`A Backup vault with the name ${name} already exists`, {
      Arn: existing.arn,
      Context: name,
      ...(existing.creatorRequestId !== undefined ? { CreatorRequestId: existing.creatorRequestId } : {}),
    });
  }
  if (Object.keys(region.vaults).length >= MAX_VAULTS_PER_REGION) {
    throw limitExceeded(`Account ${ctx.caller.accountId} already has ${MAX_VAULTS_PER_REGION} backup vaults in ${ctx.region}, the quota.`);
  }
  const tags = checkTags(input.BackupVaultTags, "BackupVaultTags");
  const encryptionKeyArn = resolveVaultKey(ctx, input.EncryptionKeyArn);
  const vault: Vault = {
    name,
    arn: vaultArn(ctx.caller.accountId, ctx.region, name),
    encryptionKeyArn,
    ...(creatorRequestId !== undefined ? { creatorRequestId } : {}),
    createdAt: ctx.now,
    tags,
    recoveryPoints: {},
  };
  region.vaults[name] = vault;
  return { BackupVaultName: vault.name, BackupVaultArn: vault.arn, CreationDate: new Date(vault.createdAt) };
};

const describeBackupVault: OperationHandler = (ctx, input) => {
  const owner = input.BackupVaultAccountId;
  if (owner !== undefined && owner !== null && owner !== "") {
    if (typeof owner !== "string" || !/^\d{12}$/.test(owner)) throw invalidParameter(`BackupVaultAccountId ${String(owner)} is not a 12-digit account id.`);
    // Only vaults shared with the caller (logically air-gapped ones, which the sandbox does not model) are
    // visible across accounts; an ordinary vault of another account is not found from here.
    if (owner !== ctx.caller.accountId) {
      throw notFound(`Backup vault ${String(input.BackupVaultName)} of account ${owner} is not shared with account ${ctx.caller.accountId}.`, String(input.BackupVaultName));
    }
  }
  return vaultView(findVault(ctx, input.BackupVaultName));
};

const listBackupVaults: OperationHandler = (ctx, input) => {
  const all = Object.values(backupRegion(ctx).vaults)
    // Shared and logically air-gapped vaults do not exist in the sandbox, so those filters match nothing.
    .filter(() => input.ByShared !== true && (input.ByVaultType === undefined || input.ByVaultType === "BACKUP_VAULT"))
    .sort((a, b) => byCodePoint(a.name, b.name));
  const page = paginate(all, input.NextToken, input.MaxResults, 1000);
  return { BackupVaultList: page.items.map(vaultView), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};

const deleteBackupVault: OperationHandler = (ctx, input) => {
  const vault = findVault(ctx, input.BackupVaultName);
  const region = backupRegion(ctx);
  // Recovery points still DELETING count as present: AWS refuses until they are gone (§2.4).
  if (Object.keys(vault.recoveryPoints).length > 0) {
    throw invalidRequest("Backup vault cannot be deleted because it contains recovery points.", { Code: BackupErrorCode.invalidRequest, Context: vault.name });
  }
  if (lockIsImmutable(vault.lock, ctx.now)) {
    throw invalidRequest(`Backup vault ${vault.name} is locked in compliance mode since ${new Date(vault.lock!.lockDate!).toISOString()}; the vault and its lock are immutable.`, { Context: vault.name });
  }
  // AWS lets the API delete the Default vault only while another vault exists in the Region.
  if (vault.name === "Default" && Object.keys(region.vaults).length === 1) {
    throw invalidRequest("The Default backup vault can be deleted only when another backup vault exists in the Region.", { Context: vault.name });
  }
  delete region.vaults[vault.name];
};

export const vaultOperations: Record<string, OperationHandler> = {
  CreateBackupVault: createBackupVault,
  DescribeBackupVault: describeBackupVault,
  ListBackupVaults: listBackupVaults,
  DeleteBackupVault: deleteBackupVault,
};
