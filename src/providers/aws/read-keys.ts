// Reading KMS keys and the stack's key-share statements in their policies. One ListAliases per account-region,
// and one ListKeys where the config creates a key; in detail only candidates: keys behind an alias the config names, keys behind this stack's
// marker alias, keys the config names by ARN, keys behind this stack's share alias (existing keys whose policy
// got statements of the stack: only their policy is read), and keys with no alias at all (a key whose create
// was cut short before its aliases: tags tell whether it is ours; looked for only where the config creates a
// key, so such a key is not found once its block is deleted). Foreign keys behind other aliases are never read.
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
import { ADDRESS_TAG, APPLIED_HASH_TAG, attributesHash, isOurSid, STACK_TAG } from "../../model/ownership.js";
import { normalizePolicyDocument } from "../../model/policy-normal.js";
import type { LiveResource, Ownership } from "../../model/resource.js";
import { describeError, errorName, isAccessDenied, isNotFound } from "./aws-errors.js";
import { isAnyMarkerAlias, isMarkerAlias, parseShareAlias } from "./marks.js";
import { ownedStatements, parsePolicy, shareDestination } from "./policy-merge.js";
import type { RawStatement } from "./policy-merge.js";
import { allPages, direct, type Caller, type LaneRead } from "./read-context.js";
import { keyAttributes, kmsTagRecord } from "./shapes.js";

export const AWS_BACKUP_ALIAS = "alias/aws/backup";

export interface KeysRead {
  /** The ARN of the AWS managed key for Backup, when KMS listed its alias. */
  awsBackupKeyArn?: string;
  /** Every key id KMS listed in the account-region (by alias; with ListKeys where it was called). */
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
  /** Behind the stack's marker alias, or without any alias: its tags tell whether it is ours. */
  byTags?: boolean;
  /** This stack's share aliases on it: its policy holds (or held) statements of the stack. */
  shares?: AliasListEntry[];
}

/** The aliases of the account-region, or only those of one key. */
export async function listAliases(kms: KMSClient, call: Caller = direct, keyId?: string): Promise<AliasListEntry[]> {
  return allPages(
    (marker) => call(() => kms.send(new ListAliasesCommand({ Marker: marker, Limit: 100, ...(keyId !== undefined ? { KeyId: keyId } : {}) }))),
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
  // ListKeys only finds a key whose create was cut short before its aliases (tags tell whether it is ours):
  // only where the config creates a key can such a key be waiting. Elsewhere the aliases are all there is.
  const listKeys = r.named.aliases.size > 0;
  const [aliases, keyIds] = await Promise.all([r.lists?.aliases ?? listAliases(r.kms, call), listKeys ? listKeyIds(r.kms, call) : Promise.resolve([])]);
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) if (a.TargetKeyId && a.AliasName) aliasesOf.set(a.TargetKeyId, [...(aliasesOf.get(a.TargetKeyId) ?? []), a.AliasName]);
  const awsBackup = aliases.find((a) => a.AliasName === AWS_BACKUP_ALIAS)?.TargetKeyId;

  const candidates = new Map<string, Candidate>();
  const add = (c: Candidate): void => {
    const seen = candidates.get(c.keyId);
    if (!seen) return void candidates.set(c.keyId, c);
    candidates.set(c.keyId, {
      ...seen, named: seen.named || c.named,
      ...(c.byArn ? { byArn: c.byArn } : {}),
      ...(seen.byTags || c.byTags ? { byTags: true } : {}),
      ...(seen.shares || c.shares ? { shares: [...(seen.shares ?? []), ...(c.shares ?? [])] } : {}),
    });
  };
  for (const name of r.named.aliases) {
    const target = aliases.find((a) => a.AliasName === name)?.TargetKeyId;
    if (target) add({ keyId: target, named: true });
  }
  for (const a of aliases) if (a.TargetKeyId && isMarkerAlias(r.stack, a.AliasName)) add({ keyId: a.TargetKeyId, named: false, byTags: true });
  for (const a of aliases) if (a.TargetKeyId && parseShareAlias(r.stack, a.AliasName)) add({ keyId: a.TargetKeyId, named: false, shares: [a] });
  for (const arn of r.named.keyArns) {
    const m = KEY_ARN.exec(arn);
    if (m && m[1] === r.region && m[2] === r.accountId) add({ keyId: m[3]!, named: true, byArn: arn });
  }
  for (const id of keyIds) if (!aliasesOf.has(id)) add({ keyId: id, named: false, byTags: true });

  await Promise.all([...candidates.values()].map((c) => readKey(r, c, aliasesOf.get(c.keyId) ?? [])));
  // AWS managed keys are always enabled and their policy is AWS's: the alias says all the route check needs.
  if (awsBackup) {
    const arn = keyArnOf(r.region, r.accountId, awsBackup);
    r.facts.keys[arn] ??= { arn, manager: "AWS", state: "Enabled" };
  }
  return { ...(awsBackup ? { awsBackupKeyArn: keyArnOf(r.region, r.accountId, awsBackup) } : {}), keyIds: new Set([...keyIds, ...aliasesOf.keys()]) };
}

/**
 * The alias a key shows as its own, which is the alias an apply may later delete (a renamed alias, a deleted
 * key): the one the config names; else, on a key of the stack, the one it was applied with (with it, the live
 * attributes hash to the applied hash); else the key's only alias. Others may add aliases to a key (a team's
 * own name for it); an alias that cannot be told to be the stack's is never shown as its own, so no apply
 * deletes it.
 */
function userAlias(r: LaneRead, aliases: readonly string[], appliedWith?: (alias: string) => boolean): string | undefined {
  const users = aliases.filter((a) => !isAnyMarkerAlias(a)).sort();
  const named = users.find((a) => r.named.aliases.has(a));
  if (named !== undefined) return named;
  const applied = appliedWith ? users.find(appliedWith) : undefined;
  if (applied !== undefined) return applied;
  return users.length === 1 ? users[0] : undefined;
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
  if (!c.named && !c.byTags) return readSharedKey(r, c);
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
  if (!ours && !c.named) return c.shares ? readSharedKey(r, c) : undefined;
  const described = await r.call(() => r.kms.send(new DescribeKeyCommand({ KeyId: c.keyId })));
  const meta: KeyMetadata = described.KeyMetadata ?? { KeyId: c.keyId };
  const arn = meta.Arn ?? keyArnOf(r.region, r.accountId, c.keyId);
  // A key of ours already scheduled for deletion, with its aliases gone, was deleted by an earlier apply.
  if (ours && meta.KeyState === "PendingDeletion" && !aliases.some((a) => !isAnyMarkerAlias(a)) && !c.named) return;
  const customer = meta.KeyManager !== "AWS";
  const rotation = customer ? await rotationOf(r, c.keyId, meta) : false;
  const live = (a: string) => asAttributes(keyAttributes({ alias: a, description: meta.Description ?? "", rotation, tags, arn }));
  const appliedHash = ours ? tags[APPLIED_HASH_TAG] : undefined;
  const alias = userAlias(r, aliases, appliedHash ? (a) => attributesHash(live(a)) === appliedHash : undefined);
  const policyText = customer ? await keyPolicyText(r, c.keyId, ours || c.byArn !== undefined) : undefined;
  // A customer key whose policy could not be read is left to the route check's own read, which reports it.
  if (!customer || policyText !== undefined) {
    r.facts.keys[arn] = { arn, manager: customer ? "CUSTOMER" : "AWS", state: meta.KeyState ?? "Enabled", ...(policyText !== undefined ? { policy: policyText } : {}) };
  }

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
      attributes: live(alias ?? ""),
      ownership,
      ...(ours && tags[APPLIED_HASH_TAG] ? { appliedHash: tags[APPLIED_HASH_TAG] } : {}),
      ...(!ours && tags[STACK_TAG] ? { otherStack: tags[STACK_TAG] } : {}),
      fingerprint: keyPrint,
      facts,
    });
  }
  if (policyText === undefined) return;

  const keyName = ownAddress?.startsWith("kms_key.") ? ownAddress.slice("kms_key.".length) : undefined;
  reportShares(r, {
    keyId: c.keyId, arn, text: policyText, print: policyPrint, shares: c.shares ?? [],
    // The key part of a share's identity, as derive writes it: ACCOUNT/REGION/ALIAS for keys crossvault creates,
    // the ARN for the others.
    identityKey: ours ? `${r.lane}/${alias ?? r.index.byAddress.get(ownAddress ?? "")?.attributes.alias ?? c.keyId}` : c.byArn ?? (c.shares ? arn : `${r.lane}/${alias ?? c.keyId}`),
    addressName: keyName ?? nameOfShares(r.stack, c),
  });
}

/** A key only this stack's share alias points at: its policy is all there is to read (no tags, no metadata). */
async function readSharedKey(r: LaneRead, c: Candidate): Promise<void> {
  const shares = c.shares ?? [];
  const arn = keyArnBeside(shares[0]?.AliasArn, c.keyId) ?? keyArnOf(r.region, r.accountId, c.keyId);
  let text: string | undefined;
  try {
    text = (await r.call(() => r.kms.send(new GetKeyPolicyCommand({ KeyId: c.keyId, PolicyName: "default" })))).Policy;
  } catch (e) {
    // A deleted key takes its aliases and its policy with it: nothing of the stack is left there.
    if (isNotFound(e)) return;
    if (isAccessDenied(e)) {
      throw new Error(`cannot read the policy of KMS key ${arn}, which alias ${shares[0]?.AliasName ?? ""} marks as holding statements of stack ${r.stack} (${describeError(e)}); let crossvault read and change that key's policy, or delete the alias if the stack's statements are gone`);
    }
    throw e;
  }
  const normal = text === undefined ? undefined : normalizePolicyDocument(text);
  const print = r.fingerprint(normal === undefined ? undefined : "error" in normal ? { text } : normal.statements);
  reportShares(r, { keyId: c.keyId, arn, text, print, shares, identityKey: arn, addressName: nameOfShares(r.stack, c) });
}

/** The key's ARN in the partition of one of its aliases (`arn:aws-cn:kms:...:alias/...`). */
function keyArnBeside(aliasArn: string | undefined, keyId: string): string | undefined {
  const m = /^(arn:[^:]+:kms:[^:]*:\d{12}:)alias\//.exec(aliasArn ?? "");
  return m ? `${m[1]}key/${keyId}` : undefined;
}

/**
 * How an address names a key the config does not: the kms_key name its newest share alias kept, else the key id
 * (`key_share.staging->ACCOUNT`, `key_share["1234abcd-..."]->ACCOUNT`).
 */
function nameOfShares(stack: string, c: Candidate): string {
  const byName = (a: AliasListEntry, b: AliasListEntry): number => ((a.AliasName ?? "") < (b.AliasName ?? "") ? -1 : (a.AliasName ?? "") > (b.AliasName ?? "") ? 1 : 0);
  // Two share aliases on one key: an apply stopped while moving the alias to the key's new name.
  const newest = [...(c.shares ?? [])].sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0) || byName(a, b));
  for (const a of newest) {
    const name = parseShareAlias(stack, a.AliasName)?.shareName;
    if (name !== undefined) return name;
  }
  return `[${JSON.stringify(c.keyId)}]`;
}

interface KeyPolicyRead {
  keyId: string;
  arn: string;
  text: string | undefined;
  /** Fingerprint of the policy as read. */
  print: string;
  /** This stack's share aliases on the key. */
  shares: AliasListEntry[];
  /** The key part of its shares' identities. */
  identityKey: string;
  /** The key part of a share address no desired share names: `central`, `workload["prod"]` or `["<key id>"]`. */
  addressName: string;
}

/**
 * The stack's statements in one key's policy, grouped by destination account; and the share alias alone, when
 * the policy holds none of the stack's statements and no share of the key is desired: what an apply stopped
 * between the alias and the first statement, or between the last statement and the alias, leaves behind.
 */
function reportShares(r: LaneRead, k: KeyPolicyRead): void {
  const policy = parsePolicy(k.text, `the policy of KMS key ${k.arn}`);
  const destinations = new Set<string>();
  for (const s of policy.statements) {
    const d = shareDestination(r.stack, s);
    if (d) destinations.add(d);
  }
  const name = `key_share${k.addressName.startsWith("[") ? "" : "."}${k.addressName}`;
  const base = { type: "key_share" as const, accountId: r.accountId, region: r.region, id: k.keyId, ownership: "ours" as const };
  for (const destination of [...destinations].sort()) {
    const owns = (s: RawStatement): boolean => shareDestination(r.stack, s) === destination;
    const identity = identityOf("key_share", { accountId: r.accountId, region: r.region, key: k.identityKey, destination });
    r.resources.push({
      ...base, address: r.desiredAddress(identity) ?? `${name}->${destination}`, identity,
      attributes: asAttributes({ key_arn: k.arn, destination_account: destination, statements: ownedStatements(policy, owns, `key ${k.arn}`) }),
      fingerprint: k.print,
    });
  }
  if (k.shares.length === 0 || policy.statements.some((s) => isOurSid(r.stack, s.Sid)) || r.named.sharedKeys.has(k.identityKey)) return;
  const aliases = k.shares.map((a) => a.AliasName ?? "").sort();
  r.resources.push({
    ...base, address: name, identity: identityOf("key_share", { accountId: r.accountId, region: r.region, key: k.identityKey }),
    attributes: asAttributes({ key_arn: k.arn, aliases, statements: [] }),
    fingerprint: r.fingerprint({ policy: k.print, aliases }),
  });
}
