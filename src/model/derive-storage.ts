// Deriving where recovery points are kept: the KMS keys crossvault creates, the vaults and their locks.
// Vault access policies and key shares come from copy routes (derive-routes.ts).
import type { CreatedKmsKey, VaultDecl } from "../config/model.js";
import { asAttributes, AWS_MANAGED_BACKUP_KEY, type KmsKeyAttributes, type VaultAttributes, type VaultLockAttributes } from "./attributes.js";
import { accountIdOf, pending, resource, vaultChildAddress, vaultKey, type DeriveContext } from "./derive-context.js";
import { identityOf } from "./identity.js";
import type { DesiredResource } from "./resource.js";

/** kms_key per created key; existing keys (by ARN) are only referenced, never derived as kms_key. */
export function deriveKmsKey(ctx: DeriveContext, key: CreatedKmsKey): DesiredResource | undefined {
  const accountId = accountIdOf(ctx, key.account, key);
  if (accountId === undefined) return undefined;
  const attributes: KmsKeyAttributes = {
    alias: key.alias,
    description: key.description ?? "",
    enable_key_rotation: key.enableKeyRotation,
    tags: { ...key.tags },
    deletion_window_days: key.deletionWindowDays,
    arn: pending(key.address, "arn"),
  };
  return resource({
    address: key.address, type: "kms_key", accountId, region: key.region, decl: key,
    identity: identityOf("kms_key", { accountId, region: key.region, name: key.alias }),
    attributes: asAttributes(attributes),
    // KMS never reports the deletion window of a live key: it is only sent when the key is deleted.
    writeOnly: ["deletion_window_days"],
  });
}

/**
 * vault per declared vault, and vault_lock when it has a lock block. A vault without kms_key is encrypted with
 * the AWS managed key, written AWS_MANAGED_BACKUP_KEY on both sides of the diff.
 */
export function deriveVault(ctx: DeriveContext, vault: VaultDecl): DesiredResource[] {
  const accountId = accountIdOf(ctx, vault.account, vault);
  if (accountId === undefined) return [];
  const key = vault.kmsKey === undefined ? undefined : vaultKey(ctx, vault);
  // A key that is declared but does not resolve was reported; deriving the vault without it would plan a
  // replacement onto the AWS managed key.
  if (vault.kmsKey !== undefined && !key) return [];
  const attributes: VaultAttributes = {
    name: vault.vaultName,
    encryption_key_arn: key ? key.arn : AWS_MANAGED_BACKUP_KEY,
    tags: { ...vault.tags },
    arn: vault.arn,
  };
  const out: DesiredResource[] = [
    resource({
      address: vault.address, type: "vault", accountId, region: vault.region, decl: vault, preventDestroy: vault.preventDestroy,
      identity: identityOf("vault", { accountId, region: vault.region, name: vault.vaultName }),
      attributes: asAttributes(attributes),
      dependsOn: key?.mode === "created" && key.address ? [key.address] : [],
    }),
  ];
  if (vault.lock) {
    const lock = vault.lock;
    const lockAttributes: VaultLockAttributes = {
      vault_name: vault.vaultName,
      ...(lock.minRetentionDays !== undefined ? { min_retention_days: lock.minRetentionDays } : {}),
      ...(lock.maxRetentionDays !== undefined ? { max_retention_days: lock.maxRetentionDays } : {}),
      ...(lock.changeableForDays !== undefined ? { changeable_for_days: lock.changeableForDays } : {}),
    };
    out.push(resource({
      address: vaultChildAddress(vault, "vault_lock"), type: "vault_lock", accountId, region: vault.region, decl: lock,
      // Removing the lock of a vault that must not be destroyed would undo the protection the user asked for.
      preventDestroy: vault.preventDestroy,
      identity: identityOf("vault_lock", { accountId, region: vault.region, name: vault.vaultName }),
      attributes: asAttributes(lockAttributes),
      dependsOn: [vault.address],
      // AWS answers with a LockDate, never with the number of days it was given.
      writeOnly: ["changeable_for_days"],
    }));
  }
  return out;
}
