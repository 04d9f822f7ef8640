// Organization state (global, one per sandbox). Owned by the organizations service.
import type { Eventual } from "../../world.js";

export interface OrgUnit {
  id: string;
  name: string;
  parentId: string;
}

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  parentId: string;
  status: "ACTIVE" | "SUSPENDED";
  joinedAt: number;
}

export interface OrgPolicy {
  id: string;
  arn: string;
  name: string;
  description: string;
  type: "SERVICE_CONTROL_POLICY";
  content: string;
  awsManaged: boolean;
  tags: Record<string, string>;
  /** Target ids (root, OU or account) the policy is attached to. */
  targets: string[];
}

export interface OrgState {
  organizationId: string;
  arn: string;
  managementAccountId: string;
  rootId: string;
  ous: Record<string, OrgUnit>;
  accounts: Record<string, OrgAccount>;
  /** Accounts that exist (can sign requests) but are not in the organization. */
  outsideAccounts: string[];
  /** Service principals with trusted access, e.g. `backup.amazonaws.com` -> enabled date. */
  serviceAccess: Eventual<Record<string, number>>;
  /** Policy types enabled at the root. */
  enabledPolicyTypes: string[];
  policies: Record<string, OrgPolicy>;
}
