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
  /**
   * Every service control policy of the organization (this stack's, other owners', AWS's FullAWSAccess), with
   * its targets (root, OU and account ids) and its document as parsed JSON (the text itself when it is not
   * JSON). Filled by the live read (read-guardrails.ts); absent when the policies were not read.
   */
  scps?: ScpFact[];
  /** Whether SERVICE_CONTROL_POLICY is enabled at the root (absent when not read). While it is not, no SCP applies. */
  scpEnabled?: boolean;
}

export interface ScpFact {
  id: string;
  name: string;
  document: unknown;
  targets: string[];
  aws_managed: boolean;
}

export function isMember(org: OrgFacts, accountId: string): boolean {
  return accountId in org.accountPaths;
}
