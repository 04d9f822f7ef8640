// What the engine knows of the live organization: read once per plan (providers/aws), consumed by derive
// (org-wide sharing, org paths, `accounts_in_ou`) and by the copy-route check.

export interface OrgFacts {
  organizationId: string;
  managementAccountId: string;
  rootId: string;
  /** Every member account id -> its org path `o-.../r-.../ou-.../` (the form aws:PrincipalOrgPaths uses). */
  accountPaths: Record<string, string>;
  /** OU id -> the member account ids directly or indirectly under it. */
  accountsByOu: Record<string, string[]>;
  /** OU id -> its org path (ending with the OU's own id and `/`). */
  ouPaths: Record<string, string>;
}

export function isMember(org: OrgFacts, accountId: string): boolean {
  return accountId in org.accountPaths;
}
