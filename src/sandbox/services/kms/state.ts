// AWS KMS state, per account-region. Owned by the kms service.
import type { Eventual } from "../../world.js";
import { createHash } from "node:crypto";
import { eventual } from "../../world.js";

export interface KmsKey {
  keyId: string;
  arn: string;
  description: string;
  keyManager: "CUSTOMER" | "AWS";
  keyState: "Enabled" | "Disabled" | "PendingDeletion";
  createdAt: number;
  deletionDate?: number;
  keySpec: string;
  keyUsage: string;
  /** Key policy text (PolicyName "default"); eventual as copy jobs see it [X2]. */
  policy: Eventual<string>;
  tags: Record<string, string>;
  rotationEnabled: boolean;
  grants: Array<{ grantId: string; granteePrincipal: string; operations: string[]; name?: string; token: string }>;
}

export interface KmsAlias {
  name: string;
  arn: string;
  targetKeyId: string;
  createdAt: number;
}

export interface KmsRegionState {
  keys: Record<string, KmsKey>;
  aliases: Record<string, KmsAlias>;
}

/** A deterministic UUID-shaped key id, so AWS-managed keys (`aws/backup`) have one id per account-region. */
export function awsManagedKeyId(accountId: string, region: string, alias: string): string {
  const h = createHash("sha256").update(`${accountId}/${region}/${alias}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function keyArn(accountId: string, region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

/** A new region: the AWS-managed `aws/backup` key exists (its policy lets only Backup in this account use it). */
export function emptyKmsRegionState(accountId: string, region: string, now: number): KmsRegionState {
  const keyId = awsManagedKeyId(accountId, region, "aws/backup");
  const arn = keyArn(accountId, region, keyId);
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Id: "auto-backup-1",
    Statement: [
      {
        Sid: "Allow access through Backup for all principals in the account that are authorized to use Backup Storage",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": `backup.${region}.amazonaws.com`, "kms:CallerAccount": accountId } },
      },
      { Sid: "Allow direct access to key metadata to the account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: ["kms:Describe*", "kms:Get*", "kms:List*"], Resource: "*" },
    ],
  });
  return {
    keys: {
      [keyId]: {
        keyId, arn, description: "Default key that protects my Backup vaults when no other key is defined",
        keyManager: "AWS", keyState: "Enabled", createdAt: now, keySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT",
        policy: eventual(policy, now), tags: {}, rotationEnabled: true, grants: [],
      },
    },
    aliases: {
      "alias/aws/backup": { name: "alias/aws/backup", arn: `arn:aws:kms:${region}:${accountId}:alias/aws/backup`, targetKeyId: keyId, createdAt: now },
    },
  };
}
