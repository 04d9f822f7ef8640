// Keys themselves: CreateKey, DescribeKey, ListKeys, enabling and disabling, scheduled deletion (and the clock
// tick that carries it out), and the KeyMetadata shape.
import type { OperationHandler } from "../../service.js";
import type { World } from "../../world.js";
import type { KmsKey } from "./state.js";
import { randomBytes, randomUUID } from "node:crypto";
import { eventual, regionState } from "../../world.js";
import { kmsError, kmsPage, principalContext, resolveKey } from "./key-lookup.js";
import { defaultKeyPolicy, keyPolicyDecision, parseKeyPolicy } from "./key-policy.js";
import { algorithmsOf, keySpecAndUsage } from "./key-specs.js";
import { keyArn } from "./state.js";
import { applyTags } from "./tags.js";

const DAY_MS = 86_400_000;

export function keyMetadata(key: KmsKey): Record<string, unknown> {
  const [, , , region, accountId] = key.arn.split(":");
  const pending = key.keyState === "PendingDeletion";
  return {
    AWSAccountId: accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: key.keyState === "Enabled",
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    DeletionDate: pending && key.deletionDate !== undefined ? new Date(key.deletionDate) : undefined,
    PendingDeletionWindowInDays: pending ? key.pendingWindowDays : undefined,
    Origin: key.origin ?? "AWS_KMS",
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...algorithmsOf(key.keySpec, key.keyUsage),
    MultiRegion: key.multiRegion === true,
    MultiRegionConfiguration: key.multiRegion ? { MultiRegionKeyType: "PRIMARY", PrimaryKey: { Arn: key.arn, Region: region }, ReplicaKeys: [] } : undefined,
  };
}

/**
 * The lockout safety check [M]: the policy must let the caller make a later PutKeyPolicy call (a statement for
 * the caller's account root counts, since IAM then decides), unless the request bypasses the check.
 */
export function assertNoLockout(ctx: Parameters<OperationHandler>[0], policy: string, bypass: unknown): void {
  if (bypass === true) return;
  const decision = keyPolicyDecision(policy, {
    action: "kms:PutKeyPolicy",
    principal: { accountId: ctx.caller.accountId, arn: ctx.caller.arn, roleArn: ctx.caller.roleArn },
    context: principalContext(ctx),
  });
  if (decision !== "Allow") throw kmsError("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.");
}

function originOf(input: Record<string, any>): "AWS_KMS" | "EXTERNAL" {
  const origin = String(input.Origin ?? "AWS_KMS");
  // The sandbox has no custom key stores, so any id names one that does not exist.
  if (input.CustomKeyStoreId !== undefined) throw kmsError("CustomKeyStoreNotFoundException", `Custom key store ${String(input.CustomKeyStoreId)} does not exist.`);
  if (origin === "AWS_CLOUDHSM" || origin === "EXTERNAL_KEY_STORE") throw kmsError("ValidationException", `Origin ${origin} requires a CustomKeyStoreId.`);
  if (origin !== "AWS_KMS" && origin !== "EXTERNAL") throw kmsError("ValidationException", `1 validation error detected: Value '${origin}' at 'origin' failed to satisfy constraint: Member must satisfy enum value set: [AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE]`);
  return origin;
}

function notPending(key: KmsKey): void {
  if (key.keyState === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
}

export const keyOperations: Record<string, OperationHandler> = {
  CreateKey(ctx, input) {
    const { keySpec, keyUsage } = keySpecAndUsage(input);
    const origin = originOf(input);
    const tags = applyTags({}, input.Tags);
    let policy = defaultKeyPolicy(ctx.caller.accountId);
    if (input.Policy !== undefined) {
      parseKeyPolicy(input.Policy);
      assertNoLockout(ctx, input.Policy, input.BypassPolicyLockoutSafetyCheck);
      policy = input.Policy;
    }
    const multiRegion = input.MultiRegion === true;
    const keyId = multiRegion ? `mrk-${randomBytes(16).toString("hex")}` : randomUUID();
    const key: KmsKey = {
      keyId, arn: keyArn(ctx.caller.accountId, ctx.region, keyId), description: String(input.Description ?? ""),
      keyManager: "CUSTOMER", keyState: origin === "EXTERNAL" ? "PendingImport" : "Enabled", createdAt: ctx.now,
      keySpec, keyUsage, origin, multiRegion, policy: eventual(policy, ctx.now), tags, rotationEnabled: false, grants: [],
    };
    regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).kms.keys[keyId] = key;
    return { KeyMetadata: keyMetadata(key) };
  },

  DescribeKey(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:DescribeKey", aliases: true, crossAccount: true });
    return { KeyMetadata: keyMetadata(key) };
  },

  ListKeys(ctx, input) {
    const state = regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).kms;
    const page = kmsPage(Object.values(state.keys).map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), input, 100, 1000);
    return { Keys: page.items, NextMarker: page.NextMarker, Truncated: page.Truncated };
  },

  EnableKey(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:EnableKey" });
    notPending(key);
    if (key.keyState === "PendingImport") throw kmsError("KMSInvalidStateException", `${key.arn} is pending import.`);
    key.keyState = "Enabled";
  },

  DisableKey(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:DisableKey" });
    notPending(key);
    if (key.keyState === "PendingImport") throw kmsError("KMSInvalidStateException", `${key.arn} is pending import.`);
    key.keyState = "Disabled";
  },

  UpdateKeyDescription(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:UpdateKeyDescription" });
    notPending(key);
    key.description = String(input.Description ?? "");
  },

  ScheduleKeyDeletion(ctx, input) {
    // The condition key lets a policy constrain the window principals ask for [D]; without the parameter the
    // request has no value for it [I].
    const requested = input.PendingWindowInDays === undefined ? undefined : String(input.PendingWindowInDays);
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:ScheduleKeyDeletion", context: { "kms:ScheduleKeyDeletionPendingWindowInDays": requested } });
    const days = input.PendingWindowInDays === undefined ? 30 : Number(input.PendingWindowInDays);
    // The model allows 1-365; KMS accepts 7-30 [D].
    if (!Number.isInteger(days) || days < 7) throw kmsError("ValidationException", `1 validation error detected: Value '${String(input.PendingWindowInDays)}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7`);
    if (days > 30) throw kmsError("ValidationException", `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30`);
    notPending(key);
    key.keyState = "PendingDeletion";
    key.deletionDate = ctx.now + days * DAY_MS;
    key.pendingWindowDays = days;
    return { KeyId: key.arn, DeletionDate: new Date(key.deletionDate), KeyState: key.keyState, PendingWindowInDays: days };
  },

  CancelKeyDeletion(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:CancelKeyDeletion" });
    if (key.keyState !== "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is not pending deletion.`);
    // A cancelled deletion leaves the key disabled [D].
    key.keyState = "Disabled";
    delete key.deletionDate;
    delete key.pendingWindowDays;
    return { KeyId: key.arn };
  },
};

/** Deletes keys whose waiting period is over, with their aliases (KMS keeps the aliases until then [M]). */
export function deleteDueKeys(world: World, now: number): void {
  for (const account of Object.values(world.accounts)) {
    for (const region of Object.values(account.regions)) {
      const state = region.kms;
      for (const key of Object.values(state.keys)) {
        if (key.keyState !== "PendingDeletion" || key.deletionDate === undefined || key.deletionDate > now) continue;
        delete state.keys[key.keyId];
        for (const alias of Object.values(state.aliases)) if (alias.targetKeyId === key.keyId) delete state.aliases[alias.name];
      }
    }
  }
}

