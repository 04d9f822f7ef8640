// Whether AWS would let a copy job through, decided from the sandbox's own state when the job runs: the
// seed's cross-account rules [S1]-[S5], [X1], [X2], [G1]-[G3], [C3], [C4], plus what any copy needs (the
// source recovery point, an existing destination vault, Vault Lock retention). Each refusal carries the
// StatusMessage and MessageCategory AWS reports (BEHAVIOUR.md §6.7) and the id of the rule it enforces.
import type { SandboxSettings } from "../../service.js";
import type { World } from "../../world.js";
import type { JobRecord, RecoveryPoint, Vault } from "./state.js";
import type { CopyJobRun } from "./jobs-records.js";
import type { Lifecycle } from "./recovery-points.js";
import { valueAt } from "../../world.js";
import { isMember } from "../organizations/entities.js";
import { parseVaultArn } from "./identifiers.js";
import { retentionRefusal, storageClassAt } from "./recovery-points.js";
import { accessRefusal } from "./copy-rules-access.js";
import { destinationKeyRefusal, sourceKeyRefusal } from "./copy-rules-keys.js";

export type CopyRule = "RP" | "ARN" | "C4" | "S1" | "S2" | "X1" | "S3" | "S4" | "G1" | "G2" | "G3" | "S5" | "C3" | "LOCK";

export type CopyVerdict =
  | { ok: true; recoveryPoint: RecoveryPoint; sourceVault: Vault; destinationVault: Vault; destinationAccountId: string; destinationRegion: string; lifecycle: Lifecycle }
  | { ok: false; message: string; category: "AccessDenied" | "InvalidParameters"; rule: CopyRule };

const BACKUP_SERVICE = "backup.amazonaws.com";

function denied(rule: CopyRule, message: string): CopyVerdict {
  return { ok: false, message, category: "AccessDenied", rule };
}

function invalid(rule: CopyRule, message: string): CopyVerdict {
  return { ok: false, message, category: "InvalidParameters", rule };
}

/** A vault as stored, read without creating the account-region (a copy never brings a destination into being). */
function storedVault(world: World, accountId: string, region: string, name: string): Vault | undefined {
  return world.accounts[accountId]?.regions[region]?.backup.vaults[name];
}

/**
 * The verdict on a copy job at sandbox time `now`. Trusted access, the cross-account setting and key policies
 * are read as of `now - consistencyDelayMs` [X2]; everything else as it is now. Pure: it reads the world only.
 */
export function evaluateCopyJob(world: World, job: JobRecord, now: number, settings: SandboxSettings): CopyVerdict {
  const run = job.details.sandbox as CopyJobRun;
  const sourceAccountId = String(job.details.AccountId);
  const seenAt = now - Math.max(0, settings.consistencyDelayMs);

  const sourceVaultName = parseVaultArn(job.details.SourceBackupVaultArn)?.name ?? "";
  const sourceVault = storedVault(world, sourceAccountId, run.region, sourceVaultName);
  const rp = sourceVault?.recoveryPoints[job.details.SourceRecoveryPointArn];
  if (!sourceVault || !rp) {
    return invalid("RP", `Copy job failed. Recovery point ${job.details.SourceRecoveryPointArn} no longer exists in backup vault ${sourceVaultName}`);
  }
  const destination = parseVaultArn(job.details.DestinationBackupVaultArn);
  if (!destination) {
    return invalid("ARN", `Copy job failed. Destination backup vault ARN ${job.details.DestinationBackupVaultArn} is not valid; expected arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME`);
  }
  // [C4] Backups in cold storage cannot be copied, across accounts or otherwise (BEHAVIOUR.md §6.1).
  if (storageClassAt(rp, now) === "COLD") {
    return invalid("C4", `Copy job failed. Recovery point ${rp.arn} is in cold storage; AWS Backup does not copy recovery points stored in cold tiers`);
  }
  const lifecycle = run.lifecycle ?? { ...rp.lifecycle };
  const crossAccount = destination.accountId !== sourceAccountId;

  if (crossAccount) {
    const org = world.org;
    // [S1]: AWS's observed text (BEHAVIOUR.md §6.7).
    if (!isMember(org, sourceAccountId) || !isMember(org, destination.accountId)) {
      return denied("S1", "Access denied: Copy job failed. Both source and destination account must be a member of the same organization");
    }
    // [S2] as the organization looked `consistencyDelayMs` ago [X2].
    if (valueAt(org.serviceAccess, seenAt)[BACKUP_SERVICE] === undefined) {
      return denied("S2", `Access denied: Copy job failed. Trusted access for AWS Backup (${BACKUP_SERVICE}) is not enabled in organization ${org.organizationId}; the management account must enable it`);
    }
    const settingsOfManagement = world.accounts[org.managementAccountId]?.backup.globalSettings;
    if (!settingsOfManagement || valueAt(settingsOfManagement, seenAt).isCrossAccountBackupEnabled !== "true") {
      return denied("S2", `Access denied: Copy job failed. Cross-account backup is not enabled for organization ${org.organizationId}; the management account ${org.managementAccountId} must turn on isCrossAccountBackupEnabled in the AWS Backup global settings`);
    }
    // [X1] before the vault lookup: the Default vault is refused whatever it holds.
    if (destination.name === "Default") {
      return denied("X1", `Access denied: Copy job failed. The Default backup vault ${job.details.DestinationBackupVaultArn} cannot be the destination of a cross-account copy: it is encrypted with an AWS managed key that cannot be shared with other accounts`);
    }
  }

  const destinationVault = storedVault(world, destination.accountId, destination.region, destination.name);
  if (!destinationVault) {
    const verdict = crossAccount ? denied : invalid;
    return verdict("S3", `Copy job failed. Destination backup vault ${job.details.DestinationBackupVaultArn} does not exist; create it in account ${destination.accountId} (${destination.region}) before copying into it`);
  }

  if (crossAccount) {
    const keyOfDestination = destinationKeyRefusal(world, destinationVault);
    if (keyOfDestination) return denied(keyOfDestination.rule, keyOfDestination.message);
    const access = accessRefusal({
      org: world.org,
      sourceAccountId,
      roleArn: String(job.details.IamRoleArn),
      recoveryPoint: rp,
      destinationAccountId: destination.accountId,
      destinationVault,
    });
    if (access) return denied(access.rule, access.message);
    const keyOfSource = sourceKeyRefusal(world, world.org, rp, run.region, destination.accountId, seenAt);
    if (keyOfSource) return denied(keyOfSource.rule, keyOfSource.message);
  }

  const lock = retentionRefusal(destinationVault, lifecycle);
  if (lock) return invalid("LOCK", `Copy job failed. ${lock}`);

  return { ok: true, recoveryPoint: rp, sourceVault, destinationVault, destinationAccountId: destination.accountId, destinationRegion: destination.region, lifecycle };
}
