// The requests a cross-account copy makes, as the check predicts them, with the request context AWS fills in
// (BEHAVIOUR.md §6.3, §6.6): the copy role of the source account copies out of the source recovery point
// (backup:CopyFromBackupVault, with backup:CopyTargets and backup:CopyTargetOrgPaths) and into the destination
// vault (backup:CopyIntoBackupVault, with the vault's tags), and the destination account uses the source key.
// Also the service control policies that govern an account's principals: one level per target on its path.
import type { AuthzRequest, ContextValue, PolicyDocument, ScpLevel } from "../policy/index.js";
import type { OrgFacts } from "../../model/org.js";
import type { ResourceFamily } from "./resource-types.js";
import { readable, unreadable, type CopyRoute, type Readable, type RouteWorld, type ServiceControlPolicy, type WorldVault } from "./types.js";

export const COPY_FROM = "backup:CopyFromBackupVault";
export const COPY_INTO = "backup:CopyIntoBackupVault";

/** The role AWS Backup uses when a plan's selections name none (on-demand copies default to it). */
export function defaultBackupRole(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`;
}

export function orgPathOf(org: OrgFacts | undefined, accountId: string): string | undefined {
  return org?.accountPaths[accountId];
}

function principalContext(org: OrgFacts | undefined, accountId: string, principalArn: string): Record<string, ContextValue> {
  const path = orgPathOf(org, accountId);
  return {
    "aws:PrincipalAccount": accountId,
    "aws:PrincipalArn": principalArn,
    // Global keys of the organization exist only for principals of its member accounts.
    ...(org && path !== undefined ? { "aws:PrincipalOrgID": org.organizationId, "aws:PrincipalOrgPaths": [path] } : {}),
  };
}

function tagContext(tags: Record<string, string>): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(tags)) out[`aws:ResourceTag/${k}`] = v;
  return out;
}

/** Copying a recovery point of `family` out of the source vault towards the route's destination. */
export function copyFromRequest(world: RouteWorld, route: CopyRoute, roleArn: string, family: ResourceFamily, recoveryPointTags: Record<string, string>): AuthzRequest {
  const { accountId, region } = route.source;
  const targetPath = route.destination ? orgPathOf(world.org, route.destination.accountId) : undefined;
  return {
    principal: { accountId, arn: roleArn },
    action: COPY_FROM,
    resource: family.recoveryPoint(region, accountId),
    context: {
      ...principalContext(world.org, accountId, roleArn),
      "backup:CopyTargets": [route.destinationArn],
      ...(targetPath !== undefined ? { "backup:CopyTargetOrgPaths": [targetPath] } : {}),
      ...tagContext(recoveryPointTags),
    },
  };
}

/** Copying into the destination vault, as the source account's copy role. */
export function copyIntoRequest(world: RouteWorld, route: CopyRoute, roleArn: string, vault: WorldVault): AuthzRequest {
  const { accountId } = route.source;
  return {
    principal: { accountId, arn: roleArn },
    action: COPY_INTO,
    resource: vault.arn,
    context: { ...principalContext(world.org, accountId, roleArn), ...tagContext(vault.tags) },
  };
}

/**
 * What the destination account does with the source key (BEHAVIOUR.md §6.2, the re:Post check list): describe
 * it, decrypt with it, and create grants for the AWS service that copies.
 */
export function keyUseRequests(world: RouteWorld, destinationAccount: string, keyArn: string, keyRegion: string, family: ResourceFamily): AuthzRequest[] {
  const principal = `arn:aws:iam::${destinationAccount}:root`;
  const base = {
    ...principalContext(world.org, destinationAccount, principal),
    "kms:CallerAccount": destinationAccount,
    "kms:ViaService": `${family.keyService}.${keyRegion}.amazonaws.com`,
  };
  const request = (action: string, extra: Record<string, ContextValue> = {}): AuthzRequest => ({
    principal: { accountId: destinationAccount, arn: principal },
    action,
    resource: keyArn,
    context: { ...base, ...extra },
  });
  return [request("kms:DescribeKey"), request("kms:Decrypt"), request("kms:CreateGrant", { "kms:GrantIsForAWSResource": true })];
}

/** A principal of the account leaving the organization [X3]. */
export function leaveOrganizationRequest(world: RouteWorld, accountId: string): AuthzRequest {
  const arn = `arn:aws:iam::${accountId}:root`;
  return { principal: { accountId, arn }, action: "organizations:LeaveOrganization", resource: "*", context: principalContext(world.org, accountId, arn) };
}

export function scpLabel(p: ServiceControlPolicy): string {
  return `scp ${p.id} (${p.name})`;
}

/**
 * The SCPs attached to each target, indexed once per read of the policies: an AWS managed policy such as
 * FullAWSAccess is attached to every account, and every route's path looks its levels up.
 */
const attachedIndex = new WeakMap<readonly ServiceControlPolicy[], Map<string, ServiceControlPolicy[]>>();

function attachedTo(policies: readonly ServiceControlPolicy[], target: string): readonly ServiceControlPolicy[] {
  let index = attachedIndex.get(policies);
  if (!index) {
    index = new Map();
    for (const p of policies) for (const t of new Set(p.targets)) index.set(t, [...(index.get(t) ?? []), p]);
    attachedIndex.set(policies, index);
  }
  return index.get(target) ?? [];
}

export interface ScpPath {
  levels: ScpLevel[];
  /** Label -> the policy, to name where a deciding statement is attached. */
  byLabel: Map<string, ServiceControlPolicy>;
}

/**
 * The SCPs governing an account's principals: root, each OU down its path, the account. None for accounts
 * outside the organization, for the management account (SCPs never restrict it) or while SCPs are not enabled.
 */
export function scpPath(world: RouteWorld, accountId: string): Readable<ScpPath> {
  const none: ScpPath = { levels: [], byLabel: new Map() };
  if (!world.scps.ok) return unreadable(world.scps.reason);
  if (!world.org) return unreadable("the organization could not be read");
  const path = orgPathOf(world.org, accountId);
  if (!world.scps.value.enabled || path === undefined || accountId === world.org.managementAccountId) return readable(none);
  // `o-.../r-.../ou-.../` -> the root, then each OU; then the account itself.
  const targets = [...path.split("/").filter((p) => p !== "").slice(1), accountId];
  const byLabel = new Map<string, ServiceControlPolicy>();
  const levels: ScpLevel[] = [];
  for (const target of targets) {
    const attached = attachedTo(world.scps.value.policies, target);
    // AWS keeps at least one SCP on every target while SCPs are enabled; a level with none was not read.
    if (attached.length === 0) continue;
    levels.push({
      target,
      policies: attached.map((p) => {
        byLabel.set(scpLabel(p), p);
        return { label: scpLabel(p), document: p.document as PolicyDocument | string };
      }),
    });
  }
  return readable({ levels, byLabel });
}
