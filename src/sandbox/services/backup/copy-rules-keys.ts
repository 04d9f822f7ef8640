// The encryption side of a cross-account copy: the destination vault needs a customer managed key [S3] (the
// copy is re-encrypted with it [C2]); the source recovery point's key must be usable by the destination
// account [S5]; and resource types Backup does not fully manage cannot cross accounts under an AWS managed
// key at all [C3]. Key policies are read as copy jobs see them, `consistencyDelayMs` late [X2].
import type { AuthzRequest } from "../../../check/policy/index.js";
import type { World } from "../../world.js";
import type { OrgState } from "../organizations/state.js";
import type { RecoveryPoint, Vault } from "./state.js";
import { evaluateRequest, PolicySyntaxError } from "../../../check/policy/index.js";
import { findKeyByArn } from "../kms/key-lookup.js";
import { orgPathOf } from "../organizations/entities.js";
import { valueAt } from "../../world.js";
import { isFullyManaged } from "./recovery-points-resources.js";

export interface KeyRefusal {
  rule: "S3" | "S5" | "C3";
  message: string;
}

const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** [S3]: the destination vault of a cross-account copy is encrypted with an enabled customer managed key. */
export function destinationKeyRefusal(world: World, vault: Vault): KeyRefusal | undefined {
  const key = findKeyByArn(world, vault.encryptionKeyArn);
  const fix = "a cross-account copy needs a destination vault encrypted with a customer managed KMS key";
  if (!key) return { rule: "S3", message: `Copy job failed. The KMS key ${vault.encryptionKeyArn} of destination backup vault ${vault.arn} does not exist; ${fix}` };
  if (key.keyManager !== "CUSTOMER") {
    return { rule: "S3", message: `Copy job failed. Destination backup vault ${vault.arn} is encrypted with the AWS managed key ${key.arn}, which cannot be shared with other accounts; ${fix}` };
  }
  if (key.keyState !== "Enabled") {
    return { rule: "S3", message: `Copy job failed. The KMS key ${key.arn} of destination backup vault ${vault.arn} is not enabled (key state ${key.keyState})` };
  }
  return undefined;
}

/** The AWS service through which the destination account uses the source key, per resource family. */
function viaService(resourceType: string, region: string): string {
  if (resourceType === "EBS" || resourceType === "EC2") return `ec2.${region}.amazonaws.com`;
  if (resourceType === "RDS" || resourceType === "Aurora") return `rds.${region}.amazonaws.com`;
  return `backup.${region}.amazonaws.com`;
}

/** The text AWS reports when the destination cannot use the source key (BEHAVIOUR.md §6.7), per resource family. */
function sourceKeyMessage(rp: RecoveryPoint, keyArn: string, detail: string): string {
  switch (rp.resourceType) {
    case "EBS":
    case "EC2":
      return `AMI snapshot copy failed with error: Given key ID is not accessible. You must have DescribeKey permissions on the default CMK (${detail})`;
    case "RDS":
    case "Aurora":
      return `The source snapshot KMS key [${keyArn}] does not exist, is not enabled or you do not have permissions to access it. (${detail})`;
    default:
      return `Access Denied trying to call AWS Backup service: ${detail}`;
  }
}

// What the destination account does with a shared source key (BEHAVIOUR.md §6.2): read it, decrypt with it,
// and create grants for the AWS service that performs the copy.
const KEY_ACTIONS: Array<{ action: string; context?: Record<string, boolean> }> = [
  { action: "kms:DescribeKey" },
  { action: "kms:Decrypt" },
  { action: "kms:CreateGrant", context: { "kms:GrantIsForAWSResource": true } },
];

/** [S5] and [C3]: whether the destination account may use the key protecting the source recovery point. */
export function sourceKeyRefusal(world: World, org: OrgState, rp: RecoveryPoint, sourceRegion: string, destinationAccountId: string, at: number): KeyRefusal | undefined {
  const key = findKeyByArn(world, rp.encryptionKeyArn);
  const fullyManaged = isFullyManaged(rp.resourceType);
  if (!key) {
    return { rule: "S5", message: sourceKeyMessage(rp, rp.encryptionKeyArn, `the KMS key ${rp.encryptionKeyArn} of recovery point ${rp.arn} does not exist`) };
  }
  if (key.keyManager !== "CUSTOMER") {
    // Backups of fully managed types are re-encrypted by AWS Backup itself, so the AWS managed vault key is fine.
    if (fullyManaged) return undefined;
    return {
      rule: "C3",
      message: sourceKeyMessage(rp, key.arn, `recovery point ${rp.arn} (${rp.resourceType}) is encrypted with the AWS managed key ${key.arn}; cross-account copy with AWS managed keys is not supported for resource types that are not fully managed by AWS Backup, re-encrypt the source with a customer managed key`),
    };
  }
  if (key.keyState !== "Enabled") {
    return { rule: "S5", message: sourceKeyMessage(rp, key.arn, `the KMS key ${key.arn} is not enabled (key state ${key.keyState})`) };
  }
  const keyAccountId = KMS_ARN.exec(key.arn)?.[2] ?? "";
  const policy = valueAt(key.policy, at);
  const path = orgPathOf(org, destinationAccountId);
  const label = `the key policy of ${key.arn}`;
  for (const { action, context } of KEY_ACTIONS) {
    const request: AuthzRequest = {
      principal: { accountId: destinationAccountId, arn: `arn:aws:iam::${destinationAccountId}:root` },
      action,
      resource: key.arn,
      context: {
        "aws:PrincipalAccount": destinationAccountId,
        "aws:PrincipalOrgID": org.organizationId,
        ...(path ? { "aws:PrincipalOrgPaths": [path] } : {}),
        "kms:CallerAccount": destinationAccountId,
        "kms:ViaService": viaService(rp.resourceType, sourceRegion),
        ...context,
      },
    };
    let decision;
    try {
      decision = evaluateRequest({ request, resourceAccountId: keyAccountId, identity: null, resource: [{ label, document: policy }] });
    } catch (e) {
      if (!(e instanceof PolicySyntaxError)) throw e;
      return { rule: "S5", message: sourceKeyMessage(rp, key.arn, `${label} cannot be read: ${e.message}`) };
    }
    if (decision.decision !== "allow") {
      const why = decision.decision === "explicit-deny" ? decision.reason : `${label} does not allow account ${destinationAccountId} to use ${action}`;
      return { rule: "S5", message: sourceKeyMessage(rp, key.arn, `${why}; share the source key with the destination account`) };
    }
  }
  return undefined;
}
