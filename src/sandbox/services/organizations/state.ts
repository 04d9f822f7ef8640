// Organization state (global, one per sandbox). Owned by the organizations service.
import type { Eventual } from "../../world.js";

export type PolicyType =
  | "SERVICE_CONTROL_POLICY"
  | "RESOURCE_CONTROL_POLICY"
  | "TAG_POLICY"
  | "BACKUP_POLICY"
  | "AISERVICES_OPT_OUT_POLICY"
  | "CHATBOT_POLICY"
  | "DECLARATIVE_POLICY_EC2";

export const POLICY_TYPES: readonly PolicyType[] = [
  "SERVICE_CONTROL_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "TAG_POLICY",
  "BACKUP_POLICY",
  "AISERVICES_OPT_OUT_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
];

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
  /** Defaults to CREATED (the management account: INVITED is never reported for it). */
  joinedMethod?: "INVITED" | "CREATED";
}

export interface OrgPolicy {
  id: string;
  arn: string;
  name: string;
  description: string;
  type: PolicyType;
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
  /** Absent means ALL (SCPs and trusted access need it). */
  featureSet?: "ALL" | "CONSOLIDATED_BILLING";
  /** Tags of the root, OUs and accounts, by id (policy tags live on the policy). */
  resourceTags?: Record<string, Record<string, string>>;
  /** Delegated administrators: account id -> service principal -> registration time. */
  delegatedAdministrators?: Record<string, Record<string, number>>;
}

export const FULL_AWS_ACCESS_POLICY_ID = "p-FullAWSAccess";
export const RCP_FULL_AWS_ACCESS_POLICY_ID = "p-RCPFullAWSAccess";

const FULL_ACCESS_CONTENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, null, 2);
const RCP_FULL_ACCESS_CONTENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }, null, 2);

/** The AWS-managed policy AWS attaches to every target when a policy type is enabled (only SCPs and RCPs have one). */
export function awsManagedPolicyFor(type: string): OrgPolicy | undefined {
  if (type === "SERVICE_CONTROL_POLICY") {
    return {
      id: FULL_AWS_ACCESS_POLICY_ID, arn: `arn:aws:organizations::aws:policy/service_control_policy/${FULL_AWS_ACCESS_POLICY_ID}`,
      name: "FullAWSAccess", description: "Allows access to every operation", type, content: FULL_ACCESS_CONTENT,
      awsManaged: true, tags: {}, targets: [],
    };
  }
  if (type === "RESOURCE_CONTROL_POLICY") {
    return {
      id: RCP_FULL_AWS_ACCESS_POLICY_ID, arn: `arn:aws:organizations::aws:policy/resource_control_policy/${RCP_FULL_AWS_ACCESS_POLICY_ID}`,
      name: "RCPFullAWSAccess", description: "Allows access to every operation", type, content: RCP_FULL_ACCESS_CONTENT,
      awsManaged: true, tags: {}, targets: [],
    };
  }
  return undefined;
}

/** A record's own entry (ids come from requests: `constructor` must not find Object's). */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Every root, OU and account id of the organization, root first. */
export function allTargetIds(org: OrgState): string[] {
  return [org.rootId, ...Object.keys(org.ous), ...Object.keys(org.accounts)];
}

/**
 * Makes the AWS-managed policies exist, and attached everywhere for each enabled type that has one (as AWS does
 * when the type is enabled). Idempotent: a world built from a fixture may call it once; the service calls it
 * before every operation so a hand-built world behaves the same.
 */
export function seedOrgPolicies(org: OrgState): void {
  for (const type of ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]) {
    const managed = awsManagedPolicyFor(type)!;
    if (org.policies[managed.id]) continue;
    if (type === "RESOURCE_CONTROL_POLICY" && !org.enabledPolicyTypes.includes(type)) continue;
    if (org.enabledPolicyTypes.includes(type)) managed.targets = allTargetIds(org);
    org.policies[managed.id] = managed;
  }
}
