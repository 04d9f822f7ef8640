// Finding the key a request names (key id, key ARN, alias name, alias ARN), in the caller's account or, by ARN,
// in another one, and authorizing the request against that key's policy as KMS does. Also the errors and the
// Marker/Limit pagination every KMS operation shares.
import type { OperationContext } from "../../service.js";
import type { World } from "../../world.js";
import type { KmsKey, KmsRegionState } from "./state.js";
import { paginate } from "../../paging.js";
import { ServiceError } from "../../service.js";
import { regionState } from "../../world.js";
import { orgPathOf } from "../organizations/entities.js";
import { keyPolicyDecision } from "./key-policy.js";
import { aliasArn, AWS_MANAGED_KEY_SERVICES, awsManagedKey, keyArn } from "./state.js";

const STATUS: Record<string, number> = {
  AlreadyExistsException: 409, DisabledException: 409, DryRunOperationException: 412, KMSInvalidStateException: 409, NotFoundException: 404,
};

/** A KMS error: the protocol layer writes `message`; unmodelled codes (AccessDeniedException, ValidationException) are 400. */
export function kmsError(code: string, message: string): ServiceError {
  return new ServiceError(code, message, STATUS[code] ?? 400);
}

const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

export type KeyRef =
  | { kind: "key"; keyId: string; accountId?: string; region?: string }
  | { kind: "alias"; name: string; accountId?: string; region?: string };

/** Parses what a `KeyId` member may hold. Throws InvalidArnException for an ARN that is not a KMS key or alias ARN. */
export function parseKeyRef(value: string): KeyRef {
  if (value.startsWith("arn:")) {
    const m = KMS_ARN.exec(value);
    if (!m) throw kmsError("InvalidArnException", `${value} is not a valid KMS key or alias ARN.`);
    return m[3] === "key" ? { kind: "key", keyId: m[4]!, accountId: m[2]!, region: m[1]! } : { kind: "alias", name: `alias/${m[4]!}`, accountId: m[2]!, region: m[1]! };
  }
  if (value.startsWith("alias/")) return { kind: "alias", name: value };
  return { kind: "key", keyId: value };
}

function knownAccount(world: World, accountId: string): boolean {
  return world.org.accounts[accountId] !== undefined || world.org.outsideAccounts.includes(accountId) || world.accounts[accountId] !== undefined;
}

/** The KMS state of an account-region, created on first use for accounts the sandbox knows. */
function kmsStateOf(ctx: OperationContext, accountId: string, region: string): KmsRegionState | undefined {
  if (!knownAccount(ctx.world, accountId) && accountId !== ctx.caller.accountId) return undefined;
  return regionState(ctx.world, accountId, region, ctx.now).kms;
}

/** `alias/aws/{service}` names a key KMS creates the first time it is used [M, DescribeKey]. */
function ensureAwsManaged(state: KmsRegionState, accountId: string, region: string, aliasName: string, now: number): void {
  const service = /^alias\/aws\/(.+)$/.exec(aliasName)?.[1];
  if (!service || state.aliases[aliasName] || !Object.prototype.hasOwnProperty.call(AWS_MANAGED_KEY_SERVICES, service)) return;
  const { key, alias } = awsManagedKey(accountId, region, service, now);
  state.keys[key.keyId] ??= key;
  state.aliases[alias.name] = alias;
}

export interface KeyAccess {
  /** The KMS action being authorized, e.g. `kms:DescribeKey`. */
  action: string;
  /** Whether alias names and alias ARNs are accepted (DescribeKey and the cryptographic operations). */
  aliases?: boolean;
  /** Whether another account's key may be named by ARN (the operation supports cross-account use). */
  crossAccount?: boolean;
  /** For operations IAM alone authorizes (ListAliases): the key policy is not consulted. */
  iamOnly?: boolean;
  /** Extra condition keys of this request (e.g. kms:GrantIsForAWSResource). */
  context?: Record<string, string | string[] | undefined>;
}

export interface ResolvedKey {
  key: KmsKey;
  accountId: string;
  region: string;
  state: KmsRegionState;
}

export function accessDenied(ctx: OperationContext, action: string, resource: string, why: string): ServiceError {
  return kmsError("AccessDeniedException", `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
}

/** The condition keys KMS and IAM set for the calling principal. */
export function principalContext(ctx: OperationContext): Record<string, string | string[] | undefined> {
  const org = ctx.world.org;
  const member = org.accounts[ctx.caller.accountId] !== undefined;
  const path = orgPathOf(org, ctx.caller.accountId);
  return {
    "kms:CallerAccount": ctx.caller.accountId,
    "aws:PrincipalAccount": ctx.caller.accountId,
    "aws:PrincipalArn": ctx.caller.roleArn ?? ctx.caller.arn,
    "aws:PrincipalType": ctx.caller.roleArn ? "AssumedRole" : "Account",
    "aws:PrincipalOrgID": member ? org.organizationId : undefined,
    "aws:PrincipalOrgPaths": path ? [path] : undefined,
  };
}

/** Whether the key's (current) policy lets the caller do `action`; throws AccessDeniedException otherwise. */
export function authorize(ctx: OperationContext, key: KmsKey, action: string, extra: Record<string, string | string[] | undefined> = {}): void {
  const tags = Object.fromEntries(Object.entries(key.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
  const decision = keyPolicyDecision(key.policy.current, {
    action,
    principal: { accountId: ctx.caller.accountId, arn: ctx.caller.arn, roleArn: ctx.caller.roleArn },
    resource: key.arn,
    context: { ...principalContext(ctx), ...tags, "kms:KeySpec": key.keySpec, "kms:KeyUsage": key.keyUsage, "kms:KeyOrigin": key.origin ?? "AWS_KMS", ...extra },
  });
  if (decision === "Deny") throw accessDenied(ctx, action, key.arn, `with an explicit deny in a resource-based policy`);
  if (decision === "NoMatch") throw accessDenied(ctx, action, key.arn, `because no resource-based policy allows the ${action} action`);
}

/** Resolves the request's `KeyId` to a key and authorizes `access.action` on it. */
export function resolveKey(ctx: OperationContext, value: unknown, access: KeyAccess): ResolvedKey {
  const text = String(value ?? "");
  const ref = parseKeyRef(text);
  const region = ref.region ?? ctx.region;
  const accountId = ref.accountId ?? ctx.caller.accountId;
  if (region !== ctx.region) throw kmsError("NotFoundException", `Invalid arn ${region}`);
  if (ref.kind === "alias" && !access.aliases) throw kmsError("NotFoundException", `Invalid keyId ${text}`);
  const crossAccount = accountId !== ctx.caller.accountId;
  if (crossAccount && !access.crossAccount) {
    throw accessDenied(ctx, access.action, text, "because this operation cannot be performed on a KMS key in a different AWS account");
  }
  const state = kmsStateOf(ctx, accountId, region);
  let keyId: string;
  if (ref.kind === "alias") {
    if (state && !crossAccount) ensureAwsManaged(state, accountId, region, ref.name, ctx.now);
    const alias = state?.aliases[ref.name];
    if (!alias) throw kmsError("NotFoundException", `Alias ${aliasArn(accountId, region, ref.name)} is not found.`);
    keyId = alias.targetKeyId;
  } else {
    if (!KEY_ID.test(ref.keyId)) throw kmsError("NotFoundException", `Invalid keyId ${text}`);
    keyId = ref.keyId;
  }
  const key = state?.keys[keyId];
  if (!state || !key) throw kmsError("NotFoundException", `Key '${keyArn(accountId, region, keyId)}' does not exist`);
  if (!access.iamOnly) authorize(ctx, key, access.action, access.context);
  return { key, accountId, region, state };
}

/**
 * The key an ARN names (a key ARN or an alias ARN), wherever it lives, without creating state: for the backup
 * engine's checks (vault keys, [S5] source keys). Undefined when there is no such key.
 */
export function findKeyByArn(world: World, arn: string): KmsKey | undefined {
  const m = KMS_ARN.exec(arn);
  if (!m) return undefined;
  const state = world.accounts[m[2]!]?.regions[m[1]!]?.kms;
  if (!state) return undefined;
  if (m[3] === "key") return state.keys[m[4]!];
  const alias = state.aliases[`alias/${m[4]!}`];
  return alias ? state.keys[alias.targetKeyId] : undefined;
}

export interface KmsPage<T> {
  items: T[];
  NextMarker?: string;
  Truncated: boolean;
}

/** KMS pagination: `Limit` (clamped to the operation's maximum) and `Marker`; `Truncated` says whether more follow. */
export function kmsPage<T>(all: readonly T[], input: Record<string, any>, defaultLimit: number, maxLimit: number): KmsPage<T> {
  const limit = input.Limit === undefined ? defaultLimit : Math.min(Math.max(1, Number(input.Limit)), maxLimit);
  const page = paginate(all, input.Marker, limit, defaultLimit, "InvalidMarkerException");
  return page.nextToken ? { items: page.items, NextMarker: page.nextToken, Truncated: true } : { items: page.items, Truncated: false };
}
