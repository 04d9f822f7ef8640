// The copy-route check's inputs and its picture of one state of the organization (a "route world"): what it
// needs to know of each route's ends (vaults, keys, policies), of the organization (members, paths, trusted
// access, the cross-account setting, service control policies) and the routes themselves. Two worlds are
// built per plan: as it is now (live) and as it will be after apply (planned). Pure data, no AWS.
import type { OrgFacts } from "../../model/org.js";

/** A value that was read, or why it could not be: the rules that need it answer `unknown`. */
export type Readable<T> = { ok: true; value: T } | { ok: false; reason: string };

export function readable<T>(value: T): Readable<T> {
  return { ok: true, value };
}

export function unreadable<T>(reason: string): Readable<T> {
  return { ok: false, reason };
}

/** `ACCOUNT/REGION/NAME`: how the worlds key vaults. */
export function vaultKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

/** A key the plan creates, before it has an ARN: `pending:kms_key.central`. */
export function pendingKeyRef(address: string): string {
  return `pending:${address}`;
}

/** What the reader found of one vault at a route's end (facts as AWS returned them). */
export interface VaultFact {
  arn: string;
  encryptionKeyArn: string;
  tags: Record<string, string>;
  /** The access policy's JSON text; absent when the vault has none. */
  policy?: string;
  minRetentionDays?: number;
  maxRetentionDays?: number;
}

/** What the reader found of one KMS key. */
export interface KeyFact {
  arn: string;
  manager: "CUSTOMER" | "AWS";
  /** `Enabled`, `Disabled`, `PendingDeletion`, ... */
  state: string;
  /** The key policy's JSON text (customer managed keys only). */
  policy?: string;
}

export interface OrgSettings {
  /** Trusted access for backup.amazonaws.com [S2]. */
  trustedAccess: boolean;
  /** isCrossAccountBackupEnabled in the management account [S2]. */
  crossAccountBackup: boolean;
}

/**
 * The documents the check reads beside the engine's live read: whole vault access policies and key policies
 * (the live read keeps only the stack's statements), vaults the stack does not own, key metadata, and the two
 * organization settings. `null`: looked for, not there.
 */
export interface RouteFacts {
  settings: Readable<OrgSettings>;
  /** By vaultKey(). */
  vaults: Record<string, Readable<VaultFact | null>>;
  /** By key ARN. */
  keys: Record<string, Readable<KeyFact | null>>;
}

/** One service control policy with the roots, OUs and accounts it is attached to. */
export interface ServiceControlPolicy {
  id: string;
  name: string;
  /** The policy document (parsed JSON), or its text when it does not parse. */
  document: unknown;
  targets: string[];
  /** Config address of the guardrail that manages it (`guardrail.copy_targets`), if any. */
  address?: string;
}

export interface ScpState {
  /** SERVICE_CONTROL_POLICY enabled at the root: while it is not, no SCP applies. */
  enabled: boolean;
  policies: ServiceControlPolicy[];
}

/** A statement list as the evaluator takes it (each statement a JSON object as written). */
export type PolicyStatements = unknown[];

export interface WorldVault {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  /** A key ARN, `alias/aws/backup` (the AWS managed key), or pendingKeyRef() for a key the plan creates. */
  keyRef: string;
  tags: Record<string, string>;
  /** Access policy statements; absent: the vault has no access policy. */
  policy?: PolicyStatements;
  minRetentionDays?: number;
  maxRetentionDays?: number;
  /** `vault.central`, where the config declares the vault. */
  address?: string;
  /** `vault_policy.central`, where the stack manages statements in its policy. */
  policyAddress?: string;
}

export interface WorldKey {
  /** The key ARN (a placeholder ARN for a key the plan creates). */
  arn: string;
  accountId: string;
  manager: "CUSTOMER" | "AWS";
  state: string;
  /** Key policy statements (customer managed keys). */
  policy?: PolicyStatements;
  address?: string;
  /** Destination account -> `key_share.local->333333333333`, for the shares the stack manages in this key. */
  shares: Record<string, string>;
}

export interface Lifecycle {
  moveToColdStorageAfterDays?: number;
  deleteAfterDays?: number;
}

/** What the selections of a route's plan back up. */
export interface SelectedResources {
  /** Resource ARNs and ARN patterns of the plan's selections (minus not_resources). */
  patterns: string[];
  /** A selection picks resources by tags only: any type may be selected. */
  byTags: boolean;
  /** The IAM roles the selections back up (and copy) with. */
  roles: string[];
}

/** One copy route: a backup plan rule's copy action. */
export interface CopyRoute {
  /** `222222222222/eu-west-1/local -> 333333333333/eu-west-1/central`. */
  id: string;
  /** `backup_plan.daily["prod"].rule.daily`. */
  address: string;
  planAddress: string;
  rule: string;
  source: { accountId: string; region: string; vault: string };
  destinationArn: string;
  /** Parsed from the ARN; undefined when it is not a vault ARN. */
  destination?: { accountId: string; region: string; vault: string };
  ruleLifecycle?: Lifecycle;
  copyLifecycle?: Lifecycle;
  continuous: boolean;
  /** The rule's recovery_point_tags: the aws:ResourceTag/* of backup:CopyFromBackupVault. */
  recoveryPointTags: Record<string, string>;
  selected: SelectedResources;
  /** share_keys of the copy block: key ARNs (or pendingKeyRef() for keys the plan creates). */
  shareKeys: string[];
  /** What makes two versions of the route the same route (lifecycles, selections): for `change`. */
  definition: string;
}

export interface RouteWorld {
  /** undefined: the organization could not be read. */
  org: OrgFacts | undefined;
  scps: Readable<ScpState>;
  settings: Readable<OrgSettings>;
  /** By vaultKey(); a missing entry was not read (unknown), a `null` value does not exist. */
  vaults: Map<string, Readable<WorldVault | null>>;
  /** By key ARN, `alias/aws/backup` or pendingKeyRef(). */
  keys: Map<string, Readable<WorldKey | null>>;
  routes: CopyRoute[];
  /** The stack's Sid prefix: statements carrying it are the stack's. */
  sidPrefix: string;
}
