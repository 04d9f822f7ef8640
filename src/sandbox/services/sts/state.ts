// Credentials the sandbox issued (AssumeRole). Owned by the sts service.

export interface IssuedCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleArn: string;
  sessionName: string;
  expiresAt: number;
}

export interface IdentityState {
  /** Access key id -> account for keys the fixture maps (keys the sandbox did not issue default to management). */
  staticKeys: Record<string, string>;
  issued: Record<string, IssuedCredential>;
  /** Assumable roles per account: role name list (every member has OrganizationAccountAccessRole). */
  roles: Record<string, string[]>;
}
