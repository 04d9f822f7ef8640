import { beforeEach, describe, expect, it } from "vitest";
import type { KmsKey } from "../kms/state.js";
import type { RecoveryPoint, Vault } from "./state.js";
import type { World } from "../../world.js";
import { createWorld, DEFAULT_FIXTURE } from "../../fixture.js";
import { accountState, eventual, regionState, setEventual } from "../../world.js";
import { awsManagedKeyId, keyArn } from "../kms/state.js";
import { vaultArn } from "./state.js";
import { createCopyJob } from "./copy-jobs.js";
import { evaluateCopyJob, type CopyVerdict } from "./copy-rules.js";

const T0 = Date.UTC(2025, 0, 1);
const REGION = "eu-west-1";
const MGMT = "111111111111";
const SOURCE = "222222222222"; // OU path o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-prod0001/
const DEST = "333333333333"; // OU path o-a1b2c3d4e5/r-a1b2/ou-a1b2-secu0001/
const OUTSIDE = "999999999999";
const ROLE = `arn:aws:iam::${SOURCE}:role/service-role/AWSBackupDefaultServiceRole`;
const settings = { consistencyDelayMs: 0, jobDurationMs: 1000 };

function cmk(world: World, account: string, id: string, statements: object[]): KmsKey {
  const arn = keyArn(account, REGION, id);
  const key: KmsKey = {
    keyId: id, arn, description: "", keyManager: "CUSTOMER", keyState: "Enabled", createdAt: T0, keySpec: "SYMMETRIC_DEFAULT",
    keyUsage: "ENCRYPT_DECRYPT", tags: {}, rotationEnabled: false, grants: [],
    policy: eventual(JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }, ...statements],
    }), T0),
  };
  regionState(world, account, REGION, T0).kms.keys[id] = key;
  return key;
}

function shareWith(account: string): object[] {
  return [
    { Sid: "AllowDestinationAccountUseOfTheKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*" },
    { Sid: "AllowDestinationAccountGrants", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: "*", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
  ];
}

function vault(world: World, account: string, name: string, key: string, extra: Partial<Vault> = {}): Vault {
  const v: Vault = { name, arn: vaultArn(account, REGION, name), encryptionKeyArn: key, createdAt: T0, tags: {}, recoveryPoints: {}, ...extra };
  regionState(world, account, REGION, T0).backup.vaults[name] = v;
  return v;
}

const allowSource = (principal: unknown = { AWS: `arn:aws:iam::${SOURCE}:root` }, condition?: object): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "AllowCopyIn", Effect: "Allow", Principal: principal, Action: "backup:CopyIntoBackupVault", Resource: "*", ...(condition ? { Condition: condition } : {}) }] });

interface Route {
  world: World;
  source: Vault;
  dest: Vault;
  rp: RecoveryPoint;
}

/** A complete valid cross-account route: every rule met. */
function validRoute(resourceType = "EBS"): Route {
  const world = createWorld(DEFAULT_FIXTURE, T0);
  setEventual(world.org.serviceAccess, { "backup.amazonaws.com": T0 }, T0);
  const gs = accountState(world, MGMT, T0).backup.globalSettings;
  setEventual(gs, { ...gs.current, isCrossAccountBackupEnabled: "true" }, T0);
  const destKey = cmk(world, DEST, "dddddddd-0000-4000-8000-000000000001", []);
  const dest = vault(world, DEST, "cab-central", destKey.arn, { policy: allowSource(), tags: { DestinationBackupVault: "true" } });
  const sourceKey = cmk(world, SOURCE, "ssssssss-0000-4000-8000-000000000001", shareWith(DEST));
  const source = vault(world, SOURCE, "prod-vault", sourceKey.arn);
  const arn = resourceType === "EBS" ? `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0` : `arn:aws:backup:${REGION}:${SOURCE}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`;
  const resourceArn = resourceType === "EBS" ? `arn:aws:ec2:${REGION}:${SOURCE}:volume/vol-0123456789abcdef0` : `arn:aws:elasticfilesystem:${REGION}:${SOURCE}:file-system/fs-0123456789abcdef0`;
  const rp: RecoveryPoint = {
    arn, resourceArn, resourceType, vaultName: source.name, createdAt: T0, completedAt: T0, status: "COMPLETED", storageClass: "WARM",
    encryptionKeyArn: sourceKey.arn, iamRoleArn: ROLE, lifecycle: { DeleteAfterDays: 35 }, tags: {},
  };
  source.recoveryPoints[arn] = rp;
  return { world, source, dest, rp };
}

function verdictOf(route: Route, destinationVaultArn = route.dest.arn, at = T0 + 1000, delayMs = 0): CopyVerdict {
  const job = createCopyJob(route.world, { accountId: SOURCE, region: REGION, sourceVault: route.source, recoveryPoint: route.rp, destinationVaultArn, iamRoleArn: ROLE, at: at - 1000 });
  return evaluateCopyJob(route.world, job, at, { ...settings, consistencyDelayMs: delayMs });
}

function attachScp(world: World, id: string, target: string, statement: object): void {
  world.org.policies[id] = {
    id, arn: `arn:aws:organizations::${MGMT}:policy/o-a1b2c3d4e5/service_control_policy/${id}`, name: id.replace(/^p-/, "guard-"), description: "",
    type: "SERVICE_CONTROL_POLICY", content: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }), awsManaged: false, tags: {}, targets: [target],
  };
}

function expectFailure(v: CopyVerdict, rule: string, category: string, message: string | RegExp): void {
  expect(v.ok).toBe(false);
  if (v.ok) return;
  expect(v.rule).toBe(rule);
  expect(v.category).toBe(category);
  if (typeof message === "string") expect(v.message).toContain(message);
  else expect(v.message).toMatch(message);
}

describe("evaluateCopyJob", () => {
  let route: Route;
  beforeEach(() => {
    route = validRoute();
  });

  it("lets a copy through when every rule is met, with the destination and the source lifecycle", () => {
    const v = verdictOf(route);
    expect(v).toMatchObject({ ok: true, destinationAccountId: DEST, destinationRegion: REGION, lifecycle: { DeleteAfterDays: 35 } });
  });

  it("[S1] fails when the destination account is outside the organization", () => {
    vault(route.world, OUTSIDE, "cab-outside", cmk(route.world, OUTSIDE, "oooooooo-0000-4000-8000-000000000001", []).arn, { policy: allowSource() });
    expectFailure(verdictOf(route, vaultArn(OUTSIDE, REGION, "cab-outside")), "S1", "AccessDenied",
      "Access denied: Copy job failed. Both source and destination account must be a member of the same organization");
  });

  it("[S2] fails when trusted access for Backup is not enabled", () => {
    setEventual(route.world.org.serviceAccess, {}, T0 + 1);
    expectFailure(verdictOf(route), "S2", "AccessDenied", /Trusted access for AWS Backup \(backup\.amazonaws\.com\) is not enabled/);
  });

  it("[S2] fails when the management account has not turned cross-account backup on", () => {
    const gs = accountState(route.world, MGMT, T0).backup.globalSettings;
    setEventual(gs, { ...gs.current, isCrossAccountBackupEnabled: "false" }, T0 + 1);
    expectFailure(verdictOf(route), "S2", "AccessDenied", /Cross-account backup is not enabled .* isCrossAccountBackupEnabled/);
  });

  it("[S2] ignores a member account's own global settings", () => {
    const gsMgmt = accountState(route.world, MGMT, T0).backup.globalSettings;
    setEventual(gsMgmt, { ...gsMgmt.current, isCrossAccountBackupEnabled: "false" }, T0 + 1);
    const gsSource = accountState(route.world, SOURCE, T0).backup.globalSettings;
    setEventual(gsSource, { ...gsSource.current, isCrossAccountBackupEnabled: "true" }, T0 + 1);
    expectFailure(verdictOf(route), "S2", "AccessDenied", "isCrossAccountBackupEnabled");
  });

  it("[X1] fails when the destination is the Default vault, whatever its policy", () => {
    const def = regionState(route.world, DEST, REGION, T0).backup.vaults.Default!;
    def.policy = allowSource();
    expectFailure(verdictOf(route, def.arn), "X1", "AccessDenied", /Default backup vault .* cannot be the destination of a cross-account copy/);
  });

  it("[S3] fails when the destination vault does not exist", () => {
    expectFailure(verdictOf(route, vaultArn(DEST, REGION, "no-such-vault")), "S3", "AccessDenied", /Destination backup vault .*no-such-vault does not exist/);
  });

  it("[S3] fails when the destination vault uses the AWS managed key", () => {
    route.dest.encryptionKeyArn = keyArn(DEST, REGION, awsManagedKeyId(DEST, REGION, "aws/backup"));
    expectFailure(verdictOf(route), "S3", "AccessDenied", /encrypted with the AWS managed key .* customer managed KMS key/);
  });

  it("[S4] fails when the destination vault has no access policy", () => {
    delete route.dest.policy;
    expectFailure(verdictOf(route), "S4", "AccessDenied", "Access Denied trying to call AWS Backup service");
  });

  it("[S4] fails when the vault policy allows another account only", () => {
    route.dest.policy = allowSource({ AWS: "arn:aws:iam::444444444444:root" });
    expectFailure(verdictOf(route), "S4", "AccessDenied", /Access Denied trying to call AWS Backup service: the access policy of backup vault .* does not allow backup:CopyIntoBackupVault/);
  });

  it("[S4] fails when the vault policy allows another action only", () => {
    route.dest.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${SOURCE}:root` }, Action: "backup:DescribeBackupVault", Resource: "*" }] });
    expectFailure(verdictOf(route), "S4", "AccessDenied", "Access Denied trying to call AWS Backup service");
  });

  it("[S4] fails on an explicit deny in the vault policy, naming the statement", () => {
    route.dest.policy = JSON.stringify({ Version: "2012-10-17", Statement: [
      JSON.parse(allowSource()).Statement[0],
      { Sid: "NoProd", Effect: "Deny", Principal: "*", Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": SOURCE } } },
    ] });
    expectFailure(verdictOf(route), "S4", "AccessDenied", /explicitly denied by the access policy of backup vault .* "NoProd"/);
  });

  it("[S4] accepts the organization and OU forms of the vault policy, and the role itself", () => {
    route.dest.policy = allowSource("*", { StringEquals: { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } });
    expect(verdictOf(route).ok).toBe(true);
    route.dest.policy = allowSource("*", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/*"] } });
    expect(verdictOf(route).ok).toBe(true);
    route.dest.policy = allowSource({ AWS: ROLE });
    expect(verdictOf(route).ok).toBe(true);
  });

  it("[S4] refuses an organization policy naming another organization or OU", () => {
    route.dest.policy = allowSource("*", { StringEquals: { "aws:PrincipalOrgID": ["o-zzzzzzzzzz"] } });
    expectFailure(verdictOf(route), "S4", "AccessDenied", "Access Denied trying to call AWS Backup service");
    route.dest.policy = allowSource("*", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-secu0001/*"] } });
    expectFailure(verdictOf(route), "S4", "AccessDenied", "Access Denied trying to call AWS Backup service");
  });

  it("[G1] fails when an SCP on the source path denies copying into untagged vaults", () => {
    route.dest.tags = {};
    attachScp(route.world, "p-tagguard01", "ou-a1b2-work0001", { Sid: "OnlyTaggedVaults", Effect: "Deny", Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": "true" } } });
    expectFailure(verdictOf(route), "G1", "AccessDenied", /backup:CopyIntoBackupVault on .*cab-central by .* is explicitly denied by service control policy guard-tagguard01 \(p-tagguard01\) attached to ou-a1b2-work0001 \(statement "OnlyTaggedVaults"\)/);
    route.dest.tags = { DestinationBackupVault: "yes" };
    expect(verdictOf(route).ok).toBe(true);
  });

  it("[G2] fails when an SCP limits copy targets to other vaults", () => {
    attachScp(route.world, "p-targets001", SOURCE, { Sid: "DenyCopyFromBackupVault", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "arn:aws:ec2:*:*:snapshot/*",
      Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": ["arn:aws:backup:*:333333333333:backup-vault:fort-*"] } } });
    expectFailure(verdictOf(route), "G2", "AccessDenied", /backup:CopyFromBackupVault on arn:aws:ec2:.*snapshot.* is explicitly denied by service control policy .*"DenyCopyFromBackupVault"/);
    attachScp(route.world, "p-targets001", SOURCE, { Sid: "DenyCopyFromBackupVault", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "arn:aws:ec2:*:*:snapshot/*",
      Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": ["arn:aws:backup:*:333333333333:backup-vault:cab-*"] } } });
    expect(verdictOf(route).ok).toBe(true);
  });

  it("[G3] fails when an SCP limits copy targets to other OUs", () => {
    attachScp(route.world, "p-orgpaths01", "r-a1b2", { Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*",
      Condition: { "ForAllValues:StringNotLike": { "backup:CopyTargetOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/*"] } } });
    expectFailure(verdictOf(route), "G3", "AccessDenied", /attached to r-a1b2 \(statement #0\)/);
    attachScp(route.world, "p-orgpaths01", "r-a1b2", { Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*",
      Condition: { "ForAllValues:StringNotLike": { "backup:CopyTargetOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-secu0001/*"] } } });
    expect(verdictOf(route).ok).toBe(true);
  });

  it("[G] fails when a level of the source path has no SCP allowing the copy", () => {
    const full = route.world.org.policies["p-FullAWSAccess"]!;
    full.targets = full.targets.filter((t) => t !== "ou-a1b2-prod0001");
    attachScp(route.world, "p-onlyread01", "ou-a1b2-prod0001", { Effect: "Allow", Action: "backup:Describe*", Resource: "*" });
    expectFailure(verdictOf(route), "G2", "AccessDenied", /is not allowed by any service control policy attached to ou-a1b2-prod0001/);
  });

  it("[G] ignores SCPs on the destination's path: they restrict the destination's own principals", () => {
    attachScp(route.world, "p-destdeny01", DEST, { Effect: "Deny", Action: "backup:*", Resource: "*" });
    expect(verdictOf(route).ok).toBe(true);
  });

  it("[S5] fails when the source key policy does not allow the destination account", () => {
    cmk(route.world, SOURCE, "ssssssss-0000-4000-8000-000000000001", shareWith("444444444444"));
    expectFailure(verdictOf(route), "S5", "AccessDenied", "AMI snapshot copy failed with error: Given key ID is not accessible. You must have DescribeKey permissions on the default CMK");
  });

  it("[S5] fails when the source key is shared without grants for AWS resources", () => {
    cmk(route.world, SOURCE, "ssssssss-0000-4000-8000-000000000001", shareWith(DEST).slice(0, 1));
    expectFailure(verdictOf(route), "S5", "AccessDenied", /does not allow account 333333333333 to use kms:CreateGrant/);
  });

  it("[S5] applies to fully managed types whose source vault key is a customer managed key", () => {
    route = validRoute("EFS");
    cmk(route.world, SOURCE, "ssssssss-0000-4000-8000-000000000001", []);
    expectFailure(verdictOf(route), "S5", "AccessDenied", /Access Denied trying to call AWS Backup service: .*does not allow account 333333333333/);
  });

  it("[C3] fails for an EBS recovery point under an AWS managed key, but not for EFS", () => {
    const awsKey = keyArn(SOURCE, REGION, awsManagedKeyId(SOURCE, REGION, "aws/backup"));
    route.rp.encryptionKeyArn = awsKey;
    expectFailure(verdictOf(route), "C3", "AccessDenied", /Given key ID is not accessible.*AWS managed key/);
    const efs = validRoute("EFS");
    efs.rp.encryptionKeyArn = keyArn(SOURCE, REGION, awsManagedKeyId(SOURCE, REGION, "aws/backup"));
    expect(verdictOf(efs).ok).toBe(true);
  });

  it("[C4] fails for a recovery point that has moved to cold storage", () => {
    route = validRoute("EFS");
    route.rp.lifecycle = { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 120 };
    expect(verdictOf(route, route.dest.arn, T0 + 3_600_000).ok).toBe(true);
    expectFailure(verdictOf(route, route.dest.arn, T0 + 2 * 86_400_000), "C4", "InvalidParameters", /is in cold storage/);
  });

  it("fails when the source recovery point was deleted before the job ran", () => {
    const job = createCopyJob(route.world, { accountId: SOURCE, region: REGION, sourceVault: route.source, recoveryPoint: route.rp, destinationVaultArn: route.dest.arn, iamRoleArn: ROLE, at: T0 });
    delete route.source.recoveryPoints[route.rp.arn];
    expectFailure(evaluateCopyJob(route.world, job, T0 + 1000, settings), "RP", "InvalidParameters", "no longer exists");
  });

  it("fails when the copy's retention is outside the destination vault's lock", () => {
    route.dest.lock = { minRetentionDays: 90 };
    expectFailure(verdictOf(route), "LOCK", "InvalidParameters", /Vault Lock of backup vault cab-central \(MinRetentionDays 90\)/);
  });

  it("copies within one account without the cross-account rules", () => {
    const world = route.world;
    setEventual(world.org.serviceAccess, {}, T0 + 1);
    const other = vault(world, SOURCE, "second", keyArn(SOURCE, REGION, awsManagedKeyId(SOURCE, REGION, "aws/backup")));
    expect(verdictOf(route, other.arn)).toMatchObject({ ok: true, destinationAccountId: SOURCE });
    expect(verdictOf(route, regionState(world, SOURCE, REGION, T0).backup.vaults.Default!.arn).ok).toBe(true);
  });

  describe("[X2] eventual consistency", () => {
    // The route is set up at T0; every read below happens at least DELAY after it.
    const DELAY = 60_000;

    it("does not yet see trusted access and the setting enabled within the delay", () => {
      const world = route.world;
      world.org.serviceAccess = eventual({}, T0);
      const gs = accountState(world, MGMT, T0).backup.globalSettings;
      gs.history = [{ value: { ...gs.current, isCrossAccountBackupEnabled: "false" }, at: T0 }];
      const enabledAt = T0 + 100_000;
      setEventual(world.org.serviceAccess, { "backup.amazonaws.com": enabledAt }, enabledAt);
      setEventual(gs, { ...gs.current, isCrossAccountBackupEnabled: "true" }, enabledAt);
      expectFailure(verdictOf(route, route.dest.arn, enabledAt + 2000, DELAY), "S2", "AccessDenied", "not enabled");
      expect(verdictOf(route, route.dest.arn, enabledAt + DELAY + 1, DELAY).ok).toBe(true);
    });

    it("still lets copies through for the delay after cross-account backup is disabled", () => {
      const gs = accountState(route.world, MGMT, T0).backup.globalSettings;
      const disabledAt = T0 + 100_000;
      setEventual(gs, { ...gs.current, isCrossAccountBackupEnabled: "false" }, disabledAt);
      expect(verdictOf(route, route.dest.arn, disabledAt + 2000, DELAY).ok).toBe(true);
      expectFailure(verdictOf(route, route.dest.arn, disabledAt + DELAY + 1, DELAY), "S2", "AccessDenied", "isCrossAccountBackupEnabled");
    });

    it("reads the source key policy as it was before the delay", () => {
      const key = Object.values(regionState(route.world, SOURCE, REGION, T0).kms.keys).find((k) => k.keyManager === "CUSTOMER")!;
      const sharedAt = T0 + 100_000;
      key.policy = eventual(JSON.stringify({ Version: "2012-10-17", Statement: [] }), T0);
      setEventual(key.policy, JSON.stringify({ Version: "2012-10-17", Statement: shareWith(DEST) }), sharedAt);
      expectFailure(verdictOf(route, route.dest.arn, sharedAt + 1000, DELAY), "S5", "AccessDenied", "Given key ID is not accessible");
      expect(verdictOf(route, route.dest.arn, sharedAt + DELAY, DELAY).ok).toBe(true);
    });
  });
});
