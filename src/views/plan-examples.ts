// Example plans for the view tests, written out by hand so a view test does not depend on diff: a create-only
// plan, a plan with no changes, and one with destroys, replaces, an adoption, drift and errors.
import { PLAN_FORMAT_VERSION, summarize, type Drift, type Finding, type Plan, type ResourceChange } from "../core/plan-types.js";

const CENTRAL = "222222222222";
const PROD = "333333333333";
const MGMT = "111111111111";
const KEY_ARN = `arn:aws:kms:eu-west-1:${CENTRAL}:key/1111aaaa-2222-bbbb-3333-cccc4444dddd`;
const pendingArn = { $pending: { address: "kms_key.central", attribute: "arn" } };

function plan(changes: ResourceChange[], drift: Drift[] = [], findings: Finding[] = [], patch: Partial<Plan> = {}): Plan {
  return {
    format_version: PLAN_FORMAT_VERSION,
    tool_version: "0.1.0",
    created_at: "2025-06-01T12:00:00.000Z",
    stack: "backup-core",
    config: { path: "examples/basic", hash: "sha256-example" },
    variables: { env: "prod" },
    targets: [],
    mode: "apply",
    changes,
    drift,
    findings,
    summary: summarize(changes),
    fingerprints: { [`vault:${CENTRAL}/eu-west-1/central`]: "fp1" },
    unreadable: [],
    applyable: !findings.some((f) => f.severity === "error"),
    ...patch,
  };
}

export function createOnlyPlan(): Plan {
  return plan([
    {
      address: "kms_key.central", type: "kms_key", accountId: CENTRAL, region: "eu-west-1", action: "create", before: null,
      after: { alias: "alias/crossvault-central", arn: pendingArn, deletion_window_days: 30, enable_key_rotation: true, tags: { team: "platform" } },
      changes: [
        { path: "alias", after: "alias/crossvault-central" },
        { path: "arn", knownAfterApply: true },
        { path: "deletion_window_days", after: 30 },
        { path: "enable_key_rotation", after: true },
        { path: "tags.team", after: "platform" },
      ],
      dependsOn: [],
    },
    {
      address: "org_trust", type: "org_trust", accountId: MGMT, region: "global", action: "create", before: null,
      after: { enabled: true, service_principal: "backup.amazonaws.com" },
      changes: [{ path: "enabled", after: true }, { path: "service_principal", after: "backup.amazonaws.com" }],
      dependsOn: [],
    },
    {
      address: "vault.central", type: "vault", accountId: CENTRAL, region: "eu-west-1", action: "create", before: null,
      after: { arn: `arn:aws:backup:eu-west-1:${CENTRAL}:backup-vault:central`, encryption_key_arn: pendingArn, name: "central", tags: {} },
      changes: [
        { path: "arn", after: `arn:aws:backup:eu-west-1:${CENTRAL}:backup-vault:central` },
        { path: "encryption_key_arn", knownAfterApply: true },
        { path: "name", after: "central" },
        { path: "tags", after: {} },
      ],
      dependsOn: ["kms_key.central"],
    },
  ]);
}

export function noChangePlan(): Plan {
  const attrs = { arn: `arn:aws:backup:eu-west-1:${CENTRAL}:backup-vault:central`, encryption_key_arn: KEY_ARN, name: "central", tags: {} };
  return plan([
    { address: "vault.central", type: "vault", accountId: CENTRAL, region: "eu-west-1", action: "no-op", before: attrs, after: attrs, changes: [], dependsOn: [] },
    { address: "kms_key.shared", type: "kms_key", accountId: CENTRAL, region: "eu-west-1", action: "read", before: { arn: KEY_ARN }, after: { arn: KEY_ARN }, changes: [], dependsOn: [] },
  ]);
}

export function mixedPlan(): Plan {
  const sid = "Crossvault11xbackupXcoreCopy333333333333";
  const statement = { Sid: sid, Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${PROD}:root`] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] };
  return plan(
    [
      {
        address: "vault.central", type: "vault", accountId: CENTRAL, region: "eu-west-1", action: "replace", reason: "encryption_key_arn cannot change in place",
        before: { arn: "arn:v", encryption_key_arn: KEY_ARN, name: "central", tags: { team: "platform" } },
        after: { arn: "arn:v", encryption_key_arn: pendingArn, name: "central", tags: { team: "platform" } },
        changes: [{ path: "encryption_key_arn", before: KEY_ARN, knownAfterApply: true, forcesReplacement: true }],
        dependsOn: ["kms_key.central"], id: "arn:v",
      },
      {
        address: "vault_policy.central", type: "vault_policy", accountId: CENTRAL, region: "eu-west-1", action: "update",
        before: { vault_name: "central", statements: [statement] },
        after: { vault_name: "central", statements: [{ ...statement, Action: ["backup:CopyIntoBackupVault", "backup:DescribeBackupVault"] }] },
        changes: [{ path: `statements["${sid}"].Action`, before: ["backup:CopyIntoBackupVault"], after: ["backup:CopyIntoBackupVault", "backup:DescribeBackupVault"] }],
        dependsOn: ["vault.central"],
      },
      {
        address: "kms_key.old", type: "kms_key", accountId: PROD, region: "us-east-1", action: "delete", reason: "scheduled deletion: KMS deletes the key after a 30-day waiting period",
        before: { alias: "alias/crossvault-old", enable_key_rotation: true }, after: null, deletionWindowDays: 30,
        changes: [{ path: "alias", before: "alias/crossvault-old" }, { path: "enable_key_rotation", before: true }],
        dependsOn: [], id: "key-old",
      },
      {
        address: 'backup_plan.daily["prod"]', type: "backup_plan", accountId: PROD, region: "eu-west-1", action: "adopt",
        before: { name: "daily-prod", windows_vss: false, tags: {} }, after: { name: "daily-prod", windows_vss: false, tags: { owner: "backup" } },
        changes: [{ path: "tags.owner", after: "backup" }],
        dependsOn: [],
      },
      {
        address: "cross_account_setting", type: "cross_account_setting", accountId: MGMT, region: "eu-west-1", action: "update",
        before: { enabled: false }, after: { enabled: true }, changes: [{ path: "enabled", before: false, after: true }], dependsOn: ["org_trust"],
      },
    ],
    [
      { address: "vault.central", type: "vault", accountId: CENTRAL, region: "eu-west-1", changes: [{ path: "tags.team", before: "platform", after: "someone-else" }] },
      { address: "backup_plan.weekly", type: "backup_plan", accountId: PROD, region: "eu-west-1", changes: [] },
    ],
    [
      { severity: "error", code: "vault-has-recovery-points", address: "vault.central", message: "cannot replace vault.central: 42 recovery points", hint: "crossvault never deletes recovery points. Delete them in AWS Backup first, or keep the vault as it is." },
      { severity: "warning", code: "kms-key-deletion", address: "kms_key.old", message: "kms_key.old: the key will be scheduled for deletion in 30 days; after that it is deleted for good", hint: "Until then the deletion can be cancelled (kms:CancelKeyDeletion)." },
      { severity: "info", code: "note", rule: "[S2]", message: "trusted access is enabled by the management account" },
    ],
  );
}

export function destroyNothingPlan(): Plan {
  return plan([], [], [], { mode: "destroy" });
}
