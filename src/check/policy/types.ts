// The policy language subset crossvault evaluates, and the shape of a request and a decision.
// Shared by the sandbox (which enforces copy jobs) and the copy-route check (which predicts them).

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement | Statement[];
}

export type ConditionValues = string | string[] | boolean | number | Array<boolean | number>;

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, ConditionValues>>;
}

export type PrincipalBlock =
  | "*"
  | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[] };

export type ContextValue = string | string[] | boolean | number;

export interface AuthzRequest {
  /** arn: a role ARN or `arn:aws:iam::ACCOUNT:root`. */
  principal: { accountId: string; arn: string } | { service: string };
  /** e.g. `backup:CopyIntoBackupVault`. */
  action: string;
  /** The ARN of the resource acted on. */
  resource: string;
  /** Condition keys (looked up case-insensitively) to their values; arrays are multi-valued keys. */
  context: Record<string, ContextValue>;
}

export interface StatementRef {
  /** The label of the policy holding the statement. */
  policy: string;
  sid?: string;
  /** Zero-based position of the statement in its policy. */
  index: number;
  effect: "Allow" | "Deny";
}

export interface PolicyDecision {
  decision: "allow" | "explicit-deny" | "implicit-deny";
  /** The statement that decides: the first matching Deny, else the first matching Allow. */
  deciding?: StatementRef;
  /** Every statement that applied to the request. */
  matched: StatementRef[];
}

export interface LabelledPolicy {
  label: string;
  /** A parsed document, or its JSON text. */
  document: PolicyDocument | string;
}

export interface ScpLevel {
  /** The root, OU or account id the policies are attached to. */
  target: string;
  policies: LabelledPolicy[];
}
