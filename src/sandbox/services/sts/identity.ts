// Who a request comes from: the caller behind an access key (for the protocol layer), the ids AWS shows for
// assumed roles, and the roles an account has.
import type { Caller } from "../../service.js";
import type { World } from "../../world.js";
import type { IssuedCredential } from "./state.js";
import { createHash } from "node:crypto";
import { ORGANIZATION_ACCESS_ROLE } from "./state.js";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A stable `AROA…` unique id per role, as IAM gives every role one (21 characters). */
export function roleUniqueId(accountId: string, roleName: string): string {
  const digest = createHash("sha256").update(`${accountId}/${roleName}`).digest();
  return `AROA${Array.from(digest.subarray(0, 17), (b) => BASE32[b % 32]).join("")}`;
}

export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** The last path segment of a role ARN is its name (`arn:aws:iam::1:role/path/Name` -> `Name`). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

/**
 * The roles an account has: the world's list when it names the account, otherwise AWS's default, which is
 * `OrganizationAccountAccessRole` in every member account but the management account.
 */
export function rolesOf(world: World, accountId: string): string[] {
  const listed = world.identity.roles[accountId];
  if (listed) return listed;
  const org = world.org;
  return org.accounts[accountId] && accountId !== org.managementAccountId ? [ORGANIZATION_ACCESS_ROLE] : [];
}

/** The issued credential behind an access key id, if the sandbox issued it (expired ones included). */
export function issuedCredential(world: World, accessKeyId: string): IssuedCredential | undefined {
  return world.identity.issued[accessKeyId];
}

/**
 * The caller behind an access key id: an assumed role for keys AssumeRole issued, otherwise the root of the
 * account the fixture maps the key to, or of the management account.
 */
export function callerForAccessKey(world: World, accessKeyId: string): Caller {
  const issued = world.identity.issued[accessKeyId];
  if (issued) {
    return { accessKeyId, accountId: issued.accountId, arn: assumedRoleArn(issued.accountId, roleNameOf(issued.roleArn), issued.sessionName), roleArn: issued.roleArn };
  }
  const accountId = world.identity.staticKeys[accessKeyId] ?? world.org.managementAccountId;
  return { accessKeyId, accountId, arn: `arn:aws:iam::${accountId}:root` };
}
