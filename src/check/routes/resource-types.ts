// The resource types a route carries, read from its selections' ARNs and patterns, and what each type means
// for a cross-account copy (BEHAVIOUR.md §6.2): whether AWS Backup fully manages it (its backups are encrypted
// with the vault's key, else with the resource's own key [C3]), whether it can move to cold storage [C4], the
// service through which the destination account uses the key, and the shape of its recovery point ARN (the
// resource of backup:CopyFromBackupVault, which SCPs may restrict by ARN).
import type { SelectedResources } from "./types.js";

export interface ResourceFamily {
  type: string;
  fullyManaged: boolean;
  coldStorage: boolean;
  /** The service (`ec2`, `rds`, `backup`) that uses the key on the destination account's behalf. */
  keyService: string;
  /** A recovery point ARN of this type in the source account-region (an example id). */
  recoveryPoint(region: string, accountId: string): string;
}

const native = (region: string, accountId: string): string => `arn:aws:backup:${region}:${accountId}:recovery-point:00000000-0000-0000-0000-000000000000`;
const snapshot = (region: string): string => `arn:aws:ec2:${region}::snapshot/snap-00000000000000000`;

const EBS: ResourceFamily = { type: "EBS", fullyManaged: false, coldStorage: true, keyService: "ec2", recoveryPoint: snapshot };
const EC2: ResourceFamily = { type: "EC2", fullyManaged: false, coldStorage: false, keyService: "ec2", recoveryPoint: (r) => `arn:aws:ec2:${r}::image/ami-00000000000000000` };
const RDS: ResourceFamily = { type: "RDS", fullyManaged: false, coldStorage: false, keyService: "rds", recoveryPoint: (r, a) => `arn:aws:rds:${r}:${a}:snapshot:awsbackup:job-00000000` };
const AURORA: ResourceFamily = { type: "Aurora", fullyManaged: false, coldStorage: false, keyService: "rds", recoveryPoint: (r, a) => `arn:aws:rds:${r}:${a}:cluster-snapshot:awsbackup:job-00000000` };
const EFS: ResourceFamily = { type: "EFS", fullyManaged: true, coldStorage: true, keyService: "backup", recoveryPoint: native };
const S3: ResourceFamily = { type: "S3", fullyManaged: true, coldStorage: false, keyService: "backup", recoveryPoint: native };
// Advanced DynamoDB backup (native recovery points) is assumed: AWS's default for new set-ups.
const DYNAMODB: ResourceFamily = { type: "DynamoDB", fullyManaged: true, coldStorage: true, keyService: "backup", recoveryPoint: native };
const FSX: ResourceFamily = { type: "FSx", fullyManaged: false, coldStorage: false, keyService: "backup", recoveryPoint: (r, a) => `arn:aws:fsx:${r}:${a}:backup/backup-00000000000000000` };
const REDSHIFT: ResourceFamily = { type: "Redshift", fullyManaged: false, coldStorage: false, keyService: "backup", recoveryPoint: (r, a) => `arn:aws:redshift:${r}:${a}:snapshot:awsbackup-00000000` };
const GATEWAY: ResourceFamily = { type: "Storage Gateway", fullyManaged: false, coldStorage: false, keyService: "ec2", recoveryPoint: snapshot };
const TIMESTREAM: ResourceFamily = { type: "Timestream", fullyManaged: true, coldStorage: true, keyService: "backup", recoveryPoint: native };
const CLOUDFORMATION: ResourceFamily = { type: "CloudFormation", fullyManaged: true, coldStorage: false, keyService: "backup", recoveryPoint: native };

/** The types an ARN or ARN pattern can stand for, by service and resource part. */
function familiesOf(arn: string): ResourceFamily[] | undefined {
  const parts = arn.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return undefined;
  const service = parts[2] ?? "";
  const resource = parts.slice(5).join(":");
  const starts = (prefix: string): boolean => resource.startsWith(prefix);
  const open = resource === "*" || resource === "";
  switch (service) {
    case "ec2":
      if (starts("volume/")) return [EBS];
      if (starts("instance/")) return [EC2];
      return open || resource.startsWith("*") ? [EBS, EC2] : undefined;
    case "rds":
      if (starts("db:")) return [RDS];
      if (starts("cluster:")) return [AURORA];
      return open || resource.startsWith("*") ? [RDS, AURORA] : undefined;
    case "elasticfilesystem": return [EFS];
    case "s3": return [S3];
    case "dynamodb": return [DYNAMODB];
    case "fsx": return [FSX];
    case "redshift": return [REDSHIFT];
    case "storagegateway": return [GATEWAY];
    case "timestream": return [TIMESTREAM];
    case "cloudformation": return [CLOUDFORMATION];
    case "*": return undefined;
    default: return undefined;
  }
}

export interface CarriedTypes {
  families: ResourceFamily[];
  /** Some selection may pick types that cannot be told from its ARNs (tags only, `*`, unknown services). */
  unknown: boolean;
}

/** The types a route carries. A plan without selections backs up nothing: no types, nothing unknown. */
export function carriedTypes(selected: SelectedResources): CarriedTypes {
  const byType = new Map<string, ResourceFamily>();
  let unknown = selected.byTags;
  for (const pattern of selected.patterns) {
    const families = familiesOf(pattern);
    if (!families) {
      unknown = true;
      continue;
    }
    for (const f of families) byType.set(f.type, f);
  }
  return { families: [...byType.values()].sort((a, b) => (a.type < b.type ? -1 : 1)), unknown };
}

/**
 * The families to evaluate policies with: the carried ones, and when some are unknown (or none are selected
 * yet: on-demand copies still use the route) also an EBS snapshot and a native recovery point, the two ARN
 * shapes SCP guardrails restrict, so an unknown type cannot hide a denial.
 */
export function familiesToCheck(carried: CarriedTypes): ResourceFamily[] {
  if (!carried.unknown && carried.families.length > 0) return carried.families;
  const out = new Map(carried.families.map((f) => [f.type, f]));
  if (!out.has(EBS.type)) out.set(EBS.type, EBS);
  if (![...out.values()].some((f) => f.keyService === "backup")) out.set(DYNAMODB.type, DYNAMODB);
  return [...out.values()];
}
