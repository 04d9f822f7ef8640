// Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. Names under `alias/aws/` belong to AWS managed keys.
import type { OperationContext, OperationHandler } from "../../service.js";
import type { KmsKey } from "./state.js";
import { regionState } from "../../world.js";
import { authorize, kmsError, kmsPage, parseKeyRef, resolveKey } from "./key-lookup.js";
import { aliasArn } from "./state.js";

function aliasNameOf(value: unknown): string {
  const name = String(value ?? "");
  if (!name.startsWith("alias/") || name.length <= "alias/".length) throw kmsError("InvalidAliasNameException", `Alias must start with the prefix "alias/" followed by a name: ${name}`);
  if (!/^[a-zA-Z0-9:/_-]+$/.test(name)) throw kmsError("InvalidAliasNameException", `Alias ${name} contains characters other than letters, digits, "/", "_", "-" and ":".`);
  // The reserved prefix is refused with an unmodelled not-authorized error [I].
  if (name.startsWith("alias/aws/")) throw kmsError("NotAuthorizedException", `The alias prefix alias/aws/ is reserved for AWS managed keys: ${name}`);
  return name;
}

function aliasesOf(ctx: OperationContext) {
  return regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).kms.aliases;
}

function notPendingDeletion(key: KmsKey): void {
  if (key.keyState === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
}

/** Symmetric, asymmetric and HMAC keys are different key types: an alias cannot move between them [M]. */
function keyTypeOf(key: KmsKey): string {
  return key.keySpec === "SYMMETRIC_DEFAULT" ? "SYMMETRIC" : key.keySpec.startsWith("HMAC_") ? "HMAC" : "ASYMMETRIC";
}

export const aliasOperations: Record<string, OperationHandler> = {
  CreateAlias(ctx, input) {
    const name = aliasNameOf(input.AliasName);
    const { key } = resolveKey(ctx, input.TargetKeyId, { action: "kms:CreateAlias" });
    const aliases = aliasesOf(ctx);
    if (aliases[name]) throw kmsError("AlreadyExistsException", `An alias with the name ${aliasArn(ctx.caller.accountId, ctx.region, name)} already exists`);
    notPendingDeletion(key);
    aliases[name] = { name, arn: aliasArn(ctx.caller.accountId, ctx.region, name), targetKeyId: key.keyId, createdAt: ctx.now, updatedAt: ctx.now };
  },

  UpdateAlias(ctx, input) {
    const name = aliasNameOf(input.AliasName);
    const aliases = aliasesOf(ctx);
    const alias = aliases[name];
    if (!alias) throw kmsError("NotFoundException", `Alias ${aliasArn(ctx.caller.accountId, ctx.region, name)} is not found.`);
    const { key, state } = resolveKey(ctx, input.TargetKeyId, { action: "kms:UpdateAlias" });
    const current = state.keys[alias.targetKeyId];
    if (current) {
      authorize(ctx, current, "kms:UpdateAlias");
      if (keyTypeOf(current) !== keyTypeOf(key) || current.keyUsage !== key.keyUsage) {
        throw kmsError("ValidationException", `${key.arn} cannot be the target of ${name}: it must have the same key type and key usage as the current target ${current.arn}.`);
      }
    }
    // Moving away from a key pending deletion is allowed; moving onto one is not [D].
    notPendingDeletion(key);
    alias.targetKeyId = key.keyId;
    alias.updatedAt = ctx.now;
  },

  DeleteAlias(ctx, input) {
    const name = aliasNameOf(input.AliasName);
    const aliases = aliasesOf(ctx);
    const alias = aliases[name];
    if (!alias) throw kmsError("NotFoundException", `Alias ${aliasArn(ctx.caller.accountId, ctx.region, name)} is not found.`);
    const target = regionState(ctx.world, ctx.caller.accountId, ctx.region, ctx.now).kms.keys[alias.targetKeyId];
    if (target) authorize(ctx, target, "kms:DeleteAlias");
    delete aliases[name];
  },

  ListAliases(ctx, input) {
    let all = Object.values(aliasesOf(ctx));
    if (input.KeyId !== undefined) {
      const ref = parseKeyRef(String(input.KeyId));
      // Another account's aliases are never listed [M].
      if (ref.accountId !== undefined && ref.accountId !== ctx.caller.accountId) all = [];
      else {
        const { key } = resolveKey(ctx, input.KeyId, { action: "kms:ListAliases", iamOnly: true });
        all = all.filter((a) => a.targetKeyId === key.keyId);
      }
    }
    all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = kmsPage(all, input, 50, 100);
    return {
      Aliases: page.items.map((a) => ({
        AliasName: a.name, AliasArn: a.arn, TargetKeyId: a.targetKeyId, CreationDate: new Date(a.createdAt), LastUpdatedDate: new Date(a.updatedAt ?? a.createdAt),
      })),
      NextMarker: page.NextMarker,
      Truncated: page.Truncated,
    };
  },
};
