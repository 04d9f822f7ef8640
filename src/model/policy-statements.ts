// The policy statements crossvault writes: who may copy into a vault [S4] (§6.4 of the behaviour sheet) and
// which destination accounts may use a source key [S5] (§6.2). Built directly in normal form (policy-normal.ts)
// and least privilege: a statement with Principal "*" always carries an organization condition.
import type { PolicyStatement } from "./attributes.js";
import { accountRootArn, sortedSet } from "./policy-normal.js";
import type { Pending } from "./resource.js";

export const COPY_INTO_ACTION = "backup:CopyIntoBackupVault";

/** §6.2: what a destination account needs to read and re-encrypt a copy made with the source key. */
export const KEY_USE_ACTIONS = sortedSet(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]);
/** §6.2: grants, only for AWS resources (AWS Backup creates grants while copying). */
export const KEY_GRANT_ACTIONS = sortedSet(["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);

export const ORG_ID_KEY = "aws:PrincipalOrgID";
export const ORG_PATHS_KEY = "aws:PrincipalOrgPaths";

/**
 * The organization id when it is not known yet (the organization was not read): the statement keeps its
 * condition, with the value to be filled in after refresh, rather than losing it or inventing one.
 */
export const PENDING_ORG_ID: Pending = { $pending: { address: "organization", attribute: "id" } };

/** Sid suffixes must be alphanumeric (IAM and KMS reject other characters in Sids). */
export function sidSuffix(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, "");
}

function copyInto(sid: string, principal: PolicyStatement["Principal"], condition?: PolicyStatement["Condition"]): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Principal: principal!, Action: [COPY_INTO_ACTION], Resource: ["*"], ...(condition ? { Condition: condition } : {}) };
}

/** [S4] the account roots may copy into the vault. */
export function copyIntoFromAccounts(sid: string, accountIds: readonly string[]): PolicyStatement {
  return copyInto(sid, { AWS: sortedSet(accountIds.map(accountRootArn)) });
}

/** [S4] these roles may copy into the vault. */
export function copyIntoFromRoles(sid: string, roleArns: readonly string[]): PolicyStatement {
  return copyInto(sid, { AWS: sortedSet(roleArns) });
}

/**
 * [S4] any principal of the organization (§6.4 "whole organization"). With the id still unknown the
 * condition value is PENDING_ORG_ID, which is why the value type is wider than PolicyStatement's.
 */
export function copyIntoFromOrganization(sid: string, organizationId: string | Pending): PolicyStatement {
  const value = typeof organizationId === "string" ? [organizationId] : organizationId;
  return copyInto(sid, "*", { StringEquals: { [ORG_ID_KEY]: value as unknown as string[] } });
}

/** [S4] any principal in these organizational units (§6.4 "organizational units"). */
export function copyIntoFromOrgPaths(sid: string, orgPaths: readonly string[]): PolicyStatement {
  return copyInto(sid, "*", { "ForAnyValue:StringLike": { [ORG_PATHS_KEY]: sortedSet(orgPaths) } });
}

/** [S5] the two statements (§6.2) letting one destination account use a source key, Sids by account. */
export function keyShareStatements(prefix: string, destinationAccount: string): PolicyStatement[] {
  const principal = { AWS: [accountRootArn(destinationAccount)] };
  return [
    { Sid: `${prefix}Grants${sidSuffix(destinationAccount)}`, Effect: "Allow", Principal: principal, Action: KEY_GRANT_ACTIONS, Resource: ["*"], Condition: { Bool: { "kms:GrantIsForAWSResource": ["true"] } } },
    { Sid: `${prefix}Use${sidSuffix(destinationAccount)}`, Effect: "Allow", Principal: { AWS: [...principal.AWS] }, Action: KEY_USE_ACTIONS, Resource: ["*"] },
  ];
}

/**
 * True when an Allow statement opens to everyone: Principal "*" (or an AWS "*") with no organization
 * condition. crossvault never derives one; the property test and the route check use this to prove it.
 */
export function allowsEveryone(statement: PolicyStatement): boolean {
  if (statement.Effect !== "Allow") return false;
  const p = statement.Principal;
  const open = p === "*" || (p !== undefined && (p.AWS ?? []).includes("*"));
  if (!open) return false;
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block).map((k) => k.toLowerCase()));
  return !keys.includes(ORG_ID_KEY.toLowerCase()) && !keys.includes(ORG_PATHS_KEY.toLowerCase());
}

/** `StringLike` matching as IAM does it: `*` any run of characters, `?` one character, case-sensitive. */
export function stringLike(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}
