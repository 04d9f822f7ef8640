// Which KMS key a new backup vault is encrypted with: the account-region's AWS-managed `aws/backup` key by
// default, or the key the caller names, which must be a usable key of the vault's Region. AWS lets a vault use
// a customer managed key of another account (through the API, not the console), but never another account's
// AWS-managed key: those cannot be shared (BEHAVIOUR.md §4.0).
import type { OperationContext } from "../../service.js";
import type { KmsKey, KmsRegionState } from "../kms/state.js";
import { awsManagedKeyId, keyArn } from "../kms/state.js";
import { regionState } from "../../world.js";
import { invalidParameter } from "./errors.js";

const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

export function defaultVaultKeyArn(ctx: OperationContext): string {
  const kms = regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).kms;
  const alias = kms.aliases["alias/aws/backup"];
  const key = alias ? kms.keys[alias.targetKeyId] : undefined;
  return key?.arn ?? keyArn(ctx.caller.accountId, ctx.region, awsManagedKeyId(ctx.caller.accountId, ctx.region, "aws/backup"));
}

/** The key ARN the vault will report (an alias ARN resolves to its key, as DescribeBackupVault shows key ARNs). */
export function resolveVaultKey(ctx: OperationContext, given: unknown): string {
  if (given === undefined || given === null || given === "") return defaultVaultKeyArn(ctx);
  const m = typeof given === "string" ? KMS_ARN.exec(given) : null;
  if (!m) throw invalidParameter(`EncryptionKeyArn ${String(given)} is not a valid KMS key ARN.`, { Context: "EncryptionKeyArn" });
  const [, region, accountId, kind, id] = m as unknown as [string, string, string, string, string];
  if (region !== ctx.region) {
    throw invalidParameter(`EncryptionKeyArn ${given} is in ${region}; a backup vault in ${ctx.region} needs a key of its own Region.`, { Context: "EncryptionKeyArn" });
  }
  // Another account's state is only read, never created: a key there exists only if someone made it.
  const kms: KmsRegionState | undefined =
    accountId === ctx.caller.accountId ? regionState(ctx.world, accountId, region, ctx.now).kms : ctx.world.accounts[accountId]?.regions[region]?.kms;
  const key = kms ? lookUp(kms, kind, id) : undefined;
  if (!key) throw invalidParameter(`KMS key ${given} does not exist or is not accessible.`, { Context: "EncryptionKeyArn" });
  if (key.keyState !== "Enabled") {
    throw invalidParameter(`KMS key ${key.arn} is ${key.keyState === "Disabled" ? "disabled" : "pending deletion"}; a backup vault needs an enabled key.`, { Context: "EncryptionKeyArn" });
  }
  if (key.keyManager === "AWS" && accountId !== ctx.caller.accountId) {
    throw invalidParameter(`KMS key ${key.arn} is an AWS managed key of another account; AWS managed keys cannot be shared.`, { Context: "EncryptionKeyArn" });
  }
  return key.arn;
}

function lookUp(kms: KmsRegionState, kind: string, id: string): KmsKey | undefined {
  if (kind === "key") return kms.keys[id];
  const alias = kms.aliases[`alias/${id}`];
  return alias ? kms.keys[alias.targetKeyId] : undefined;
}
