// Credentials the sandbox issued (AssumeRole) and the roles that can be assumed. Owned by the sts service.

export interface IssuedCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleArn: string;
  sessionName: string;
  expiresAt: number;
  /** When the session began (sandbox ms); absent in worlds saved before it was recorded. */
  issuedAt?: number;
}

export interface IdentityState {
  /** Access key id -> account for keys the fixture maps (keys the sandbox did not issue default to management). */
  staticKeys: Record<string, string>;
  issued: Record<string, IssuedCredential>;
  /** Assumable roles per account: role name list (every member has OrganizationAccountAccessRole). */
  roles: Record<string, string[]>;
}

/** The role AWS Organizations creates in the accounts it creates; it trusts the management account [D]. */
export const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";

/** A role's MaxSessionDuration: AWS's default of one hour (the sandbox does not model per-role settings) [D]. */
export const MAX_SESSION_SECONDS = 3600;
