// Writing vaults and their locks. A vault is created with its tags (ownership included) and a deterministic
// CreatorRequestId, so a retried create returns the same vault; only tags change in place (a new name or key
// is a replacement, decided by diff). A vault still holding recovery points is never deleted.
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultLockConfigurationCommand,
  PutBackupVaultLockConfigurationCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-backup";
import { AWS_MANAGED_BACKUP_KEY } from "../../model/attributes.js";
import { STACK_TAG } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import { errorField, errorMessage, errorName, isNotFound } from "./aws-errors.js";
import { creatorRequestId } from "./marks.js";
import { keyNotYetUsable } from "./propagation.js";
import { listBackupTags } from "./read-vaults.js";
import { ApplyError, record, str } from "./write-context.js";
import type { ApplyResult, Write } from "./write-context.js";

export function vaultArnOf(w: Write, name: string): string {
  return `arn:aws:backup:${w.change.region}:${w.change.accountId}:backup-vault:${name}`;
}

/** Sets a Backup resource's tags to the user's plus ours, removing user tags no longer wanted. */
export async function syncBackupTags(w: Write, arn: string, before: Record<string, string>, wanted: Record<string, string>): Promise<void> {
  const removed = Object.keys(before).filter((k) => !(k in wanted));
  if (removed.length > 0) await w.backup.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: removed }));
  await w.backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: wanted }));
}

export async function createVault(w: Write, after: Attributes): Promise<ApplyResult> {
  const name = str(after.name);
  const arn = str(after.arn) || vaultArnOf(w, name);
  const applied: Attributes = { ...after, arn };
  const key = str(after.encryption_key_arn);
  const token = creatorRequestId(w.stack, w.address);
  try {
    await w.wait(
      () =>
        w.backup.send(new CreateBackupVaultCommand({
          BackupVaultName: name,
          // The AWS managed key is AWS's default: named by omission.
          ...(key && key !== AWS_MANAGED_BACKUP_KEY ? { EncryptionKeyArn: key } : {}),
          BackupVaultTags: { ...record(after.tags), ...w.ownershipTags(applied) },
          CreatorRequestId: token,
        })),
      keyNotYetUsable,
    );
  } catch (e) {
    if (errorName(e) !== "AlreadyExistsException") throw e;
    // Our own earlier attempt (same token, or tagged with this stack) is the vault we wanted.
    if (errorField(e, "CreatorRequestId") !== token) {
      const tags = await listBackupTags(w.backup, arn);
      if (tags[STACK_TAG] !== w.stack) {
        throw new ApplyError(w.address, `a vault named ${name} already exists in ${w.where} and is not managed by stack ${w.stack}; adopt it or rename the vault`);
      }
      await syncBackupTags(w, arn, tags, { ...record(after.tags), ...w.ownershipTags(applied) });
    }
  }
  return { id: arn, attributes: applied };
}

/** In place only the tags change; ownership tags are rewritten with the new applied hash. */
export async function updateVault(w: Write, before: Attributes, after: Attributes, id: string | undefined): Promise<ApplyResult> {
  const name = str(after.name);
  if (str(before.name) !== name || str(before.encryption_key_arn) !== str(after.encryption_key_arn)) {
    throw new ApplyError(w.address, "a vault's name or key cannot change in place; plan again to replace it");
  }
  const arn = id || str(before.arn) || vaultArnOf(w, name);
  const applied: Attributes = { ...after, arn };
  await syncBackupTags(w, arn, record(before.tags), { ...record(after.tags), ...w.ownershipTags(applied) });
  return { id: arn, attributes: applied };
}

/**
 * Deletes a vault of the stack, found again by its tags first: the plan may be minutes old (a question asked, a
 * review), and a vault deleted and made again under the name meanwhile is someone else's.
 */
export async function deleteVault(w: Write, before: Attributes): Promise<void> {
  const name = str(before.name);
  let tags: Record<string, string>;
  try {
    tags = await listBackupTags(w.backup, str(before.arn) || vaultArnOf(w, name));
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  if (tags[STACK_TAG] !== w.stack) {
    throw new ApplyError(w.address, `vault ${name} in ${w.where} is no longer tagged with stack ${w.stack}; it is left as it is (run plan again)`);
  }
  try {
    await w.backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name }));
  } catch (e) {
    if (isNotFound(e)) return;
    if (errorName(e) === "InvalidRequestException" && /recovery points/i.test(errorMessage(e))) {
      throw new ApplyError(w.address, `vault ${name} in ${w.where} still holds recovery points and is not deleted; crossvault never deletes recovery points (delete or move them first, or keep the vault)`);
    }
    throw e;
  }
}

export async function putVaultLock(w: Write, after: Attributes): Promise<ApplyResult> {
  const days = (k: string): number | undefined => (typeof after[k] === "number" ? (after[k] as number) : undefined);
  const min = days("min_retention_days");
  const max = days("max_retention_days");
  const changeable = days("changeable_for_days");
  await w.backup.send(new PutBackupVaultLockConfigurationCommand({
    BackupVaultName: str(after.vault_name),
    ...(min !== undefined ? { MinRetentionDays: min } : {}),
    ...(max !== undefined ? { MaxRetentionDays: max } : {}),
    ...(changeable !== undefined ? { ChangeableForDays: changeable } : {}),
  }));
  return { id: vaultArnOf(w, str(after.vault_name)), attributes: after };
}

export async function deleteVaultLock(w: Write, before: Attributes): Promise<void> {
  try {
    await w.backup.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: str(before.vault_name) }));
  } catch (e) {
    if (isNotFound(e)) return;
    if (errorName(e) === "InvalidRequestException") throw new ApplyError(w.address, `${errorMessage(e)} (a compliance-mode lock cannot be removed once its cooling-off period is over)`);
    throw e;
  }
}
