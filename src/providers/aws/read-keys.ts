// Reading KMS keys and the stack's key-share statements in their policies. One ListAliases and one ListKeys per
// account-region; in detail only candidates: keys behind an alias the config names, keys behind this stack's
// marker alias, keys the config names by ARN, and keys with no alias at all (a key whose create was cut short
// before its aliases: tags tell whether it is ours). Foreign keys behind other aliases are never read.
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";
import type { AliasListEntry, KeyMetadata, KMSClient } from "@aws-sdk/client-kms";
import { asAttributes } from "../../model/attributes.js";
import { identityOf } from "../../model/identity.js";
import { ADDRESS_TAG, APPLIED_HASH_TAG, STACK_TAG } from "../../model/ownership.js";
import { normalizePolicyDocument } from "../../model/policy-normal.js";
import type { LiveResource, Ownership } from "../../model/resource.js";
import { errorName, isAccessDenied, isNotFound } from "./aws-errors.js";
import { isAnyMarkerAlias, isMarkerAlias } from "./marks.js";
import { ownedStatements, parsePolicy, shareDestination } from "./policy-merge.js";
import type { RawStatement } from "./policy-merge.js";
import { allPages, direct, type Caller, type LaneRead } from "./read-context.js";
import { keyAttributes, kmsTagRecord } from "./shapes.js";

export const AWS_BACKUP_ALIAS = "alias/aws/backup";

export interface KeysRead {
  /** The ARN of the AWS managed key for Backup, when KMS listed its alias. */
  awsBackupKeyArn?: string;
  /** Every key id KMS listed in the account-region. */
  keyIds: Set<string>;
}

export function keyArnOf(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;

interface Candidate {
  keyId: string;
  /** Named by the config (alias or ARN): read even if not ours, so a foreign same-named key is reported. */
  named: boolean;
  /** Named by ARN: an existing key crossvault shares but does not own. */
  byArn?: string;
}

export async function listAliases(kms: KMSClient, call: Caller = direct): Promise<AliasListEntry[]> {
  return allPages(
    (marker) => call(() => kms.send(new ListAliasesCommand({ Marker: marker, Limit: 100 }))),
    (p) => p.Aliases,
    (p) => (p.Truncated ? p.NextMarker : undefined),
  );
}

export async function listKeyIds(kms: KMSClient, call: Caller = direct): Promise<string[]> {
  const keys = await allPages(
    (marker) => call(() => kms.send(new ListKeysCommand({ Marker: marker, Limit: 1000 }))),
    (p) => p.Keys,
    (p) => (p.Truncated ? p.NextMarker : undefined),
  );
  return keys.map((k) => k.KeyId ?? "").filter((id) => id !== "");
}

export async function keyTags(kms: KMSClient, keyId: string, call: Caller = direct): Promise<Record<string, string>> {
  const tags = await allPages(
    (marker) => call(() => kms.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker, Limit: 50 }))),
    (p) => p.Tags,
    (p) => (p.Truncated ? p.NextMarker : undefined),
  );
  return kmsTagRecord(tags);
}

export async function readKeys(r: LaneRead): Promise<KeysRead> {
  const call: Caller = (fn) => r.call(fn);
  const [aliases, keyIds] = await Promise.all([listAliases(r.kms, call), listKeyIds(r.kms, call)]);
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) if (a.TargetKeyId && a.AliasName) aliasesOf.set(a.TargetKeyId, [...(aliasesOf.get(a.TargetKeyId) ?? []), a.AliasName]);
  const awsBackup = aliases.find((a) => a.AliasName === AWS_BACKUP_ALIAS)?.TargetKeyId;

  const candidates = new Map<string, Candidate>();
  const add = (c: Candidate): void => {
    const seen = candidates.get(c.keyId);
    candidates.set(c.keyId, seen ? { ...seen, named: seen.named || c.named, ...(c.byArn ? { byArn: c.byArn } : {}) } : c);
  };
  for (const name of r.named.aliases) {
    const target = aliases.find((a) => a.AliasName === name)?.TargetKeyId;
    if (target) add({ keyId: target, named: true });
  }
  for (const a of aliases) if (a.TargetKeyId && isMarkerAlias(r.stack, a.AliasName)) add({ keyId: a.TargetKeyId, named: false });
  for (const arn of r.named.keyArns) {
    const m = KEY_ARN.exec(arn);
    if (m && m[1] === r.region && m[2] === r.accountId) add({ keyId: m[3]!, named: true, byArn: arn });
  }
  for (const id of keyIds) if (!aliasesOf.has(id)) add({ keyId: id, named: false });

  await Promise.all([...candidates.values()].map((c) => readKey(r, c, aliasesOf.get(c.keyId) ?? [])));
  return { ...(awsBackup ? { awsBackupKeyArn: keyArnOf(r.region, r.accountId, awsBackup) } : {}), keyIds: new Set(keyIds) };
}

/** The alias a key shows as its own: the one the config names, else any that is not a marker. */
function userAlias(r: LaneRead, aliases: readonly string[]): string | undefined {
  const users = aliases.filter((a) => !isAnyMarkerAlias(a)).sort();
  return users.find((a) => r.named.aliases.has(a)) ?? users[0];
}

async function rotationOf(r: LaneRead, keyId: string, meta: KeyMetadata): Promise<boolean> {
  if (meta.KeySpec !== undefined && meta.KeySpec !== "SYMMETRIC_DEFAULT") return false;
  try {
    const out = await r.call(() => r.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));
    return out.KeyRotationEnabled === true;
  } catch (e) {
    // Keys that cannot rotate, and keys pending deletion, have rotation off.
    if (errorName(e) === "UnsupportedOperationException" || errorName(e) === "KMSInvalidStateException") return false;
    throw e;
  }
}

/**
 * The key's policy. A foreign key the config names by alias may keep us out of its policy: it is reported
 * as foreign all the same. The policy of a key of ours, or of a key whose shares the config manages, must
 * be readable.
 */
async function keyPolicyText(r: LaneRead, keyId: string, required: boolean): Promise<string | undefined> {
  try {
    return (await r.call(() => r.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" })))).Policy;
  } catch (e) {
    if (!required && isAccessDenied(e)) return undefined;
    throw e;
  }
}

async function readKey(r: LaneRead, c: Candidate, aliases: string[]): Promise<void> {
  let tags: Record<string, string>;
  try {
    tags = await keyTags(r.kms, c.keyId, (fn) => r.call(fn));
  } catch (e) {
    if (isNotFound(e)) return;
    // A key whose policy keeps us out: not ours; only a key the config names must be readable.
    if (isAccessDenied(e) && !c.named) return;
    throw e;
  }
  const ours = tags[STACK_TAG] === r.stack;
  if (!ours && !c.named) return;
  const described = await r.call(() => r.kms.send(new DescribeKeyCommand({ KeyId: c.keyId })));
  const meta: KeyMetadata = described.KeyMetadata ?? { KeyId: c.keyId };
  const arn = meta.Arn ?? keyArnOf(r.region, r.accountId, c.keyId);
  const alias = userAlias(r, aliases);
  // A key of ours already scheduled for deletion, with its aliases gone, was deleted by an earlier apply.
  if (ours && meta.KeyState === "PendingDeletion" && alias === undefined && !c.named) return;
  const customer = meta.KeyManager !== "AWS";
  const rotation = customer ? await rotationOf(r, c.keyId, meta) : false;
  const policyText = customer ? await keyPolicyText(r, c.keyId, ours || c.byArn !== undefined) : undefined;

  const keyPrint = r.fingerprint({
    state: meta.KeyState, description: meta.Description, manager: meta.KeyManager, deletion: meta.DeletionDate?.toISOString(), tags, aliases: [...aliases].sort(), rotation,
  });
  const normal = policyText === undefined ? undefined : normalizePolicyDocument(policyText);
  const policyPrint = r.fingerprint(normal === undefined ? undefined : "error" in normal ? { text: policyText } : normal.statements);

  const facts = { ...(meta.KeyState ? { keyState: meta.KeyState } : {}), ...(meta.DeletionDate ? { deletionDate: meta.DeletionDate.toISOString() } : {}) };
  const ownAddress = ours ? tags[ADDRESS_TAG] : undefined;
  const identity = alias !== undefined ? identityOf("kms_key", { accountId: r.accountId, region: r.region, name: alias }) : `kms_key:${r.lane}/${c.keyId}`;
  // Keys named by ARN are only referenced (derive makes no kms_key for them): only their shares are reported.
  if (!c.byArn || ours) {
    const ownership: Ownership = ours ? "ours" : "foreign";
    r.resources.push({
      address: ownAddress ?? r.desiredAddress(identity) ?? `kms_key.${alias ?? c.keyId}`,
      type: "kms_key", accountId: r.accountId, region: r.region, identity, id: c.keyId,
      attributes: asAttributes(keyAttributes({ alias: alias ?? "", description: meta.Description ?? "", rotation, tags, arn })),
      ownership,
      ...(ours && tags[APPLIED_HASH_TAG] ? { appliedHash: tags[APPLIED_HASH_TAG] } : {}),
      fingerprint: keyPrint,
      facts,
    });
  }
  if (policyText === undefined) return;

  // Shares: the stack's statements, grouped by destination account.
  const policy = parsePolicy(policyText, `the policy of KMS key ${arn}`);
  const destinations = new Set<string>();
  for (const s of policy.statements) {
    const d = shareDestination(r.stack, s);
    if (d) destinations.add(d);
  }
  const keyName = ownAddress?.startsWith("kms_key.") ? ownAddress.slice("kms_key.".length) : undefined;
  // The key part of a share's identity, as derive writes it: ACCOUNT/REGION/ALIAS for keys crossvault creates.
  const identityKey = c.byArn && !ours ? c.byArn : `${r.lane}/${alias ?? r.index.byAddress.get(ownAddress ?? "")?.attributes.alias ?? c.keyId}`;
  for (const destination of [...destinations].sort()) {
    const owns = (s: RawStatement): boolean => shareDestination(r.stack, s) === destination;
    const shareIdentity = identityOf("key_share", { accountId: r.accountId, region: r.region, key: identityKey, destination });
    const fallback = keyName !== undefined ? `key_share.${keyName}->${destination}` : `key_share[${JSON.stringify(c.byArn ?? arn)}]->${destination}`;
    r.resources.push({
      address: r.desiredAddress(shareIdentity) ?? fallback,
      type: "key_share", accountId: r.accountId, region: r.region, identity: shareIdentity, id: c.keyId,
      attributes: asAttributes({ key_arn: arn, destination_account: destination, statements: ownedStatements(policy, owns, `key ${arn}`) }),
      ownership: "ours",
      fingerprint: policyPrint,
    });
  }
}
