// Writing KMS keys. KMS has no idempotency token, so a create first looks for a key of this stack and address
// left by an interrupted earlier run (behind the alias, behind a marker alias, or with no alias at all, found
// by its tags) and finishes that one instead of making a second key. A new key gets its tags at creation,
// then the stack's marker alias, then its alias; deletion is KMS's scheduled deletion with its waiting period.
// Also the share alias of an existing key whose policy holds statements of the stack (marks.ts): on before the
// first statement, off after the last, so that at every moment a statement of the stack can be found.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
} from "@aws-sdk/client-kms";
import type { AliasListEntry } from "@aws-sdk/client-kms";
import { sharesExistingKey } from "../../model/identity.js";
import { ADDRESS_TAG, STACK_TAG, userTags } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import { describeError, errorMessage, errorName, isAccessDenied, isNotFound, isRetryable } from "./aws-errors.js";
import { isAnyMarkerAlias, isMarkerAlias, markerAlias, parseShareAlias, shareAlias } from "./marks.js";
import { keyNotYetUsable, sleep } from "./propagation.js";
import { keyArnOf, keyTags, listAliases, listKeyIds } from "./read-keys.js";
import { kmsTagList } from "./shapes.js";
import { ApplyError, record, str } from "./write-context.js";
import type { ApplyResult, Write } from "./write-context.js";

/** KMS's default waiting period for a scheduled deletion. */
export const DEFAULT_DELETION_WINDOW_DAYS = 30;

/** What a key is now, as far as reconciling it needs. */
interface KeyNow {
  description: string;
  rotation: boolean;
  tags: Record<string, string>;
  aliases: string[];
}

async function rotationNow(w: Write, keyId: string): Promise<boolean> {
  try {
    return (await w.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled === true;
  } catch (e) {
    if (errorName(e) === "UnsupportedOperationException") return false;
    throw e;
  }
}

async function keyNow(w: Write, keyId: string, tags: Record<string, string>, aliases: string[]): Promise<KeyNow | undefined> {
  const meta = (await w.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  if (!meta || meta.KeyState === "PendingDeletion") return undefined;
  return { description: meta.Description ?? "", rotation: await rotationNow(w, keyId), tags, aliases };
}

/** A key this stack created for this address in an earlier, interrupted apply; refuses a foreign alias holder. */
async function findOwnKey(w: Write, alias: string): Promise<{ keyId: string; now: KeyNow } | undefined> {
  const aliases = await listAliases(w.kms);
  const aliasesOf = (keyId: string): string[] => aliases.filter((a) => a.TargetKeyId === keyId).map((a) => a.AliasName ?? "");
  const holder = aliases.find((a) => a.AliasName === alias)?.TargetKeyId;
  if (holder) {
    const tags = await keyTags(w.kms, holder);
    if (tags[STACK_TAG] !== w.stack) {
      throw new ApplyError(w.address, `alias ${alias} already names a KMS key in ${w.where} that is not managed by stack ${w.stack}; adopt it or choose another alias`);
    }
    // Only the aliases that are provably the stack's: the one it asks for and its markers (others may have added theirs).
    const now = await keyNow(w, holder, tags, aliasesOf(holder).filter((a) => a === alias || isAnyMarkerAlias(a)));
    return now ? { keyId: holder, now } : undefined;
  }
  const mine = (tags: Record<string, string>): boolean => tags[STACK_TAG] === w.stack && tags[ADDRESS_TAG] === w.address;
  for (const a of aliases) {
    if (!a.TargetKeyId || !isMarkerAlias(w.stack, a.AliasName)) continue;
    const tags = await keyTags(w.kms, a.TargetKeyId);
    if (!mine(tags)) continue;
    const now = await keyNow(w, a.TargetKeyId, tags, aliasesOf(a.TargetKeyId).filter(isAnyMarkerAlias));
    if (now) return { keyId: a.TargetKeyId, now };
  }
  const aliased = new Set(aliases.map((a) => a.TargetKeyId));
  for (const keyId of await listKeyIds(w.kms)) {
    if (aliased.has(keyId)) continue;
    let tags: Record<string, string>;
    try {
      tags = await keyTags(w.kms, keyId);
    } catch {
      continue; // a key whose policy keeps us out is not one we created
    }
    if (!mine(tags)) continue;
    const now = await keyNow(w, keyId, tags, []);
    if (now) return { keyId, now };
  }
  return undefined;
}

async function createAlias(w: Write, name: string, keyId: string): Promise<void> {
  try {
    await w.wait(() => w.kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keyId })), keyNotYetUsable);
  } catch (e) {
    if (errorName(e) !== "AlreadyExistsException") throw e;
    const target = (await listAliases(w.kms)).find((a) => a.AliasName === name)?.TargetKeyId;
    if (target !== keyId) throw new ApplyError(w.address, `alias ${name} already names another KMS key in ${w.where}; choose another alias`);
  }
}

async function deleteAlias(w: Write, name: string): Promise<void> {
  try {
    await w.kms.send(new DeleteAliasCommand({ AliasName: name }));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * Deletes a user alias (the name the config gives a key) only while it still names this key: the plan may be
 * minutes old, and an alias moved to another key meanwhile (UpdateAlias) is no longer the stack's to delete.
 */
async function deleteKeyAlias(w: Write, name: string, keyId: string): Promise<void> {
  const onKey = await listAliases(w.kms, undefined, keyId);
  if (onKey.some((a) => a.AliasName === name)) await deleteAlias(w, name);
}

/**
 * Brings a key from what it is to what is applied: the marker alias first (it keeps the key findable whatever
 * happens next), then at once the alias (the old one removed only once the new one stands), description, rotation
 * and removed tags, none of which needs another; the tags with the applied hash last.
 */
async function reconcileKey(w: Write, keyId: string, now: KeyNow, applied: Attributes): Promise<void> {
  const marker = markerAlias(w.stack, keyId);
  if (!now.aliases.includes(marker)) await createAlias(w, marker, keyId);
  const alias = str(applied.alias);
  const aliases = async (): Promise<void> => {
    if (alias && !now.aliases.includes(alias)) await createAlias(w, alias, keyId);
    await Promise.all(now.aliases.filter((old) => old !== alias && !isAnyMarkerAlias(old)).map((old) => deleteKeyAlias(w, old, keyId)));
  };
  const description = str(applied.description);
  const rotation = applied.enable_key_rotation === true;
  const wanted = { ...record(applied.tags), ...w.ownershipTags(applied) };
  const removed = Object.keys(userTags(now.tags)).filter((k) => !(k in wanted));
  await Promise.all([
    aliases(),
    now.description !== description ? w.kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: description })) : undefined,
    now.rotation !== rotation
      ? w.wait(() => w.kms.send(rotation ? new EnableKeyRotationCommand({ KeyId: keyId }) : new DisableKeyRotationCommand({ KeyId: keyId })), keyNotYetUsable)
      : undefined,
    removed.length > 0 ? w.kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: removed })) : undefined,
  ]);
  await w.kms.send(new TagResourceCommand({ KeyId: keyId, Tags: kmsTagList(wanted) }));
}

const CREATE_ATTEMPTS = 6;

/**
 * CreateKey without the SDK's own retries: an attempt that failed with a server error may still have made the
 * key, so before each new attempt the key is looked for by its tags. Never two keys for one address.
 */
async function createOnce(w: Write, after: Attributes): Promise<{ keyId: string; now: KeyNow }> {
  // The applied hash needs the ARN, known only now: the tag is rewritten with it once the key exists.
  const tags = { ...record(after.tags), ...w.ownershipTags(after) };
  const single = w.pool.client("kms", w.change.accountId, w.change.region, true);
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await single.send(new CreateKeyCommand({ Description: str(after.description), Tags: kmsTagList(tags) }));
      const keyId = out.KeyMetadata?.KeyId ?? "";
      if (!keyId) throw new ApplyError(w.address, "KMS created a key but returned no key id; run plan again to find it by its tags");
      return { keyId, now: { description: str(after.description), rotation: false, tags, aliases: [] } };
    } catch (e) {
      if (!isRetryable(e) || attempt >= CREATE_ATTEMPTS) throw e;
      const made = await findOwnKey(w, str(after.alias));
      if (made) return made;
      await (w.ctx.sleep ?? sleep)(Math.min(200 * 2 ** attempt, 5_000), w.ctx.signal);
    }
  }
}

export async function createKey(w: Write, after: Attributes): Promise<ApplyResult> {
  const { keyId, now } = (await findOwnKey(w, str(after.alias))) ?? (await createOnce(w, after));
  const applied: Attributes = { ...after, arn: keyArnOf(w.change.region, w.change.accountId, keyId) };
  await reconcileKey(w, keyId, now, applied);
  return { id: keyId, attributes: applied };
}

function liveNow(before: Attributes, stack: string, keyId: string, withMarker: boolean): KeyNow {
  const alias = str(before.alias);
  return {
    description: str(before.description),
    rotation: before.enable_key_rotation === true,
    tags: record(before.tags),
    aliases: [...(alias ? [alias] : []), ...(withMarker ? [markerAlias(stack, keyId)] : [])],
  };
}

/** Keys created by this stack carry the marker alias already; an adopted key gets it now. */
export async function updateKey(w: Write, before: Attributes, after: Attributes, keyId: string, adopting: boolean): Promise<ApplyResult> {
  const applied: Attributes = { ...after, arn: str(before.arn) || keyArnOf(w.change.region, w.change.accountId, keyId) };
  await reconcileKey(w, keyId, liveNow(before, w.stack, keyId, !adopting), applied);
  return { id: keyId, attributes: applied };
}

export async function deleteKey(w: Write, before: Attributes, keyId: string, windowDays: number): Promise<void> {
  const alias = str(before.alias);
  if (alias) await deleteKeyAlias(w, alias, keyId);
  await deleteAlias(w, markerAlias(w.stack, keyId));
  try {
    await w.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: windowDays }));
  } catch (e) {
    if (isNotFound(e)) return;
    // Already scheduled (an earlier, interrupted delete): the deletion is under way.
    if (errorName(e) === "KMSInvalidStateException" && /pending deletion/i.test(errorMessage(e))) return;
    throw e;
  }
}

/** The stack's share aliases on one key, and whether the key is one the stack created (none if it is gone). */
async function marksOn(w: Write, keyId: string): Promise<{ shares: string[]; created: boolean }> {
  let aliases: AliasListEntry[];
  try {
    aliases = await listAliases(w.kms, undefined, keyId);
  } catch (e) {
    if (isNotFound(e)) return { shares: [], created: false };
    throw e;
  }
  return {
    shares: aliases.map((a) => a.AliasName ?? "").filter((name) => parseShareAlias(w.stack, name) !== undefined).sort(),
    created: aliases.some((a) => isMarkerAlias(w.stack, a.AliasName)),
  };
}

/** `key_share.staging->333333333333` -> `staging`; a bare ARN's `key_share["arn:..."]->...` has no name. */
function shareNameOf(address: string): string | undefined {
  return /^key_share\.(.+)->\d{12}$/.exec(address)?.[1];
}

async function createShareAlias(w: Write, name: string, keyId: string): Promise<void> {
  try {
    await w.kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keyId }));
  } catch (e) {
    if (errorName(e) === "AlreadyExistsException" && (await marksOn(w, keyId)).shares.includes(name)) return;
    if (errorName(e) === "AlreadyExistsException") {
      throw new ApplyError(w.address, `alias ${name} in ${w.where} names another KMS key than ${keyId}; delete that alias (it is stack ${w.stack}'s), then apply again`);
    }
    if (isAccessDenied(e)) {
      throw new ApplyError(w.address, `cannot create alias ${name} for KMS key ${keyId} in ${w.where} (${describeError(e)}): stack ${w.stack} marks a key it does not own with this alias before adding statements to its policy, so that it can find and remove them later; allow kms:CreateAlias and kms:DeleteAlias on the key, then apply again`);
    }
    throw e;
  }
}

export interface ShareMarks {
  /** The share alias the key must carry (under the key's name in the share's address). */
  wanted: string;
  /** The stack's share aliases the key carried before. */
  found: string[];
}

/**
 * Before statements of the stack go into the policy of a key it did not create: the key gets the stack's share
 * alias first, so a kill between the two leaves an alias without a statement (found and cleaned by the next
 * plan), never a statement that no read can find. Keys the stack created carry their marker alias instead; a
 * write that only removes statements marks nothing.
 */
export async function markSharedKey(w: Write, keyId: string, adding: boolean): Promise<ShareMarks | undefined> {
  // A plan without identities (older plan files) leaves the question to the key's marker alias.
  if (!adding || (w.change.identity !== undefined && !sharesExistingKey(w.change.identity))) return undefined;
  const { shares, created } = await marksOn(w, keyId);
  if (created) return undefined;
  const wanted = shareAlias(w.stack, keyId, shareNameOf(w.address));
  if (!shares.includes(wanted)) await createShareAlias(w, wanted, keyId);
  return { wanted, found: shares };
}

/**
 * After the policy write: while statements of the stack remain in the key's policy, one share alias stays (an
 * older one under a former name goes, after the new one exists); once none remain, every share alias of the
 * stack on the key goes, after the last statement.
 */
export async function settleSharedKey(w: Write, keyId: string, marks: ShareMarks | undefined, stackStatementsLeft: boolean): Promise<void> {
  if (stackStatementsLeft) {
    for (const old of marks?.found ?? []) if (old !== marks?.wanted) await deleteAlias(w, old);
    return;
  }
  for (const name of (await marksOn(w, keyId)).shares) await deleteAlias(w, name);
}
