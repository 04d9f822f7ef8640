// Each rule of the copy-route check on the fixture's working route, broken one fact at a time: the verdict, the
// rule id, the deciding policy and statement, and that the rest of the route still passes.
import { describe, expect, it } from "vitest";
import {
  AWS_KEY, CENTRAL_ARN, DEST_KEY, LOCAL_ARN, MGMT, OUTSIDE, OU_PROD, PREFIX, PROD, REGION, ROLE, SOURCE_KEY, VAULT, copyIntoStatement, parts, planAttributes,
  policyText, rootStatement, selection, shareStatements, withKey, withScp, withVault, worldOf, type FixtureParts,
} from "./route-fixture.js";
import { checkRoute } from "./verdicts.js";
import { readable, unreadable } from "./types.js";

const SOURCE = `${PROD}/${REGION}/local`;
const DEST = `${VAULT}/${REGION}/central`;

function verdict(p: FixtureParts, shareKeys: string[] = []) {
  const world = worldOf(p, shareKeys);
  expect(world.routes).toHaveLength(1);
  const check = checkRoute(world, world.routes[0]!);
  const failures = check.outcomes.filter((o) => o.status !== "ok").map((o) => o.failure!);
  return { ...check, failures, rules: failures.map((f) => f.rule) };
}

function withPlan(p: FixtureParts, copy: Record<string, unknown>, rule: Record<string, unknown> = {}): FixtureParts {
  p.live[0] = { ...p.live[0]!, attributes: planAttributes({ destination_vault_arn: CENTRAL_ARN, ...copy } as never, rule as never) };
  return p;
}

describe("the fixture's route", () => {
  it("passes every rule", () => {
    const v = verdict(parts());
    expect(v.failures).toEqual([]);
    expect(v.status).toBe("ok");
    expect(v.outcomes.find((o) => o.rule === "S4")?.allow).toEqual({ policy: "vault_policy.central", statement: copyIntoStatement.Sid });
    expect(v.outcomes.find((o) => o.rule === "S5")?.allow).toEqual({ policy: `key_share.local->${VAULT}`, statement: `${PREFIX}Use${VAULT}` });
  });
});

describe("[S1] both accounts in the organization", () => {
  it("fails for a destination outside the organization", () => {
    const p = withPlan(parts(), { destination_vault_arn: `arn:aws:backup:${REGION}:${OUTSIDE}:backup-vault:x` });
    const v = verdict(p);
    expect(v.status).toBe("fail");
    expect(v.failures[0]).toMatchObject({ rule: "S1", message: expect.stringContaining(`destination account ${OUTSIDE} is not a member`) });
  });
  it("is unknown when the organization was not read", () => {
    const p = parts();
    p.org = undefined;
    const v = verdict(p);
    expect(v.status).toBe("unknown");
    expect(v.failures.map((f) => f.rule)).toContain("S1");
  });
});

describe("[S2] trusted access and the cross-account setting", () => {
  it("fails when trusted access is off, naming org_trust", () => {
    const p = parts();
    p.facts.settings = readable({ trustedAccess: false, crossAccountBackup: true });
    expect(verdict(p).failures).toEqual([expect.objectContaining({ rule: "S2", policy: "org_trust" })]);
  });
  it("fails when the setting is off, naming cross_account_setting", () => {
    const p = parts();
    p.facts.settings = readable({ trustedAccess: true, crossAccountBackup: false });
    expect(verdict(p).failures).toEqual([expect.objectContaining({ rule: "S2", policy: "cross_account_setting", message: expect.stringContaining(MGMT) })]);
  });
  it("is unknown when they could not be read", () => {
    const p = parts();
    p.facts.settings = unreadable("AccessDenied");
    const v = verdict(p);
    expect(v.status).toBe("unknown");
    expect(v.failures[0]).toMatchObject({ rule: "S2", message: expect.stringContaining("cannot tell") });
  });
});

describe("[X1] not the Default vault", () => {
  it("fails a copy into another account's Default vault", () => {
    const v = verdict(withPlan(parts(), { destination_vault_arn: `arn:aws:backup:${REGION}:${VAULT}:backup-vault:Default` }));
    expect(v.rules).toContain("X1");
    expect(v.rules).not.toContain("S3");
  });
});

describe("[S3] destination vault with a customer managed key", () => {
  it("fails when the vault does not exist", () => {
    const p = parts();
    p.facts.vaults[DEST] = readable(null);
    expect(verdict(p).failures[0]).toMatchObject({ rule: "S3", message: expect.stringContaining("does not exist") });
  });
  it("fails when it is encrypted with an AWS managed key", () => {
    const p = withVault(parts(), DEST, { encryptionKeyArn: AWS_KEY });
    p.facts.keys[AWS_KEY] = readable({ arn: AWS_KEY, manager: "AWS", state: "Enabled" });
    expect(verdict(p).failures).toEqual([expect.objectContaining({ rule: "S3", policy: "vault.central", message: expect.stringContaining("AWS managed key") })]);
  });
  it("fails when its key is pending deletion", () => {
    const v = verdict(withKey(parts(), DEST_KEY, { state: "PendingDeletion" }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S3", message: expect.stringContaining("PendingDeletion") })]);
  });
  it("is unknown when the destination vault cannot be read", () => {
    const p = parts();
    p.facts.vaults[DEST] = unreadable("AccessDenied");
    expect(verdict(p).status).toBe("unknown");
  });
});

describe("[S4] the destination vault access policy", () => {
  it("fails without a policy", () => {
    const v = verdict(withVault(parts(), DEST, { policy: undefined }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S4", policy: "vault_policy.central", message: expect.stringContaining("has no access policy") })]);
  });
  it("fails when no statement names the source (implicit deny), and says how apply fixes it", () => {
    const v = verdict(withVault(parts(), DEST, { policy: policyText([{ ...copyIntoStatement, Sid: "Other", Principal: { AWS: "arn:aws:iam::444444444444:root" } }]) }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S4", policy: "vault_policy.central", fix: expect.stringContaining("crossvault apply") })]);
    expect(v.failures[0]!.statement).toBeUndefined();
  });
  it("fails on a foreign explicit deny, naming its Sid", () => {
    const deny = { Sid: "NoCopies", Effect: "Deny", Principal: "*", Action: "backup:CopyIntoBackupVault", Resource: "*" };
    const v = verdict(withVault(parts(), DEST, { policy: policyText([copyIntoStatement, deny]) }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S4", statement: "NoCopies" })]);
  });
  it("names a statement without a Sid by its index", () => {
    const deny = { Effect: "Deny", Principal: "*", Action: "backup:*", Resource: "*" };
    const v = verdict(withVault(parts(), DEST, { policy: policyText([copyIntoStatement, deny]) }));
    expect(v.failures[0]).toMatchObject({ rule: "S4", statement: "#1" });
  });
  it("evaluates each role of the selections as the principal", () => {
    const other = "arn:aws:iam::222222222222:role/OtherBackupRole";
    const p = parts();
    p.live.push({ ...selection([`arn:aws:dynamodb:${REGION}:${PROD}:table/b`], { iam_role_arn: other, name: "other" }), address: "backup_selection.prod.other" });
    withVault(p, DEST, { policy: policyText([{ ...copyIntoStatement, Principal: { AWS: ROLE } }]) });
    const v = verdict(p);
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S4", message: expect.stringContaining(other) })]);
  });
  it("is unknown for a policy the evaluator cannot read", () => {
    const v = verdict(withVault(parts(), DEST, { policy: "{not json" }));
    expect(v.status).toBe("unknown");
    expect(v.failures[0]).toMatchObject({ rule: "S4" });
  });
});

describe("[G1]-[G3] service control policies on the source's path", () => {
  it("[G2] a policy denying CopyFromBackupVault to the target fails, naming the SCP and statement", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Sid: "OnlyCab", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*", Condition: { "ForAnyValue:ArnNotLike": { "backup:CopyTargets": [`arn:aws:backup:*:${VAULT}:backup-vault:cab-*`] } } }] };
    const v = verdict(withScp(parts(), "p-onlycab01", "only-cab", doc, [OU_PROD]));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "G2", policy: "scp p-onlycab01 (only-cab)", statement: "OnlyCab", message: expect.stringContaining(OU_PROD) })]);
  });
  it("[G3] a policy on CopyTargetOrgPaths fails as G3", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*", Condition: { "ForAnyValue:StringNotLike": { "backup:CopyTargetOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/*"] } } }] };
    const v = verdict(withScp(parts(), "p-onlywork1", "only-work", doc, [PROD]));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "G3", statement: "#0", policy: "scp p-onlywork1 (only-work)" })]);
  });
  it("[G1] a tag guardrail fails when the destination lacks the tag", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": "true" } } }] };
    const p = withScp(parts(), "p-needtag01", "need-tag", doc, ["r-a1b2"]);
    expect(verdict(p).failures).toEqual([]);
    withVault(p, DEST, { tags: {} });
    expect(verdict(p).failures).toEqual([expect.objectContaining({ rule: "G1", policy: "scp p-needtag01 (need-tag)" })]);
  });
  it("a level where no policy allows the action denies implicitly, naming the level", () => {
    const p = parts();
    const scps = p.org!.scps!;
    scps[0]!.targets = scps[0]!.targets.filter((t) => t !== OU_PROD);
    withScp(p, "p-s3only001", "s3-only", { Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }, [OU_PROD]);
    expect(verdict(p).failures[0]).toMatchObject({ rule: "G2", message: expect.stringContaining(`attached to ${OU_PROD}`) });
  });
  it("SCPs do not apply while the policy type is disabled, nor to the management account", () => {
    const deny = { Statement: [{ Effect: "Deny", Action: "backup:*", Resource: "*" }] };
    const p = withScp(parts(), "p-denyall01", "deny-all", deny, [PROD]);
    expect(verdict(p).status).toBe("fail");
    p.org!.scpEnabled = false;
    expect(verdict(p).status).toBe("ok");
  });
  it("is unknown when the SCPs were not read", () => {
    const p = parts();
    delete p.org!.scps;
    const v = verdict(p);
    expect(v.status).toBe("unknown");
    expect(v.failures[0]).toMatchObject({ rule: "G2", message: expect.stringContaining("not read") });
  });
  it("an SCP limited to EBS snapshots applies to EBS routes only", () => {
    const doc = { Statement: [{ Sid: "NoEbs", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "arn:aws:ec2:*:*:snapshot/*" }] };
    const p = withScp(parts(), "p-noebs0001", "no-ebs", doc, [PROD]);
    expect(verdict(p).status).toBe("ok");
    p.live[1] = selection([`arn:aws:ec2:${REGION}:${PROD}:volume/vol-0123456789abcdef0`]);
    expect(verdict(p).failures[0]).toMatchObject({ rule: "G2", statement: "NoEbs" });
  });
});

describe("[S5] the source key lets the destination account use it", () => {
  it("fails when the share statements are missing, naming the share", () => {
    const v = verdict(withKey(parts(), SOURCE_KEY, { policy: policyText([rootStatement(PROD)]) }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S5", policy: `key_share.local->${VAULT}`, fix: expect.stringContaining("crossvault apply") })]);
  });
  it("fails on a foreign deny in the key policy", () => {
    const deny = { Sid: "NoOutside", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { StringNotEquals: { "kms:CallerAccount": PROD } } };
    const v = verdict(withKey(parts(), SOURCE_KEY, { policy: policyText([rootStatement(PROD), ...shareStatements, deny]) }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S5", statement: "NoOutside" })]);
  });
  it("passes for an organization-wide key statement", () => {
    const orgWide = { Sid: "OrgUse", Effect: "Allow", Principal: "*", Action: ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"], Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } };
    expect(verdict(withKey(parts(), SOURCE_KEY, { policy: policyText([rootStatement(PROD), orgWide]) })).status).toBe("ok");
  });
  it("checks every share_keys key too", () => {
    const extra = `arn:aws:kms:${REGION}:${PROD}:key/55555555-5555-5555-5555-555555555555`;
    const p = parts();
    p.facts.keys[extra] = readable({ arn: extra, manager: "CUSTOMER", state: "Enabled", policy: policyText([rootStatement(PROD)]) });
    const v = verdict(p, [extra]);
    expect(v.failures).toEqual([expect.objectContaining({ rule: "S5", message: expect.stringContaining(`share_keys key ${extra}`) })]);
  });
  it("fails when the source vault does not exist [S6]", () => {
    const p = parts();
    p.facts.vaults[SOURCE] = readable(null);
    expect(verdict(p).failures[0]).toMatchObject({ rule: "S6" });
  });
});

describe("[C3] types Backup does not fully manage under an AWS managed key", () => {
  it("passes for DynamoDB (fully managed) from a vault on the AWS managed key", () => {
    expect(verdict(withVault(parts(), SOURCE, { encryptionKeyArn: AWS_KEY })).status).toBe("ok");
  });
  it("fails for EBS from a vault on the AWS managed key", () => {
    const p = withVault(parts(), SOURCE, { encryptionKeyArn: AWS_KEY });
    p.live[1] = selection([`arn:aws:ec2:${REGION}:${PROD}:volume/vol-0123456789abcdef0`]);
    expect(verdict(p).failures).toEqual([expect.objectContaining({ rule: "C3", policy: "vault.local", message: expect.stringContaining("EBS") })]);
  });
  it("warns when the selections pick by tags only", () => {
    const p = withVault(parts(), SOURCE, { encryptionKeyArn: AWS_KEY });
    p.live[1] = selection([], { tags: [{ type: "STRINGEQUALS", key: "backup", value: "yes" }] });
    const v = verdict(p);
    expect(v.status).toBe("ok");
    expect(v.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "C3" })]));
  });
});

describe("[C4][C5] lifecycle", () => {
  it("[C4] fails when the rule moves recovery points to cold storage at once", () => {
    const v = verdict(withPlan(parts(), {}, { lifecycle: { move_to_cold_storage_after_days: 0, delete_after_days: 120 } }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "C4", policy: "backup_plan.prod.rule.daily" })]);
  });
  it("[C4] passes when they stay warm a day first", () => {
    expect(verdict(withPlan(parts(), {}, { lifecycle: { move_to_cold_storage_after_days: 1, delete_after_days: 120 } })).status).toBe("ok");
  });
  it("[C5] fails a copy lifecycle shorter than cold + 90 days", () => {
    const v = verdict(withPlan(parts(), { lifecycle: { move_to_cold_storage_after_days: 10, delete_after_days: 30 } }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "C5", fix: expect.stringContaining("100") })]);
  });
  it("[C5] fails a copy kept shorter than the destination's Vault Lock minimum", () => {
    const v = verdict(withVault(parts(), DEST, { minRetentionDays: 90 }));
    expect(v.failures).toEqual([expect.objectContaining({ rule: "C5", policy: "vault lock of vault.central", message: expect.stringContaining("kept 35 days") })]);
  });
  it("[C5] uses the copy's own lifecycle when it has one", () => {
    expect(verdict(withVault(withPlan(parts(), { lifecycle: { delete_after_days: 100 } }), DEST, { minRetentionDays: 90 })).status).toBe("ok");
  });
});

describe("warnings", () => {
  it("[X3] a destination account without a deny-leave guardrail", () => {
    const p = parts();
    expect(verdict(p).warnings).toEqual([expect.objectContaining({ rule: "X3", message: expect.stringContaining(VAULT) })]);
    withScp(p, "p-noleave01", "no-leave", { Statement: [{ Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" }] }, [VAULT]);
    expect(verdict(p).warnings).toEqual([]);
  });
  it("Principal \"*\" without an organization condition in the destination vault policy", () => {
    const open = { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "backup:CopyIntoBackupVault", Resource: "*" };
    const p = withVault(parts(), DEST, { policy: policyText([copyIntoStatement, open]) });
    expect(verdict(p).warnings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "S4", statement: "Anyone" })]));
    const scoped = { ...open, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } };
    withVault(p, DEST, { policy: policyText([copyIntoStatement, scoped]) });
    expect(verdict(p).warnings.filter((w) => w.rule === "S4")).toEqual([]);
  });
  it("ForAllValues:ArnNotLike on backup:CopyTargets: suggests ForAnyValue", () => {
    const doc = { Statement: [{ Sid: "Targets", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*", Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": [CENTRAL_ARN] } } }] };
    const v = verdict(withScp(parts(), "p-targets01", "targets", doc, [PROD]));
    expect(v.status).toBe("ok");
    expect(v.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "G2", statement: "Targets", fix: expect.stringContaining("ForAnyValue:ArnNotLike") })]));
  });
});

describe("copies within one account", () => {
  it("need no organization, vault policy or key share, only an existing destination", () => {
    const p = withPlan(parts(), { destination_vault_arn: LOCAL_ARN.replace(REGION, "us-east-1") });
    p.facts.settings = readable({ trustedAccess: false, crossAccountBackup: false });
    p.facts.vaults[`${PROD}/us-east-1/local`] = readable({ arn: LOCAL_ARN.replace(REGION, "us-east-1"), encryptionKeyArn: AWS_KEY, tags: {} });
    const v = verdict(p);
    expect(v.status).toBe("ok");
    expect(v.warnings).toEqual([]);
    p.facts.vaults[`${PROD}/us-east-1/local`] = readable(null);
    expect(verdict(p).rules).toEqual(["S3"]);
  });
});
