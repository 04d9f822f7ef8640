// The attributes of each resource type: the contract between derive (desired), the AWS readers (live),
// diff and the writers. Both sides must produce exactly these names and normal forms, so that an unchanged
// resource diffs to nothing: lists in a stable order, absent optional values omitted (never undefined), tags
// without crossvault's ownership tags, numbers as numbers, policy statements in PolicyStatement normal form.
import type { AttrValue, Pending } from "./resource.js";

/** A policy statement in normal form: Action/Resource/principal lists sorted and always arrays,
 *  Condition values always arrays (sorted), keys of Condition blocks as written. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS?: string[]; Service?: string[] };
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

/** org_trust, address `org_trust`, region "global", the management account. */
export interface OrgTrustAttributes {
  service_principal: "backup.amazonaws.com";
  enabled: boolean;
}

/**
 * org_trust at address `org_trust.scp_policy_type`, region "global", the management account: a policy type
 * enabled at the organization's root, managed like trusted access (turned on when a guardrail needs it,
 * never turned off by destroy). Identity `org_trust:policy_type/SERVICE_CONTROL_POLICY`.
 */
export interface PolicyTypeAttributes {
  policy_type: "SERVICE_CONTROL_POLICY";
  enabled: boolean;
}

/** cross_account_setting, address `cross_account_setting`, the management account, region = home region. */
export interface CrossAccountSettingAttributes {
  enabled: boolean;
}

/** kms_key, address `kms_key.NAME` (or `kms_key.NAME["key"]`). deletion_window_days is write-only. */
export interface KmsKeyAttributes {
  alias: string;
  description: string;
  enable_key_rotation: boolean;
  tags: Record<string, string>;
  deletion_window_days: number;
  /** Known after create. */
  arn: string | Pending;
}

/** key_share, address `key_share.KEYNAME->DESTACCOUNT` (KEYNAME as in the key's address without `kms_key.`). */
export interface KeyShareAttributes {
  /** The key whose policy holds the statements. */
  key_arn: string | Pending;
  destination_account: string;
  /** The stack's statements for this share, Sids carrying the stack's prefix. */
  statements: PolicyStatement[];
}

/** vault, address `vault.NAME`. Changing name or encryption_key_arn replaces it. */
export interface VaultAttributes {
  name: string;
  encryption_key_arn: string | Pending;
  tags: Record<string, string>;
  arn: string;
}

/** vault_policy, address `vault_policy.NAME`: only the stack's statements (foreign ones are preserved). */
export interface VaultPolicyAttributes {
  vault_name: string;
  statements: PolicyStatement[];
}

/** vault_lock, address `vault_lock.NAME`. changeable_for_days is write-only (AWS returns a LockDate instead). */
export interface VaultLockAttributes {
  vault_name: string;
  min_retention_days?: number;
  max_retention_days?: number;
  changeable_for_days?: number;
}

export interface LifecycleAttributes {
  move_to_cold_storage_after_days?: number;
  delete_after_days?: number;
}

export interface CopyActionAttributes {
  destination_vault_arn: string;
  lifecycle?: LifecycleAttributes;
}

export interface BackupRuleAttributes {
  name: string;
  target_vault: string;
  schedule: string;
  schedule_timezone?: string;
  start_window_minutes: number;
  completion_window_minutes: number;
  enable_continuous_backup: boolean;
  lifecycle?: LifecycleAttributes;
  recovery_point_tags: Record<string, string>;
  /** Sorted by destination_vault_arn. */
  copy_actions: CopyActionAttributes[];
}

/** backup_plan, address `backup_plan.NAME` or `backup_plan.NAME["key"]`. Rules sorted by name. */
export interface BackupPlanAttributes {
  name: string;
  windows_vss: boolean;
  rules: BackupRuleAttributes[];
  tags: Record<string, string>;
  /** Known after create. */
  id: string | Pending;
}

/** backup_selection, address `backup_selection.PLAN.SELECTION` / `backup_selection.PLAN["key"].SELECTION`. */
export interface BackupSelectionAttributes {
  plan_id: string | Pending;
  name: string;
  iam_role_arn: string;
  resources: string[];
  not_resources: string[];
  /** Sorted by key then value. */
  tags: Array<{ type: "STRINGEQUALS"; key: string; value: string }>;
}

/** A service control policy document in normal form: statements in PolicyStatement normal form (no
 *  Principal: SCPs have none), sorted by Sid. */
export interface ScpDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/**
 * guardrail, address `guardrail.NAME` / `guardrail.NAME["key"]`, region "global", the management account;
 * identity by SCP name (`guardrail:MGMT/global/NAME`). `kind` is not stored in AWS: the reader recognises it
 * from the statements' Sids (guardrail-policies.ts), and omits it for a document it does not recognise.
 */
export interface GuardrailAttributes {
  /** The SCP's name, `crossvault-STACK-NAME` (`-KEY` for a for_each instance), at most 128 characters. */
  name: string;
  description: string;
  kind: "require_destination_tag" | "restrict_copy_targets" | "restrict_copy_target_ous" | "deny_leave_organization";
  policy: ScpDocument;
  /** Root, OU and account ids the SCP is attached to, sorted. */
  targets: string[];
  /** Without crossvault's ownership tags (the config declares none for guardrails: always {}). */
  tags: Record<string, string>;
}

/** Defaults AWS fills in on read; derive fills the same, so an omitted config value does not diff. */
export const BACKUP_RULE_DEFAULTS = {
  schedule: "cron(0 5 ? * * *)",
  start_window_minutes: 480,
  completion_window_minutes: 10080,
} as const;

/** The zone AWS reports for a rule without ScheduleExpressionTimezone: both sides omit schedule_timezone
 *  when it is this value, so writing it explicitly or not never makes a diff. */
export const DEFAULT_SCHEDULE_TIMEZONE = "Etc/UTC";

/** Cast a typed attribute record to the generic form resources carry. */
export function asAttributes<T extends object>(a: T): Record<string, AttrValue> {
  return a as unknown as Record<string, AttrValue>;
}

/**
 * vault.encryption_key_arn of a vault encrypted with the AWS managed key (a vault declared without kms_key):
 * AWS reports that key's ARN, which differs per account and Region, so both sides use this alias instead
 * (a reader maps a key whose KeyManager is AWS and whose alias is alias/aws/backup to it). Writers omit
 * EncryptionKeyArn when creating such a vault.
 */
export const AWS_MANAGED_BACKUP_KEY = "alias/aws/backup";
