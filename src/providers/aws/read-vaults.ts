// Reading vaults, their locks and the stack's statements in their access policies: one ListBackupVaults per
// account-region, then tags and the access policy only for candidates (vaults the config names and vaults
// whose CreatorRequestId marks this stack). The list entry already carries the key, the lock and the number of
// recovery points, so no DescribeBackupVault is needed.
import { GetBackupVaultAccessPolicyCommand, ListBackupVaultsCommand, ListTagsCommand } from "@aws-sdk/client-backup";
import type { BackupClient, BackupVaultListMember } from "@aws-sdk/client-backup";
import { asAttributes } from "../../model/attributes.js";
import { identityOf, vaultIdentity } from "../../model/identity.js";
import { ADDRESS_TAG, APPLIED_HASH_TAG, STACK_TAG } from "../../model/ownership.js";
import { normalizePolicyDocument } from "../../model/policy-normal.js";
import type { LiveResource, Ownership } from "../../model/resource.js";
import { isAccessDenied, isNotFound } from "./aws-errors.js";
import { isStackToken } from "./marks.js";
import { vaultKey } from "../../check/routes/index.js";
import { ownedStatements, parsePolicy, vaultPolicyOwner } from "./policy-merge.js";
import { allPages, direct, quietly, type Caller, type LaneRead } from "./read-context.js";
import { vaultAttributes, vaultLockAttributes } from "./shapes.js";

/** Tags of a vault or plan. */
export async function listBackupTags(backup: BackupClient, arn: string, call: Caller = direct): Promise<Record<string, string>> {
  const pages = await allPages(
    (token) => call(() => backup.send(new ListTagsCommand({ ResourceArn: arn, NextToken: token }))),
    (p) => [p.Tags ?? {}],
    (p) => p.NextToken,
  );
  return Object.assign({}, ...pages) as Record<string, string>;
}

/**
 * The access policy text, or undefined when the vault has none: AWS answers not found, and has been seen to
 * answer access denied [O]. A writer passes `forWrite`: it must never take a refused read for an empty
 * policy, or it would write over statements it could not see.
 */
export async function getVaultPolicy(backup: BackupClient, name: string, call: Caller = direct, forWrite = false): Promise<string | undefined> {
  try {
    const out = await call(() => backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name })));
    return out.Policy || undefined;
  } catch (e) {
    if (isNotFound(e) || (!forWrite && isAccessDenied(e))) return undefined;
    throw e;
  }
}

/** `vault.central` -> `vault_policy.central`. */
function childAddress(vaultAddress: string, type: "vault_policy" | "vault_lock"): string {
  return vaultAddress.startsWith("vault.") ? `${type}.${vaultAddress.slice("vault.".length)}` : `${type}.${vaultAddress}`;
}

/** Vaults of the account-region that are candidates; their live resources go into `r`. */
/** Every vault of the account-region: one ListBackupVaults call per 1,000. */
export function listVaults(backup: BackupClient, call: Caller): Promise<BackupVaultListMember[]> {
  return allPages((token) => call(() => backup.send(new ListBackupVaultsCommand({ NextToken: token, MaxResults: 1000 }))), (p) => p.BackupVaultList, (p) => p.NextToken);
}

export async function readVaults(r: LaneRead): Promise<BackupVaultListMember[]> {
  const list = await (r.lists?.vaults ?? listVaults(r.backup, (fn) => r.call(fn)));
  const candidates = list.filter((v) => r.named.vaultNames.has(v.BackupVaultName ?? "") || isStackToken(r.stack, v.CreatorRequestId));
  const read = await Promise.all(candidates.map((v) => readVault(r, v)));
  return candidates.filter((_, i) => read[i]);
}

async function readVault(r: LaneRead, v: BackupVaultListMember): Promise<boolean> {
  const name = v.BackupVaultName ?? "";
  const arn = v.BackupVaultArn ?? "";
  const named = r.named.vaultNames.has(name);
  // A vault the config names is read whole whoever owns it: its policy is asked for alongside its tags.
  const policy = named ? quietly(getVaultPolicy(r.backup, name, (fn) => r.call(fn))) : undefined;
  let tags: Record<string, string>;
  try {
    tags = await listBackupTags(r.backup, arn, (fn) => r.call(fn));
  } catch (e) {
    // Deleted between the list and now: absent, as if listed a moment later.
    if (isNotFound(e)) return false;
    throw e;
  }
  const ours = tags[STACK_TAG] === r.stack;
  // A token of this stack on a vault no longer tagged with it (tags removed by hand): not ours to manage.
  if (!ours && !named) return false;
  const ownership: Ownership = ours ? "ours" : "foreign";
  const identity = vaultIdentity(r.accountId, r.region, name);
  const address = (ours ? tags[ADDRESS_TAG] : undefined) ?? r.desiredAddress(identity) ?? `vault.${name}`;
  const lockDate = v.LockDate?.toISOString();
  const vaultPrint = r.fingerprint({
    name, arn, key: v.EncryptionKeyArn, token: v.CreatorRequestId, tags,
    lock: { locked: v.Locked ?? false, min: v.MinRetentionDays, max: v.MaxRetentionDays, lockDate },
  });
  const vault: LiveResource = {
    address, type: "vault", accountId: r.accountId, region: r.region, identity, id: arn,
    attributes: asAttributes(vaultAttributes(v, tags)),
    ownership,
    ...(ours && tags[APPLIED_HASH_TAG] ? { appliedHash: tags[APPLIED_HASH_TAG] } : {}),
    ...(!ours && tags[STACK_TAG] ? { otherStack: tags[STACK_TAG] } : {}),
    fingerprint: vaultPrint,
    facts: { recoveryPoints: v.NumberOfRecoveryPoints ?? 0, ...(lockDate ? { lockDate } : {}) },
  };
  r.resources.push(vault);

  const lock = vaultLockAttributes(v);
  if (lock) {
    const lockIdentity = identityOf("vault_lock", { accountId: r.accountId, region: r.region, name });
    r.resources.push({
      address: r.desiredAddress(lockIdentity) ?? childAddress(address, "vault_lock"),
      type: "vault_lock", accountId: r.accountId, region: r.region, identity: lockIdentity, id: arn,
      attributes: asAttributes(lock), ownership, fingerprint: vaultPrint,
      ...(lockDate ? { facts: { lockDate } } : {}),
    });
  }

  const text = await (policy ?? getVaultPolicy(r.backup, name, (fn) => r.call(fn)));
  r.facts.vaults[vaultKey(r.accountId, r.region, name)] = {
    arn, encryptionKeyArn: v.EncryptionKeyArn ?? "", tags,
    ...(text !== undefined ? { policy: text } : {}),
    ...(v.MinRetentionDays !== undefined ? { minRetentionDays: v.MinRetentionDays } : {}),
    ...(v.MaxRetentionDays !== undefined ? { maxRetentionDays: v.MaxRetentionDays } : {}),
  };
  const normal = text === undefined ? undefined : normalizePolicyDocument(text);
  const policyPrint = r.fingerprint(normal === undefined ? undefined : "error" in normal ? { text } : normal.statements);
  const parsed = parsePolicy(text, `the access policy of vault ${name} (${r.lane})`);
  const statements = ownedStatements(parsed, vaultPolicyOwner(r.stack), `vault ${name}`);
  // Statements others put in the policy of a vault of the stack: they go with the vault if it is ever replaced.
  const others = parsed.statements.length - statements.length;
  if (ours && others > 0) vault.facts = { ...vault.facts, othersStatements: others };
  if (statements.length > 0) {
    const policyIdentity = identityOf("vault_policy", { accountId: r.accountId, region: r.region, name });
    r.resources.push({
      address: r.desiredAddress(policyIdentity) ?? childAddress(address, "vault_policy"),
      type: "vault_policy", accountId: r.accountId, region: r.region, identity: policyIdentity, id: arn,
      attributes: asAttributes({ vault_name: name, statements }),
      // Statements with the stack's Sid prefix are the stack's, whoever owns the vault.
      ownership: "ours",
      fingerprint: policyPrint,
    });
  }
  return true;
}
