// A vault's `allow_copy_from` block as access-policy statements [S4], and whether it already lets a given
// source account copy in (a route then needs no statement of its own).
import { isUnknown } from "../config/expr/types.js";
import type { AllowCopyFrom, VaultDecl } from "../config/model.js";
import type { PolicyStatement } from "./attributes.js";
import { accountIdOf, report, type DeriveContext } from "./derive-context.js";
import { copyIntoFromAccounts, copyIntoFromOrganization, copyIntoFromOrgPaths, copyIntoFromRoles, PENDING_ORG_ID, stringLike } from "./policy-statements.js";

/** Sid suffixes of the statements allow_copy_from derives. */
export const ALLOW_SIDS = { accounts: "CopyFromAccounts", roles: "CopyFromRoles", organization: "OrgCopyInto", orgPaths: "OrgPathsCopyInto" } as const;

/** Sid suffix of the statement a copy route adds for its source account. */
export function routeSid(sourceAccount: string): string {
  return `CopyInto${sourceAccount}`;
}

/** The statements of allow_copy_from, in no particular order (the vault policy sorts them). */
export function allowCopyFromStatements(ctx: DeriveContext, vault: VaultDecl, allow: AllowCopyFrom): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  if (isUnknown(allow.accounts)) {
    report(ctx, {
      severity: "error", code: "value-unknown", pos: allow.pos, address: allow.address, rule: "[S4]",
      summary: `the accounts allowed to copy into ${vault.address} are not known yet (${allow.accounts.reason})`,
      detail: "They depend on the live organization: run plan with access to the management account.",
    });
  } else {
    const ids = allow.accounts.flatMap((a) => accountIdOf(ctx, a, allow) ?? []);
    if (ids.length > 0) out.push(copyIntoFromAccounts(ctx.prefix + ALLOW_SIDS.accounts, ids));
  }
  if (allow.roles.length > 0) out.push(copyIntoFromRoles(ctx.prefix + ALLOW_SIDS.roles, allow.roles));
  if (allow.organization) {
    if (!ctx.org) {
      report(ctx, {
        severity: "warning", code: "organization-id-unknown", pos: allow.pos, address: allow.address, rule: "[S4]",
        summary: `the organization id for ${vault.address}'s access policy is known only after reading the organization`,
        detail: "The statement is planned with the id pending; plan with access to the management account to see it.",
      });
    }
    out.push(copyIntoFromOrganization(ctx.prefix + ALLOW_SIDS.organization, ctx.org ? ctx.org.organizationId : PENDING_ORG_ID));
  }
  if (allow.orgPaths.length > 0) out.push(copyIntoFromOrgPaths(ctx.prefix + ALLOW_SIDS.orgPaths, allow.orgPaths));
  return out;
}

/**
 * Whether allow_copy_from already lets the source account copy in: it names the account, allows the whole
 * organization (the copy needs both accounts in it anyway [S1]), or an org path matches the account's.
 * Without the organization's facts an org path cannot be matched, so the route keeps its own statement.
 */
export function allowsAccount(ctx: DeriveContext, allow: AllowCopyFrom | undefined, sourceAccount: string): boolean {
  if (!allow) return false;
  if (allow.organization) return true;
  if (!isUnknown(allow.accounts) && allow.accounts.some((a) => (a.kind === "account_id" ? a.id : ctx.config.accounts.find((d) => d.name === a.name)?.id) === sourceAccount)) return true;
  const path = ctx.org?.accountPaths[sourceAccount];
  return path !== undefined && allow.orgPaths.some((p) => stringLike(p, path));
}
