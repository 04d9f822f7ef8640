// Example plans for the view tests, written out by hand so a view test does not depend on diff: a create-only
// plan, a plan with no changes, one with destroys, replaces, an adoption, drift and errors, one for a review
// (destroys, replaces, drift, policies that broaden access, guardrails, failing copy routes), and a generated
// plan of any size for the size cap and the render benchmark.
import type { Attributes } from "../model/resource.js";
import { PLAN_FORMAT_VERSION, summarize, type Drift, type Finding, type Plan, type ResourceChange, type RouteVerdict } from "../core/plan-types.js";

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

const STAGING = "444444444444";
const ROOT = (id: string): string => `arn:aws:iam::${id}:root`;
const vaultArn = (account: string, region: string, name: string): string => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
const PREFIX = "Crossvault11xbackupXcore";

function rule(name: string, targetVault: string, copies: string[], schedule = "cron(0 5 ? * * *)"): Attributes {
  return {
    name, target_vault: targetVault, schedule, start_window_minutes: 480, completion_window_minutes: 10080, enable_continuous_backup: false,
    recovery_point_tags: {}, copy_actions: copies.map((arn) => ({ destination_vault_arn: arn, lifecycle: { delete_after_days: 365 } })),
  };
}

/**
 * What a reviewer must not miss, all in one plan: a vault replaced (its key changed) and one destroyed, a key
 * scheduled for deletion, a vault policy opened to the organization (broadens) while one account is dropped, a
 * new key share (broadens), a guardrail whose allowed copy targets grow (broadens) and a new one (narrows), a
 * backup plan whose schedule and copy routes change, a replaced selection, drift, and copy routes that fail.
 */
export function reviewPlan(): Plan {
  const central = vaultArn(CENTRAL, "eu-west-1", "central");
  const archive = vaultArn(STAGING, "eu-west-1", "archive");
  const copyFrom = (account: string) => ({ Sid: `${PREFIX}CopyInto${account}`, Effect: "Allow", Principal: { AWS: [ROOT(account)] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] });
  const orgCopy = { Sid: `${PREFIX}OrgCopyInto`, Effect: "Allow", Principal: "*", Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-example"] } } };
  const scp = (targets: string[]) => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "DenyCopyOutsideTargets", Effect: "Deny", Action: ["backup:CopyFromBackupVault"], Resource: ["*"], Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": targets } } }],
  });
  const denyLeave = { Version: "2012-10-17", Statement: [{ Sid: "DenyLeaveOrganization", Effect: "Deny", Action: ["organizations:LeaveOrganization"], Resource: ["*"] }] };
  const shareStatements: Attributes[] = [
    { Sid: `${PREFIX}Grants${PROD}`, Effect: "Allow", Principal: { AWS: [ROOT(PROD)] }, Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: ["*"], Condition: { Bool: { "kms:GrantIsForAWSResource": ["true"] } } },
    { Sid: `${PREFIX}Use${PROD}`, Effect: "Allow", Principal: { AWS: [ROOT(PROD)] }, Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: ["*"] },
  ];
  const oldPlan: Attributes = { name: "daily-prod", windows_vss: false, tags: {}, id: "plan-1", rules: [rule("daily", "local", [central])] };
  const newPlan: Attributes = { ...oldPlan, rules: [rule("daily", "local", [vaultArn(STAGING, "eu-west-1", "archive"), central], "cron(0 3 ? * * *)")] };
  const changes: ResourceChange[] = [
    {
      address: "vault.central", type: "vault", accountId: CENTRAL, region: "eu-west-1", action: "replace", reason: "encryption_key_arn cannot change in place",
      before: { arn: central, encryption_key_arn: KEY_ARN, name: "central", tags: {} },
      after: { arn: central, encryption_key_arn: pendingArn, name: "central", tags: {} },
      changes: [{ path: "encryption_key_arn", before: KEY_ARN, knownAfterApply: true, forcesReplacement: true }],
      dependsOn: ["kms_key.central"], id: central,
    },
    {
      address: "kms_key.central", type: "kms_key", accountId: CENTRAL, region: "eu-west-1", action: "create", before: null,
      after: { alias: "alias/crossvault-central", arn: pendingArn, deletion_window_days: 30, enable_key_rotation: true, tags: {} },
      changes: [{ path: "alias", after: "alias/crossvault-central" }, { path: "arn", knownAfterApply: true }, { path: "deletion_window_days", after: 30 }, { path: "enable_key_rotation", after: true }, { path: "tags", after: {} }],
      dependsOn: [],
    },
    {
      address: "kms_key.legacy", type: "kms_key", accountId: CENTRAL, region: "us-east-1", action: "delete", reason: "scheduled deletion: KMS deletes the key after a 30-day waiting period",
      before: { alias: "alias/crossvault-legacy", enable_key_rotation: true, tags: {} }, after: null, deletionWindowDays: 30,
      changes: [{ path: "alias", before: "alias/crossvault-legacy" }, { path: "enable_key_rotation", before: true }, { path: "tags", before: {} }],
      dependsOn: [], id: "key-legacy",
    },
    {
      address: "vault.old_archive", type: "vault", accountId: STAGING, region: "eu-west-1", action: "delete",
      before: { arn: vaultArn(STAGING, "eu-west-1", "old-archive"), encryption_key_arn: "alias/aws/backup", name: "old-archive", tags: {} }, after: null,
      changes: [{ path: "arn", before: vaultArn(STAGING, "eu-west-1", "old-archive") }, { path: "encryption_key_arn", before: "alias/aws/backup" }, { path: "name", before: "old-archive" }, { path: "tags", before: {} }],
      dependsOn: [], id: vaultArn(STAGING, "eu-west-1", "old-archive"),
    },
    {
      address: "vault_policy.central", type: "vault_policy", accountId: CENTRAL, region: "eu-west-1", action: "update",
      before: { vault_name: "central", statements: [copyFrom(PROD), copyFrom(STAGING)] },
      after: { vault_name: "central", statements: [copyFrom(PROD), orgCopy] },
      changes: [
        { path: `statements["${PREFIX}CopyInto${STAGING}"]`, before: copyFrom(STAGING) },
        { path: `statements["${PREFIX}OrgCopyInto"]`, after: orgCopy },
      ],
      dependsOn: ["vault.central"],
    },
    {
      address: `key_share.central->${PROD}`, type: "key_share", accountId: CENTRAL, region: "eu-west-1", action: "create", before: null,
      after: { key_arn: pendingArn, destination_account: PROD, statements: shareStatements },
      changes: [
        { path: "destination_account", after: PROD },
        { path: "key_arn", knownAfterApply: true },
        ...shareStatements.map((s) => ({ path: `statements["${s.Sid}"]`, after: s })),
      ],
      dependsOn: ["kms_key.central"],
    },
    {
      address: "guardrail.copy_targets", type: "guardrail", accountId: MGMT, region: "global", action: "update",
      before: { name: "backup-core-copy-targets", targets: ["ou-prod"], policy: scp([vaultArn("*", "*", "central")]) },
      after: { name: "backup-core-copy-targets", targets: ["ou-prod"], policy: scp([vaultArn("*", "*", "archive"), vaultArn("*", "*", "central")]) },
      changes: [{ path: "policy.Statement[\"DenyCopyOutsideTargets\"].Condition", before: scp([vaultArn("*", "*", "central")]).Statement[0]!.Condition, after: scp([vaultArn("*", "*", "archive"), vaultArn("*", "*", "central")]).Statement[0]!.Condition }],
      dependsOn: [],
    },
    {
      address: "guardrail.deny_leave", type: "guardrail", accountId: MGMT, region: "global", action: "create", before: null,
      after: { name: "backup-core-deny-leave", targets: [STAGING], policy: denyLeave },
      changes: [{ path: "name", after: "backup-core-deny-leave" }, { path: "policy", after: denyLeave }, { path: "targets", after: [STAGING] }],
      dependsOn: [],
    },
    {
      address: 'backup_plan.daily["prod"]', type: "backup_plan", accountId: PROD, region: "eu-west-1", action: "update",
      before: oldPlan, after: newPlan,
      changes: [{ path: "rules", before: oldPlan.rules, after: newPlan.rules }],
      dependsOn: ["vault.central"],
    },
    {
      address: 'backup_selection.daily["prod"].tagged', type: "backup_selection", accountId: PROD, region: "eu-west-1", action: "replace", reason: "selections are immutable",
      before: { plan_id: "plan-1", name: "tagged", iam_role_arn: `arn:aws:iam::${PROD}:role/backup`, resources: ["*"], not_resources: [], tags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] },
      after: { plan_id: "plan-1", name: "tagged", iam_role_arn: `arn:aws:iam::${PROD}:role/backup`, resources: ["*"], not_resources: [], tags: [{ type: "STRINGEQUALS", key: "backup", value: "hourly" }] },
      changes: [{ path: "tags[0].value", before: "daily", after: "hourly", forcesReplacement: true }],
      dependsOn: ['backup_plan.daily["prod"]'],
    },
  ];
  const routes: RouteVerdict[] = [
    {
      id: `${PROD}/eu-west-1/local -> ${CENTRAL}/eu-west-1/central`, address: 'backup_plan.daily["prod"].rule.daily',
      source: { accountId: PROD, region: "eu-west-1", vault: "local" }, destination: { accountId: CENTRAL, region: "eu-west-1", vault: "central", address: "vault.central" },
      now: "ok", afterApply: "ok", change: "changed", failures: [], warnings: [],
    },
    {
      id: `${PROD}/eu-west-1/local -> ${STAGING}/eu-west-1/archive`, address: 'backup_plan.daily["prod"].rule.daily',
      source: { accountId: PROD, region: "eu-west-1", vault: "local" }, destination: { accountId: STAGING, region: "eu-west-1", vault: "archive" },
      now: "fail", afterApply: "fail", change: "new",
      failures: [{ rule: "S4", message: `the access policy of vault archive in ${STAGING} does not allow ${PROD} to copy in`, policy: "vault archive (not managed by backup-core)", fix: `Add a statement allowing backup:CopyIntoBackupVault for ${ROOT(PROD)} to the vault's access policy, or declare the vault with allow_copy_from.` }],
      warnings: [{ rule: "X3", message: `${STAGING} can leave the organization and keep its copies`, fix: "Attach a deny_leave_organization guardrail to the destination account." }],
    },
    {
      id: `${STAGING}/eu-west-1/staging -> ${CENTRAL}/eu-west-1/central`,
      source: { accountId: STAGING, region: "eu-west-1", vault: "staging" }, destination: { accountId: CENTRAL, region: "eu-west-1", vault: "central", address: "vault.central" },
      now: "ok", afterApply: "ok", change: "unchanged", failures: [], warnings: [],
    },
    {
      id: `${STAGING}/us-east-1/legacy -> ${CENTRAL}/us-east-1/legacy`,
      source: { accountId: STAGING, region: "us-east-1", vault: "legacy" }, destination: { accountId: CENTRAL, region: "us-east-1", vault: "legacy" },
      now: "fail", afterApply: "fail", change: "removed",
      failures: [{ rule: "S5", message: "the source key is not shared with the destination account", policy: "key policy of alias/legacy", statement: "#0", fix: "Share the key with the destination account (kms_key share), or stop copying this vault.", when: "now" }],
      warnings: [],
    },
  ];
  return plan(
    changes,
    [
      { address: "vault_policy.central", type: "vault_policy", accountId: CENTRAL, region: "eu-west-1", changes: [{ path: `statements["${PREFIX}CopyInto${PROD}"].Action`, before: ["backup:CopyIntoBackupVault"], after: ["backup:CopyIntoBackupVault", "backup:DeleteBackupVault"] }] },
    ],
    [
      { severity: "error", code: "copy-route-fails", rule: "[S4]", address: 'backup_plan.daily["prod"]', message: `copies from ${PROD}/eu-west-1/local to ${STAGING}/eu-west-1/archive will be denied: the vault's access policy does not allow ${PROD}`, hint: "Declare the vault with allow_copy_from, or remove the copy route." },
      { severity: "warning", code: "kms-key-deletion", address: "kms_key.legacy", message: "kms_key.legacy: the key will be scheduled for deletion in 30 days; after that it is deleted for good", hint: "Until then the deletion can be cancelled (kms:CancelKeyDeletion)." },
      { severity: "warning", code: "no-deny-leave", rule: "[X3]", message: `destination account ${STAGING} has no guardrail denying organizations:LeaveOrganization` },
    ],
    { routes, variables: {} },
  );
}

/**
 * A plan of `n` changes across many accounts, for the size cap and the render benchmark: a mix of creates,
 * updates of vault policies (broadening), backup plans, destroys and replaces, one account per 20 changes.
 */
export function generatedPlan(n: number): Plan {
  const changes: ResourceChange[] = [];
  for (let i = 0; i < n; i++) {
    const account = String(100000000000 + Math.floor(i / 20));
    const region = i % 3 === 0 ? "us-east-1" : "eu-west-1";
    const name = `v${String(i).padStart(5, "0")}`;
    const arn = vaultArn(account, region, name);
    const base = { accountId: account, region, dependsOn: [] as string[] };
    switch (i % 5) {
      case 0:
        changes.push({ ...base, address: `vault.${name}`, type: "vault", action: "create", before: null, after: { arn, encryption_key_arn: KEY_ARN, name, tags: { team: "platform" } }, changes: [{ path: "arn", after: arn }, { path: "encryption_key_arn", after: KEY_ARN }, { path: "name", after: name }, { path: "tags.team", after: "platform" }] });
        break;
      case 1: {
        const before = [{ Sid: `${PREFIX}CopyInto${account}`, Effect: "Allow", Principal: { AWS: [ROOT(account)] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] }];
        const after = [...before, { Sid: `${PREFIX}OrgCopyInto`, Effect: "Allow", Principal: "*", Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-example"] } } }];
        changes.push({ ...base, address: `vault_policy.${name}`, type: "vault_policy", action: "update", before: { vault_name: name, statements: before }, after: { vault_name: name, statements: after }, changes: [{ path: `statements["${PREFIX}OrgCopyInto"]`, after: after[1]! }] });
        break;
      }
      case 2: {
        const dest = vaultArn(String(100000000000 + ((Math.floor(i / 20) + 1) % Math.max(1, Math.ceil(n / 20)))), region, "central");
        const before: Attributes = { name: `plan-${name}`, windows_vss: false, tags: {}, id: `plan-${i}`, rules: [rule("daily", name, [])] };
        const after: Attributes = { ...before, rules: [rule("daily", name, [dest], "cron(0 3 ? * * *)")] };
        changes.push({ ...base, address: `backup_plan.${name}`, type: "backup_plan", action: "update", before, after, changes: [{ path: "rules", before: before.rules, after: after.rules }] });
        break;
      }
      case 3:
        changes.push({ ...base, address: `vault.${name}`, type: "vault", action: "delete", before: { arn, encryption_key_arn: KEY_ARN, name, tags: {} }, after: null, changes: [{ path: "arn", before: arn }, { path: "name", before: name }], id: arn });
        break;
      default:
        changes.push({ ...base, address: `vault.${name}`, type: "vault", action: "replace", reason: "encryption_key_arn cannot change in place", before: { arn, encryption_key_arn: KEY_ARN, name, tags: {} }, after: { arn, encryption_key_arn: pendingArn, name, tags: {} }, changes: [{ path: "encryption_key_arn", before: KEY_ARN, knownAfterApply: true, forcesReplacement: true }], id: arn });
    }
  }
  changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const findings: Finding[] = Array.from({ length: Math.ceil(n / 100) }, (_, i) => ({
    severity: "warning" as const, code: "kms-key-deletion", address: `kms_key.k${i}`, message: `kms_key.k${i}: the key will be scheduled for deletion in 30 days; after that it is deleted for good`, hint: "Until then the deletion can be cancelled (kms:CancelKeyDeletion).",
  }));
  return plan(changes, [], findings);
}
