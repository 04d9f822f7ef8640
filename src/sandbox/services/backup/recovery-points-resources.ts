// What the sandbox knows about the resources it backs up without modelling them: the resource type an ARN
// stands for, whether AWS Backup fully manages that type (which decides whose key protects the backup [C3]),
// whether it can move to cold storage, and the shape of the recovery point ARN it produces (§2.0).
import type { ArnParts } from "./identifiers.js";
import { randomBytes, randomUUID } from "node:crypto";
import { parseArn } from "./identifiers.js";

interface ResourceKind {
  type: string;
  /** Backups of fully managed types are encrypted with the vault key; the others keep the resource's key [C3]. */
  fullyManaged: boolean;
  coldStorage: boolean;
  recoveryPointArn(region: string, account: string, jobId: string): string;
}

const nativeArn = (region: string, account: string): string => `arn:aws:backup:${region}:${account}:recovery-point:${randomUUID()}`;
const hex17 = (): string => randomBytes(9).toString("hex").slice(0, 17);

// The resource ARN forms Backup protects, keyed by service and resource prefix. Anything else is refused
// by StartBackupJob, so a typo in a test or demo fails loudly instead of producing a plausible backup.
const KINDS: Array<{ service: string; prefix: RegExp; kind: ResourceKind }> = [
  { service: "ec2", prefix: /^volume\/vol-/, kind: { type: "EBS", fullyManaged: false, coldStorage: true, recoveryPointArn: (r) => `arn:aws:ec2:${r}::snapshot/snap-${hex17()}` } },
  { service: "ec2", prefix: /^instance\/i-/, kind: { type: "EC2", fullyManaged: false, coldStorage: false, recoveryPointArn: (r) => `arn:aws:ec2:${r}::image/ami-${hex17()}` } },
  { service: "rds", prefix: /^db:/, kind: { type: "RDS", fullyManaged: false, coldStorage: false, recoveryPointArn: (r, a, j) => `arn:aws:rds:${r}:${a}:snapshot:awsbackup:job-${j}` } },
  { service: "rds", prefix: /^cluster:/, kind: { type: "Aurora", fullyManaged: false, coldStorage: false, recoveryPointArn: (r, a, j) => `arn:aws:rds:${r}:${a}:cluster-snapshot:awsbackup:job-${j}` } },
  { service: "elasticfilesystem", prefix: /^file-system\/fs-/, kind: { type: "EFS", fullyManaged: true, coldStorage: true, recoveryPointArn: nativeArn } },
  { service: "s3", prefix: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, kind: { type: "S3", fullyManaged: true, coldStorage: false, recoveryPointArn: nativeArn } },
  // DynamoDB is treated as having advanced backup enabled (native recovery points), as most set-ups today.
  { service: "dynamodb", prefix: /^table\//, kind: { type: "DynamoDB", fullyManaged: true, coldStorage: true, recoveryPointArn: nativeArn } },
  { service: "fsx", prefix: /^file-system\/fs-/, kind: { type: "FSx", fullyManaged: false, coldStorage: false, recoveryPointArn: (r, a) => `arn:aws:fsx:${r}:${a}:backup/backup-${hex17()}` } },
  { service: "redshift", prefix: /^cluster:/, kind: { type: "Redshift", fullyManaged: false, coldStorage: false, recoveryPointArn: (r, a, j) => `arn:aws:redshift:${r}:${a}:snapshot:awsbackup-${j}` } },
  { service: "storagegateway", prefix: /^gateway\//, kind: { type: "Storage Gateway", fullyManaged: false, coldStorage: false, recoveryPointArn: (r) => `arn:aws:ec2:${r}::snapshot/snap-${hex17()}` } },
];

export interface ClassifiedResource extends ResourceKind {
  arn: ArnParts;
  /** The resource's own name as Backup reports it (`ResourceName`). */
  name: string;
}

export function classifyResource(resourceArn: string): ClassifiedResource | undefined {
  const arn = parseArn(resourceArn);
  if (!arn) return undefined;
  for (const { service, prefix, kind } of KINDS) {
    if (arn.service === service && prefix.test(arn.resource)) return { ...kind, arn, name: resourceNameOf(arn) };
  }
  return undefined;
}

export const supportedResourceServices = [...new Set(KINDS.map((k) => k.service))];

function resourceNameOf(arn: ArnParts): string {
  const cut = Math.max(arn.resource.lastIndexOf("/"), arn.resource.lastIndexOf(":"));
  return arn.resource.slice(cut + 1);
}

const FULLY_MANAGED = new Set(KINDS.filter((k) => k.kind.fullyManaged).map((k) => k.kind.type));
const COLD_CAPABLE = new Set(KINDS.filter((k) => k.kind.coldStorage).map((k) => k.kind.type));

export function isFullyManaged(resourceType: string): boolean {
  return FULLY_MANAGED.has(resourceType);
}

export function supportsColdStorage(resourceType: string): boolean {
  return COLD_CAPABLE.has(resourceType);
}

/** The ARN a copy of a recovery point of `resourceType` gets in the destination account-region. */
export function copiedRecoveryPointArn(resourceType: string, region: string, account: string, jobId: string): string {
  const kind = KINDS.find((k) => k.kind.type === resourceType)?.kind;
  if (!kind) return nativeArn(region, account);
  // Copies of RDS-family snapshots are named after the copy job, not the original backup job.
  return kind.recoveryPointArn(region, account, `copy-${jobId}`);
}
