// The declared configuration: the typed, validated result of loading an HCL directory, which the engine
// consumes. Every declaration carries its address and source position. References to declared resources are
// typed references (resolve them against the lists here); values that only apply or the live organization
// can tell are UnknownValue.
import type { SourcePos } from "./diagnostics.js";
import type { UnknownValue, Value } from "./expr/types.js";

export type { UnknownValue, Value } from "./expr/types.js";

/** A value that may be known only after apply or after reading the live organization. */
export type Known<T> = T | UnknownValue;

export interface Decl {
  /** e.g. `vault.central`, `backup_plan.daily["prod"]`, `backup_plan.daily["prod"].rule.daily.copy[0]`. */
  address: string;
  pos: SourcePos;
}

/** A reference to a declared block; `key` names the instance of a block with `for_each`. */
export interface ResourceRef<K extends ResourceKind> {
  kind: K;
  name: string;
  key?: string;
}

export type ResourceKind = "account" | "kms_key" | "vault" | "backup_plan" | "guardrail";

export type AccountRef = ResourceRef<"account">;
export type KmsKeyRef = ResourceRef<"kms_key">;
export type VaultRef = ResourceRef<"vault">;

/** A declared account, or a bare 12-digit id (e.g. from `accounts_in_ou`) reached through `assume_role_name`. */
export type AccountTarget = AccountRef | { kind: "account_id"; id: string };

export type KmsKeyTarget = KmsKeyRef | { kind: "kms_key_arn"; arn: string };

export interface Settings extends Decl {
  stack: string;
  managementAccount: AccountRef;
  assumeRoleName: string;
  defaultRegion?: string;
}

export type VariableType =
  | { kind: "string" | "number" | "bool" | "any" }
  | { kind: "list" | "set" | "map"; element: VariableType };

export interface VariableDecl extends Decl {
  name: string;
  type: VariableType;
  description?: string;
  /** The value in effect: --var, --var-file, CROSSVAULT_VAR_name or the default. */
  value: Value;
  source: "default" | "env" | "var-file" | "cli";
}

export interface AccountDecl extends Decl {
  name: string;
  id: string;
  roleArn?: string;
  profile?: string;
}

export interface OrganizationDecl extends Decl {
  /** [S2] trusted access for AWS Backup and the cross-account backup setting. */
  crossAccountBackup: boolean;
}

interface KmsKeyCommon extends Decl {
  name: string;
  key?: string;
}

/** A key crossvault creates (and tags with the stack). */
export interface CreatedKmsKey extends KmsKeyCommon {
  mode: "created";
  account: AccountTarget;
  region: string;
  alias: string;
  description?: string;
  deletionWindowDays: number;
  enableKeyRotation: boolean;
  tags: Record<string, string>;
  arn: UnknownValue;
}

/** An existing key named by ARN: not created, but its shares are still managed. */
export interface ExistingKmsKey extends KmsKeyCommon {
  mode: "existing";
  arn: string;
  account: { kind: "account_id"; id: string };
  region: string;
}

export type KmsKeyDecl = CreatedKmsKey | ExistingKmsKey;

export interface AllowCopyFrom extends Decl {
  accounts: Known<AccountTarget[]>;
  roles: string[];
  /** aws:PrincipalOrgID of the whole organization. */
  organization: boolean;
  /** aws:PrincipalOrgPaths, matched with ForAnyValue:StringLike. */
  orgPaths: string[];
}

export interface VaultLock extends Decl {
  minRetentionDays?: number;
  maxRetentionDays?: number;
  /** Absent: governance mode; present: compliance mode after this many days. */
  changeableForDays?: number;
}

export interface VaultDecl extends Decl {
  name: string;
  key?: string;
  account: AccountTarget;
  region: string;
  /** The AWS vault name (`name` attribute, default: the label). */
  vaultName: string;
  /** Absent: the AWS managed key aws/backup ([S3]: cannot receive cross-account copies). */
  kmsKey?: Known<KmsKeyTarget>;
  tags: Record<string, string>;
  allowCopyFrom?: AllowCopyFrom;
  lock?: VaultLock;
  preventDestroy: boolean;
  arn: string;
}

export interface Lifecycle extends Decl {
  moveToColdStorageAfterDays?: number;
  deleteAfterDays?: number;
}

/** A rule's target vault: a declared vault or an existing vault name in the plan's account and region. */
export type RuleVaultTarget = VaultRef | { kind: "vault_name"; name: string };

export type CopyDestination =
  | { kind: "vault"; vault: VaultRef }
  | { kind: "vault_arn"; arn: string; account: string; region: string; vaultName: string };

/** One `copy` block: the route a recovery point takes from a plan rule to another account's vault. */
export interface CopyRouteDecl extends Decl {
  source: { plan: string; key?: string; rule: string; planAddress: string };
  destination: CopyDestination;
  lifecycle?: Lifecycle;
  /** [S5][C3] keys whose policy must let the destination account use them. */
  shareKeys: KmsKeyTarget[];
}

export interface BackupRuleDecl extends Decl {
  name: string;
  vault: RuleVaultTarget;
  schedule?: string;
  scheduleTimezone?: string;
  startWindowMinutes?: number;
  completionWindowMinutes?: number;
  enableContinuousBackup: boolean;
  lifecycle?: Lifecycle;
  recoveryPointTags: Record<string, string>;
  copies: CopyRouteDecl[];
}

export interface SelectionTag {
  type: "STRINGEQUALS";
  key: string;
  value: string;
}

export interface SelectionDecl extends Decl {
  name: string;
  plan: { name: string; key?: string; planAddress: string };
  selectionName: string;
  iamRoleArn: string;
  resources: string[];
  notResources: string[];
  tags: SelectionTag[];
}

export interface BackupPlanDecl extends Decl {
  name: string;
  key?: string;
  account: AccountTarget;
  region: string;
  /** The AWS plan name (`name` attribute, default: the label). */
  planName: string;
  windowsVss: boolean;
  tags: Record<string, string>;
  rules: BackupRuleDecl[];
  selections: SelectionDecl[];
}

export type GuardrailKind = "restrict_copy_targets" | "require_destination_tag" | "restrict_copy_target_ous" | "deny_leave_organization";

export type GuardrailTarget = AccountTarget | { kind: "ou"; id: string } | { kind: "root"; id: string };

export type AllowedVault = VaultRef | { kind: "vault_arn_pattern"; pattern: string };

export interface GuardrailDecl extends Decl {
  name: string;
  key?: string;
  kind: GuardrailKind;
  /** The seed rule the policy implements: [G1], [G2], [G3] or [X3]. */
  rule: string;
  description?: string;
  targets: Known<GuardrailTarget[]>;
  /** restrict_copy_targets [G2]. */
  allowedVaults: AllowedVault[];
  /** restrict_copy_target_ous [G3]. */
  allowedOrgPaths: string[];
  /** require_destination_tag [G1]. */
  tagKey: string;
}

/** The kinds of resources an `import` block can adopt: those crossvault creates as whole AWS objects. */
export type AdoptableKind = "vault" | "kms_key" | "backup_plan";

/**
 * An `import` block: the existing same-named objects of the resource `to` names are adopted (taken over from
 * whoever made them) instead of being reported as in the way. `address` is the `to` address as written
 * canonically: `vault.central`, `vault.local["prod"]`, or `vault.local` for every instance.
 */
export interface ImportDecl extends Decl {
  to: ResourceRef<AdoptableKind> & {
    /** `to` names a `for_each` block without a key: every instance is adopted. */
    all?: boolean;
  };
  /** Addresses of the instances adopted; empty while the instances are known only after refresh. */
  instances: string[];
  /** The `id` given, already checked against the configuration's name for the object. */
  id?: string;
}

/** A block whose `for_each` is known only after reading the live organization (e.g. `accounts_in_ou`). */
export interface DeferredInstanceSet extends Decl {
  reason: string;
}

export interface Config {
  settings: Settings;
  variables: VariableDecl[];
  locals: Record<string, Value>;
  accounts: AccountDecl[];
  organization?: OrganizationDecl;
  kmsKeys: KmsKeyDecl[];
  vaults: VaultDecl[];
  backupPlans: BackupPlanDecl[];
  /** Every rule's copy blocks, flattened (also reachable through backupPlans[].rules[].copies). */
  copyRoutes: CopyRouteDecl[];
  /** Every plan's selections, flattened (also reachable through backupPlans[].selections). */
  selections: SelectionDecl[];
  guardrails: GuardrailDecl[];
  /** `import` blocks: what to adopt. */
  imports: ImportDecl[];
  deferred: DeferredInstanceSet[];
}

/** `vault.local["prod"]`: the address a reference points at. */
export function refAddress(ref: ResourceRef<ResourceKind>): string {
  return ref.key === undefined ? `${ref.kind}.${ref.name}` : `${ref.kind}.${ref.name}[${JSON.stringify(ref.key)}]`;
}

export function findAccount(config: Config, ref: AccountRef): AccountDecl | undefined {
  return config.accounts.find((a) => a.name === ref.name);
}

export function findVault(config: Config, ref: VaultRef): VaultDecl | undefined {
  return config.vaults.find((v) => v.name === ref.name && v.key === ref.key);
}

export function findKmsKey(config: Config, ref: KmsKeyRef): KmsKeyDecl | undefined {
  return config.kmsKeys.find((k) => k.name === ref.name && k.key === ref.key);
}
