// AWS Backup state, per account-region (vaults, plans, jobs) and per account (global settings).
// Owned by the backup service.
import type { Eventual } from "../../world.js";
import { eventual } from "../../world.js";

export interface BackupAccountState {
  /** UpdateGlobalSettings (management account only; organization-wide in effect). */
  globalSettings: Eventual<Record<string, string>>;
  /** When UpdateGlobalSettings last changed them (DescribeGlobalSettings' LastUpdateTime); absent until then. */
  globalSettingsUpdatedAt?: number;
}

export interface VaultLock {
  minRetentionDays?: number;
  maxRetentionDays?: number;
  changeableForDays?: number;
  lockDate?: number;
}

export interface RecoveryPoint {
  arn: string;
  resourceArn: string;
  resourceType: string;
  vaultName: string;
  createdAt: number;
  completedAt?: number;
  status: "COMPLETED" | "PARTIAL" | "DELETING" | "EXPIRED";
  storageClass: "WARM" | "COLD" | "DELETED";
  encryptionKeyArn: string;
  iamRoleArn: string;
  lifecycle: { MoveToColdStorageAfterDays?: number; DeleteAfterDays?: number };
  sourceBackupVaultArn?: string;
  createdBy?: Record<string, string>;
  /** TagResource / ListTags on the recovery point's ARN. */
  tags?: Record<string, string>;
}

export interface Vault {
  name: string;
  arn: string;
  encryptionKeyArn: string;
  creatorRequestId?: string;
  createdAt: number;
  tags: Record<string, string>;
  /** Access policy as stored (JSON text), absent when none. */
  policy?: string;
  lock?: VaultLock;
  recoveryPoints: Record<string, RecoveryPoint>;
}

export interface BackupPlanVersion {
  versionId: string;
  /** The stored document in the model's `BackupPlan` shape: every rule has its `RuleId` and the defaults AWS fills in. */
  plan: Record<string, any>;
  createdAt: number;
}

export interface BackupPlanRecord {
  id: string;
  arn: string;
  creatorRequestId?: string;
  createdAt: number;
  deletedAt?: number;
  lastExecutionAt?: number;
  tags: Record<string, string>;
  versions: BackupPlanVersion[];
}

export interface BackupSelectionRecord {
  id: string;
  planId: string;
  creatorRequestId?: string;
  createdAt: number;
  /** The model's `BackupSelection` shape, as given (selections are immutable). */
  selection: Record<string, any>;
}

export interface JobRecord {
  id: string;
  kind: "backup" | "copy";
  state: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "ABORTED";
  createdAt: number;
  completedAt?: number;
  statusMessage?: string;
  messageCategory?: string;
  /** Everything else the Describe*Job output needs, in model member names. */
  details: Record<string, any>;
}

export interface BackupRegionState {
  vaults: Record<string, Vault>;
  plans: Record<string, BackupPlanRecord>;
  selections: Record<string, BackupSelectionRecord>;
  jobs: Record<string, JobRecord>;
}

export function vaultArn(accountId: string, region: string, name: string): string {
  return `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`;
}

export function emptyBackupAccountState(now: number): BackupAccountState {
  return { globalSettings: eventual({ isCrossAccountBackupEnabled: "false", isMpaEnabled: "false", isDelegatedAdministratorEnabled: "false" }, now) };
}

/** A new region: the `Default` vault exists, encrypted with the AWS-managed `aws/backup` key [X1]. */
export function emptyBackupRegionState(accountId: string, region: string, now: number, awsBackupKeyArn: string): BackupRegionState {
  return {
    vaults: {
      Default: { name: "Default", arn: vaultArn(accountId, region, "Default"), encryptionKeyArn: awsBackupKeyArn, createdAt: now, tags: {}, recoveryPoints: {} },
    },
    plans: {},
    selections: {},
    jobs: {},
  };
}
