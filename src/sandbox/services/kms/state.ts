// AWS KMS state, per account-region. Owned by the kms service.
import type { Eventual } from "../../world.js";
import { createHash } from "node:crypto";
import { eventual } from "../../world.js";

export interface KmsGrant {
  grantId: string;
  granteePrincipal: string;
  operations: string[];
  name?: string;
  token: string;
  createdAt?: number;
  retiringPrincipal?: string;
  /** The account that created the grant (`arn:aws:iam::ACCOUNT:root`). */
  issuingAccount?: string;
  constraints?: { EncryptionContextSubset?: Record<string, string>; EncryptionContextEquals?: Record<string, string> };
}

export interface KmsKey {
  keyId: string;
  arn: string;
  description: string;
  keyManager: "CUSTOMER" | "AWS";
  keyState: "Enabled" | "Disabled" | "PendingDeletion" | "PendingImport";
  createdAt: number;
  deletionDate?: number;
  /** The waiting period ScheduleKeyDeletion was given (days). */
  pendingWindowDays?: number;
  keySpec: string;
  keyUsage: string;
  /** AWS_KMS unless the key was created for imported key material (EXTERNAL). */
  origin?: "AWS_KMS" | "EXTERNAL";
  multiRegion?: boolean;
  /** Key policy text (PolicyName "default"); eventual as copy jobs see it [X2]. */
  policy: Eventual<string>;
  tags: Record<string, string>;
  rotationEnabled: boolean;
  rotationPeriodDays?: number;
  /** Sandbox ms when automatic rotation was last enabled (the next rotation counts from it). */
  rotationEnabledAt?: number;
  grants: KmsGrant[];
}

export interface KmsAlias {
  name: string;
  arn: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt?: number;
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

export function aliasArn(accountId: string, region: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:alias/${aliasName.replace(/^alias\//, "")}`;
}

/** Services whose AWS-managed key (`alias/aws/{service}`) KMS creates on first use [M, DescribeKey]. */
export const AWS_MANAGED_KEY_SERVICES: Record<string, string> = {
  backup: "Default key that protects my Backup vaults when no other key is defined",
  ebs: "Default key that protects my EBS volumes when no other key is defined",
  rds: "Default key that protects my RDS database volumes when no other key is defined",
  s3: "Default key that protects my S3 objects when no other key is defined",
  dynamodb: "Default key that protects my DynamoDB data when no other key is defined",
  efs: "Default key that protects my EFS filesystems when no other key is defined",
  fsx: "Default key that protects my FSx filesystems when no other key is defined",
  redshift: "Default key that protects my Redshift data when no other key is defined",
  "secretsmanager": "Default key that protects my Secrets Manager data when no other key is defined",
};

/**
 * The AWS-managed key of a service in one account-region, and its alias. Its policy lets the account's principals
 * use it only through that service, and read its metadata directly; it cannot be shared with another account.
 */
export function awsManagedKey(accountId: string, region: string, service: string, now: number): { key: KmsKey; alias: KmsAlias } {
  const aliasName = `alias/aws/${service}`;
  const keyId = awsManagedKeyId(accountId, region, `aws/${service}`);
  const arn = keyArn(accountId, region, keyId);
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Id: `auto-${service}-1`,
    Statement: [
      {
        Sid: service === "backup"
          ? "Allow access through Backup for all principals in the account that are authorized to use Backup Storage"
          : `Allow access through ${service} for all principals in the account that are authorized to use ${service}`,
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: service === "backup"
          ? ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
          : ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com`, "kms:CallerAccount": accountId } },
      },
      { Sid: "Allow direct access to key metadata to the account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: ["kms:Describe*", "kms:Get*", "kms:List*"], Resource: "*" },
    ],
  });
  const key: KmsKey = {
    keyId, arn, description: AWS_MANAGED_KEY_SERVICES[service] ?? `Default key for ${service}`,
    keyManager: "AWS", keyState: "Enabled", createdAt: now, keySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT", origin: "AWS_KMS",
    policy: eventual(policy, now), tags: {}, rotationEnabled: true, rotationPeriodDays: 365, rotationEnabledAt: now, grants: [],
  };
  return { key, alias: { name: aliasName, arn: aliasArn(accountId, region, aliasName), targetKeyId: keyId, createdAt: now } };
}

/** A new region: the AWS-managed `aws/backup` key exists (its policy lets only Backup in this account use it). */
export function emptyKmsRegionState(accountId: string, region: string, now: number): KmsRegionState {
  const { key, alias } = awsManagedKey(accountId, region, "backup", now);
  return { keys: { [key.keyId]: key }, aliases: { [alias.name]: alias } };
}
