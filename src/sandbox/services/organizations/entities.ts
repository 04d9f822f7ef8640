// The organization's entities as AWS names them (ARNs, summaries, targets) and the pure queries other services
// use: membership, the organization path of an account (aws:PrincipalOrgPaths, backup:CopyTargetOrgPaths) and
// the service control policies that apply to an account, level by level.
import type { OrgAccount, OrgPolicy, OrgState, OrgUnit } from "./state.js";
import { awsManagedPolicyFor, FULL_AWS_ACCESS_POLICY_ID, own } from "./state.js";

export type TargetType = "ROOT" | "ORGANIZATIONAL_UNIT" | "ACCOUNT";

export function isMember(org: OrgState, accountId: string): boolean {
  return own(org.accounts, accountId) !== undefined;
}

export function accountArn(org: OrgState, accountId: string): string {
  return `arn:aws:organizations::${org.managementAccountId}:account/${org.organizationId}/${accountId}`;
}

export function ouArn(org: OrgState, ouId: string): string {
  return `arn:aws:organizations::${org.managementAccountId}:ou/${org.organizationId}/${ouId}`;
}

export function rootArn(org: OrgState): string {
  return `arn:aws:organizations::${org.managementAccountId}:root/${org.organizationId}/${org.rootId}`;
}

export function customerPolicyArn(org: OrgState, type: string, policyId: string): string {
  return `arn:aws:organizations::${org.managementAccountId}:policy/${org.organizationId}/${type.toLowerCase()}/${policyId}`;
}

export function targetTypeOf(org: OrgState, id: string): TargetType | undefined {
  if (id === org.rootId) return "ROOT";
  if (own(org.ous, id)) return "ORGANIZATIONAL_UNIT";
  if (own(org.accounts, id)) return "ACCOUNT";
  return undefined;
}

export function accountSummary(org: OrgState, a: OrgAccount): Record<string, unknown> {
  return {
    Id: a.id, Arn: accountArn(org, a.id), Email: a.email, Name: a.name, Status: a.status,
    JoinedMethod: a.joinedMethod ?? "CREATED", JoinedTimestamp: new Date(a.joinedAt),
  };
}

export function ouSummary(org: OrgState, ou: OrgUnit): Record<string, unknown> {
  return { Id: ou.id, Arn: ouArn(org, ou.id), Name: ou.name };
}

export function rootSummary(org: OrgState): Record<string, unknown> {
  return { Id: org.rootId, Arn: rootArn(org), Name: "Root", PolicyTypes: org.enabledPolicyTypes.map((Type) => ({ Type, Status: "ENABLED" })) };
}

export function targetSummary(org: OrgState, id: string): Record<string, unknown> | undefined {
  const type = targetTypeOf(org, id);
  if (type === "ROOT") return { TargetId: id, Arn: rootArn(org), Name: "Root", Type: type };
  if (type === "ORGANIZATIONAL_UNIT") return { TargetId: id, Arn: ouArn(org, id), Name: org.ous[id]!.name, Type: type };
  if (type === "ACCOUNT") return { TargetId: id, Arn: accountArn(org, id), Name: org.accounts[id]!.name, Type: type };
  return undefined;
}

export function policySummary(p: OrgPolicy): Record<string, unknown> {
  return { Id: p.id, Arn: p.arn, Name: p.name, Description: p.description, Type: p.type, AwsManaged: p.awsManaged };
}

/** Parent ids from the entity's parent up to the root (an OU cycle in a hand-made fixture stops the walk). */
function ancestorsOf(org: OrgState, parentId: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = parentId;
  while (current !== undefined && current !== org.rootId && !chain.includes(current)) {
    chain.push(current);
    current = own(org.ous, current)?.parentId;
  }
  return chain.reverse();
}

/**
 * The account's organization path in AWS's format: the organization id, the root id and each OU from the root
 * down to the account's parent, each followed by `/` (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`). The account id is
 * not part of it (the format of `aws:PrincipalOrgPaths`). Undefined for accounts outside the organization.
 */
export function orgPathOf(org: OrgState, accountId: string): string | undefined {
  const account = own(org.accounts, accountId);
  if (!account) return undefined;
  return [org.organizationId, org.rootId, ...ancestorsOf(org, account.parentId)].map((p) => `${p}/`).join("");
}

/** The same path for an OU (it ends with the OU's own id), for callers matching OU paths. */
export function ouPathOf(org: OrgState, ouId: string): string | undefined {
  const ou = own(org.ous, ouId);
  if (!ou) return undefined;
  return [org.organizationId, org.rootId, ...ancestorsOf(org, ou.parentId), ouId].map((p) => `${p}/`).join("");
}

export interface ScpLevel {
  targetId: string;
  policies: OrgPolicy[];
}

/**
 * The service control policies that govern the principals of an account: one level per target on its path (the
 * root, each OU downwards, the account itself), each with the SCPs attached there. A request is allowed only if
 * every level allows it and no level denies it. Empty when SCPs do not apply: the account is outside the
 * organization, it is the management account (SCPs never restrict it), or the SCP type is not enabled.
 */
export function scpLevelsFor(org: OrgState, accountId: string): ScpLevel[] {
  const account = own(org.accounts, accountId);
  if (!account || accountId === org.managementAccountId || !org.enabledPolicyTypes.includes("SERVICE_CONTROL_POLICY")) return [];
  const scps = Object.values(org.policies).filter((p) => p.type === "SERVICE_CONTROL_POLICY");
  // A hand-built world without the AWS-managed policy still behaves as AWS: FullAWSAccess everywhere.
  if (!own(org.policies, FULL_AWS_ACCESS_POLICY_ID)) {
    const managed = awsManagedPolicyFor("SERVICE_CONTROL_POLICY")!;
    managed.targets = [org.rootId, ...Object.keys(org.ous), ...Object.keys(org.accounts)];
    scps.unshift(managed);
  }
  const targets = [org.rootId, ...ancestorsOf(org, account.parentId), accountId];
  return targets.map((targetId) => ({ targetId, policies: scps.filter((p) => p.targets.includes(targetId)) }));
}
