// Grants: CreateGrant (with Name idempotency and DryRun), ListGrants, RetireGrant, RevokeGrant.
import type { OperationContext, OperationHandler } from "../../service.js";
import type { KmsGrant, KmsKey } from "./state.js";
import { randomBytes } from "node:crypto";
import { accessDenied, kmsError, kmsPage, resolveKey } from "./key-lookup.js";
import { grantOperationsFor } from "./key-specs.js";

const GRANTEE = /^(arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)|arn:aws[a-z-]*:sts::\d{12}:assumed-role\/.+\/.+|[a-z0-9.-]+\.amazonaws\.com(\.cn)?)$/;

function principalOf(value: unknown, member: string): string | undefined {
  if (value === undefined) return undefined;
  const principal = String(value);
  if (!GRANTEE.test(principal)) throw kmsError("InvalidArnException", `ARN does not refer to a valid principal: ${principal} (${member})`);
  return principal;
}

function usable(key: KmsKey): void {
  if (key.keyState === "Disabled") throw kmsError("DisabledException", `${key.arn} is disabled.`);
  if (key.keyState === "PendingDeletion") throw kmsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
  if (key.keyState === "PendingImport") throw kmsError("KMSInvalidStateException", `${key.arn} is pending import.`);
}

function dryRun(): never {
  throw kmsError("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
}

function sameParameters(g: KmsGrant, grantee: string, retiring: string | undefined, operations: string[], constraints: unknown): boolean {
  return g.granteePrincipal === grantee && g.retiringPrincipal === retiring
    && [...g.operations].sort().join() === [...operations].sort().join()
    && JSON.stringify(g.constraints ?? null) === JSON.stringify(constraints ?? null);
}

/** Whether a principal named in a grant is the caller (by assumed-role ARN, role ARN or account root). */
function isCaller(ctx: OperationContext, principal: string | undefined): boolean {
  if (principal === undefined) return false;
  return principal === ctx.caller.arn || principal === ctx.caller.roleArn || principal === `arn:aws:iam::${ctx.caller.accountId}:root`;
}

function grantEntry(key: KmsKey, g: KmsGrant): Record<string, unknown> {
  return {
    KeyId: key.arn, GrantId: g.grantId, Name: g.name, CreationDate: g.createdAt === undefined ? undefined : new Date(g.createdAt),
    GranteePrincipal: g.granteePrincipal, RetiringPrincipal: g.retiringPrincipal, IssuingAccount: g.issuingAccount,
    Operations: g.operations, Constraints: g.constraints,
  };
}

/** Finds the grant a token stands for, in any key of the sandbox (tokens are not tied to a key id in requests). */
function grantByToken(ctx: OperationContext, token: string): { key: KmsKey; grant: KmsGrant } | undefined {
  for (const account of Object.values(ctx.world.accounts)) {
    for (const region of Object.values(account.regions)) {
      for (const key of Object.values(region.kms.keys)) {
        const grant = key.grants.find((g) => g.token === token);
        if (grant) return { key, grant };
      }
    }
  }
  return undefined;
}

export const grantOperations: Record<string, OperationHandler> = {
  CreateGrant(ctx, input) {
    const grantee = principalOf(input.GranteePrincipal, "GranteePrincipal")!;
    const retiring = principalOf(input.RetiringPrincipal, "RetiringPrincipal");
    const operations = (Array.isArray(input.Operations) ? input.Operations : []).map(String);
    const { key } = resolveKey(ctx, input.KeyId, {
      action: "kms:CreateGrant", crossAccount: true,
      context: { "kms:GrantIsForAWSResource": "false", "kms:GrantOperations": operations, "kms:GranteePrincipal": grantee, "kms:RetiringPrincipal": retiring },
    });
    usable(key);
    if (operations.length === 0) throw kmsError("ValidationException", "1 validation error detected: Value at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const allowed = grantOperationsFor(key.keySpec, key.keyUsage);
    const wrong = operations.filter((o) => !allowed.includes(o));
    if (wrong.length > 0) throw kmsError("ValidationException", `Grant operations ${wrong.join(", ")} are not valid for a ${key.keySpec} key with key usage ${key.keyUsage}.`);
    const constraints = input.Constraints && Object.keys(input.Constraints).length > 0 ? input.Constraints : undefined;
    const name = input.Name === undefined ? undefined : String(input.Name);
    const existing = name === undefined ? undefined : key.grants.find((g) => g.name === name && sameParameters(g, grantee, retiring, operations, constraints));
    if (input.DryRun === true) dryRun();
    if (existing) return { GrantToken: existing.token, GrantId: existing.grantId };
    const grant: KmsGrant = {
      grantId: randomBytes(32).toString("hex"), granteePrincipal: grantee, operations, name, token: randomBytes(96).toString("base64url"),
      createdAt: ctx.now, retiringPrincipal: retiring, issuingAccount: `arn:aws:iam::${ctx.caller.accountId}:root`, constraints,
    };
    key.grants.push(grant);
    return { GrantToken: grant.token, GrantId: grant.grantId };
  },

  ListGrants(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:ListGrants", crossAccount: true });
    const grants = key.grants.filter((g) => (input.GrantId === undefined || g.grantId === input.GrantId) && (input.GranteePrincipal === undefined || g.granteePrincipal === input.GranteePrincipal));
    const page = kmsPage(grants, input, 50, 100);
    return { Grants: page.items.map((g) => grantEntry(key, g)), NextMarker: page.NextMarker, Truncated: page.Truncated };
  },

  RetireGrant(ctx, input) {
    let found: { key: KmsKey; grant: KmsGrant } | undefined;
    if (input.GrantToken !== undefined) {
      found = grantByToken(ctx, String(input.GrantToken));
      if (!found) throw kmsError("InvalidGrantTokenException", "The grant token is not valid.");
    } else if (input.KeyId !== undefined && input.GrantId !== undefined) {
      // Retiring is authorized by the grant itself, not by the key policy.
      const { key } = resolveKey(ctx, input.KeyId, { action: "kms:RetireGrant", crossAccount: true, iamOnly: true });
      const grant = key.grants.find((g) => g.grantId === input.GrantId);
      if (!grant) throw kmsError("NotFoundException", `Grant ID ${String(input.GrantId)} not found for key ${key.arn}`);
      found = { key, grant };
    } else {
      throw kmsError("ValidationException", "Specify either a GrantToken or both a KeyId and a GrantId.");
    }
    const { key, grant } = found;
    const keyAccount = key.arn.split(":")[4];
    const may = isCaller(ctx, grant.retiringPrincipal) || (isCaller(ctx, grant.granteePrincipal) && grant.operations.includes("RetireGrant")) || ctx.caller.accountId === keyAccount;
    if (!may) throw accessDenied(ctx, "kms:RetireGrant", key.arn, "because the caller is neither the grant's retiring principal nor its grantee with RetireGrant");
    if (input.DryRun === true) dryRun();
    key.grants = key.grants.filter((g) => g !== grant);
  },

  RevokeGrant(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:RevokeGrant", crossAccount: true });
    const grant = key.grants.find((g) => g.grantId === input.GrantId);
    if (!grant) throw kmsError("NotFoundException", `Grant ID ${String(input.GrantId)} not found for key ${key.arn}`);
    if (input.DryRun === true) dryRun();
    key.grants = key.grants.filter((g) => g !== grant);
  },
};
