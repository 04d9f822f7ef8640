// Backup vault access policies: Put/Get/DeleteBackupVaultAccessPolicy (BEHAVIOUR.md §2.5–2.7). The policy is
// kept as the text the caller sent. At Put time AWS refuses a policy that grants another account (or anyone,
// `"*"`) any action other than `backup:CopyIntoBackupVault` [S4], with a 403 AccessDenied and the message below.
import type { OperationHandler } from "../../service.js";
import { models } from "../../protocol/model.js";
import { accessDenied, invalidParameter, missingParameter, notFound } from "./errors.js";
import { findVault } from "./region.js";

const CROSS_ACCOUNT_REFUSAL =
  "The specified policy cannot be added to the vault due to cross-account sharing restrictions. Amend the policy or the vault's settings, then retry request";
const COPY_INTO = "backup:copyintobackupvault";
/** Permission-only Backup actions (no API operation of their own) that a vault policy may name. */
const PERMISSION_ONLY_ACTIONS = ["CopyIntoBackupVault", "CopyFromBackupVault", "StartRestoreJob", "GetRecoveryPointRestoreMetadata"];

let backupActions: string[] | undefined;
function knownBackupActions(): string[] {
  backupActions ??= [...new Set([...Object.keys(models.backup.operations), ...PERMISSION_ONLY_ACTIONS])].map((a) => `backup:${a}`.toLowerCase());
  return backupActions;
}

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(action);
}

/** Whether an Action entry can grant anything besides CopyIntoBackupVault. */
function grantsMoreThanCopyInto(pattern: string): boolean {
  const p = pattern.toLowerCase();
  if (p === COPY_INTO) return false;
  if (!p.startsWith("backup:")) return true;
  if (!/[*?]/.test(p)) return true;
  return knownBackupActions().some((a) => a !== COPY_INTO && matches(p, a));
}

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Whether a statement's principal reaches beyond the vault's own account. */
function reachesOtherAccounts(principal: unknown, ownerAccountId: string): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
    if (kind !== "AWS") {
      if (kind === "Federated" || kind === "CanonicalUser") return true;
      continue; // Service principals act for the owner's account.
    }
    for (const p of strings(value)) {
      if (p === "*") return true;
      const account = /^\d{12}$/.test(p) ? p : /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(p)?.[1];
      if (account !== ownerAccountId) return true;
    }
  }
  return false;
}

function parsePolicy(text: string): Array<Record<string, unknown>> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalidParameter(`The policy is not valid JSON: ${(e as Error).message}`, { Context: "Policy" });
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw invalidParameter("The policy must be a JSON object.", { Context: "Policy" });
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  if (statements.length === 0) throw invalidParameter("The policy has no Statement.", { Context: "Policy" });
  for (const s of statements) {
    if (typeof s !== "object" || s === null || Array.isArray(s)) throw invalidParameter("Each policy statement must be a JSON object.", { Context: "Policy" });
    const effect = (s as Record<string, unknown>).Effect;
    if (effect !== "Allow" && effect !== "Deny") throw invalidParameter(`A policy statement has Effect ${JSON.stringify(effect)}; it must be Allow or Deny.`, { Context: "Policy" });
  }
  return statements as Array<Record<string, unknown>>;
}

/** Throws the AWS refusal if an Allow statement grants other accounts anything but CopyIntoBackupVault. */
export function checkVaultPolicy(text: string, ownerAccountId: string): void {
  for (const s of parsePolicy(text)) {
    if (s.Effect !== "Allow") continue;
    const crossAccount = s.NotPrincipal !== undefined || reachesOtherAccounts(s.Principal, ownerAccountId);
    if (!crossAccount) continue;
    const broad = s.NotAction !== undefined || strings(s.Action).some(grantsMoreThanCopyInto);
    if (broad) throw accessDenied(CROSS_ACCOUNT_REFUSAL);
  }
}

const putBackupVaultAccessPolicy: OperationHandler = (ctx, input) => {
  const vault = findVault(ctx, input.BackupVaultName);
  if (input.Policy === undefined || input.Policy === null || input.Policy === "") throw missingParameter("Policy");
  if (typeof input.Policy !== "string") throw invalidParameter("Policy must be a JSON document in a string.", { Context: "Policy" });
  checkVaultPolicy(input.Policy, ctx.caller.accountId);
  vault.policy = input.Policy;
};

const getBackupVaultAccessPolicy: OperationHandler = (ctx, input) => {
  const vault = findVault(ctx, input.BackupVaultName);
  if (vault.policy === undefined) throw notFound(`Backup vault ${vault.name} has no access policy.`, vault.name);
  return { BackupVaultName: vault.name, BackupVaultArn: vault.arn, Policy: vault.policy };
};

const deleteBackupVaultAccessPolicy: OperationHandler = (ctx, input) => {
  // Deleting a policy that is not there succeeds, as AWS's idempotent trait suggests [I].
  delete findVault(ctx, input.BackupVaultName).policy;
};

export const vaultPolicyOperations: Record<string, OperationHandler> = {
  PutBackupVaultAccessPolicy: putBackupVaultAccessPolicy,
  GetBackupVaultAccessPolicy: getBackupVaultAccessPolicy,
  DeleteBackupVaultAccessPolicy: deleteBackupVaultAccessPolicy,
};
