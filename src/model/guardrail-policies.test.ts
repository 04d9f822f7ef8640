// The guardrail SCPs against the seed's forms, and against the policy evaluator the sandbox and the route check
// share: each denies what its rule forbids and nothing else; [G2] also denies a target list that mixes an
// allowed and a foreign vault, which the documented ForAllValues form lets through.
import { describe, expect, it } from "vitest";
import { evaluateScps, FULL_AWS_ACCESS, type AuthzRequest, type PolicyDocument } from "../check/policy/index.js";
import { GUARDRAIL_SIDS, guardrailKindOf, guardrailPolicy, policyText } from "./guardrail-policies.js";
import { normalizeStatement } from "./policy-normal.js";

const ORG = "o-a1b2c3d4e5";
const SOURCE = "222222222222";
const ROLE = `arn:aws:iam::${SOURCE}:role/service-role/AWSBackupDefaultServiceRole`;
const CENTRAL = "arn:aws:backup:eu-west-1:333333333333:backup-vault:central";
const CAB = "arn:aws:backup:*:112233445566:backup-vault:cab-*";
const FOREIGN = "arn:aws:backup:eu-west-1:999999999999:backup-vault:exfil";
const RECOVERY_POINT = "arn:aws:backup:eu-west-1:222222222222:recovery-point:0f7c1a52-5f0c-4c57-9d3e-8a3a4f9e2b10";

function copyFrom(targets: string[], orgPaths: string[] | undefined): AuthzRequest {
  return {
    principal: { accountId: SOURCE, arn: ROLE },
    action: "backup:CopyFromBackupVault",
    resource: RECOVERY_POINT,
    context: { "aws:PrincipalAccount": SOURCE, "backup:CopyTargets": targets, ...(orgPaths ? { "backup:CopyTargetOrgPaths": orgPaths } : {}) },
  };
}

/** The guardrail attached to the source account, beside FullAWSAccess on the root. */
function decide(policy: unknown, request: AuthzRequest): string {
  return evaluateScps(
    [
      { target: "r-a1b2", policies: [{ label: "FullAWSAccess", document: FULL_AWS_ACCESS }] },
      { target: SOURCE, policies: [{ label: "FullAWSAccess", document: FULL_AWS_ACCESS }, { label: "guardrail", document: policy as PolicyDocument }] },
    ],
    request,
  ).decision;
}

describe("guardrail policies", () => {
  it("[G1] is the seed's tag form: Deny CopyIntoBackupVault when the tag is Null", () => {
    expect(guardrailPolicy("require_destination_tag", { tagKey: "DestinationBackupVault" })).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "DenyCopyIntoUntaggedVaults", Effect: "Deny", Action: ["backup:CopyIntoBackupVault"], Resource: ["*"], Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": ["true"] } } }],
    });
    const policy = guardrailPolicy("require_destination_tag", { tagKey: "BackupTarget" });
    const into = (tags: Record<string, string>): AuthzRequest => ({
      principal: { accountId: SOURCE, arn: ROLE }, action: "backup:CopyIntoBackupVault", resource: CENTRAL,
      context: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
    });
    expect(decide(policy, into({ BackupTarget: "yes" }))).toBe("allow");
    expect(decide(policy, into({ DestinationBackupVault: "true" }))).toBe("explicit-deny");
    expect(decide(policy, into({}))).toBe("explicit-deny");
  });

  it("[G2] denies a copy to any vault outside the list, on every resource type, with ForAnyValue", () => {
    const policy = guardrailPolicy("restrict_copy_targets", { allowedVaultArns: [CENTRAL, CAB] });
    expect(policy.Statement[0]).toEqual({
      Sid: "DenyCopyToUnlistedVaults", Effect: "Deny", Action: ["backup:CopyFromBackupVault"], Resource: ["*"],
      Condition: { "ForAnyValue:ArnNotLike": { "backup:CopyTargets": [CAB, CENTRAL] } },
    });
    expect(decide(policy, copyFrom([CENTRAL], undefined))).toBe("allow");
    expect(decide(policy, copyFrom(["arn:aws:backup:us-east-1:112233445566:backup-vault:cab-7"], undefined))).toBe("allow");
    expect(decide(policy, copyFrom([FOREIGN], undefined))).toBe("explicit-deny");
    // The mixed list: denied here, while the documented ForAllValues form lets it pass.
    expect(decide(policy, copyFrom([CENTRAL, FOREIGN], undefined))).toBe("explicit-deny");
    const documented = { Version: "2012-10-17", Statement: [{ ...policy.Statement[0], Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": [CAB, CENTRAL] } } }] };
    expect(decide(documented, copyFrom([CENTRAL, FOREIGN], undefined))).toBe("allow");
    // Not only EBS snapshots: a recovery point of a fully managed type is restricted too.
    expect(decide(policy, { ...copyFrom([FOREIGN], undefined), resource: "arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0" })).toBe("explicit-deny");
  });

  it("[G3] denies a copy to a target outside the allowed org paths, a mixed list included", () => {
    const allowed = `${ORG}/r-a1b2/ou-a1b2-secu0001/*`;
    const inside = `${ORG}/r-a1b2/ou-a1b2-secu0001/`;
    const outside = `${ORG}/r-a1b2/ou-a1b2-work0001/`;
    const policy = guardrailPolicy("restrict_copy_target_ous", { allowedOrgPaths: [allowed] });
    expect(policy.Statement[0]).toEqual({
      Sid: "DenyCopyOutsideAllowedOrgPaths", Effect: "Deny", Action: ["backup:CopyFromBackupVault"], Resource: ["*"],
      Condition: { "ForAnyValue:StringNotLike": { "backup:CopyTargetOrgPaths": [allowed] } },
    });
    expect(decide(policy, copyFrom([CENTRAL], [inside]))).toBe("allow");
    expect(decide(policy, copyFrom([CENTRAL], [outside]))).toBe("explicit-deny");
    expect(decide(policy, copyFrom([CENTRAL, FOREIGN], [inside, outside]))).toBe("explicit-deny");
    const documented = { Version: "2012-10-17", Statement: [{ ...policy.Statement[0], Condition: { "ForAllValues:StringNotLike": { "backup:CopyTargetOrgPaths": [allowed] } } }] };
    expect(decide(documented, copyFrom([CENTRAL, FOREIGN], [inside, outside]))).toBe("allow");
  });

  it("[X3] denies leaving the organization and nothing else", () => {
    const policy = guardrailPolicy("deny_leave_organization", {});
    expect(policy.Statement).toEqual([{ Sid: "DenyLeaveOrganization", Effect: "Deny", Action: ["organizations:LeaveOrganization"], Resource: ["*"] }]);
    const leave: AuthzRequest = { principal: { accountId: SOURCE, arn: ROLE }, action: "organizations:LeaveOrganization", resource: "*", context: {} };
    expect(decide(policy, leave)).toBe("explicit-deny");
    expect(decide(policy, copyFrom([FOREIGN], undefined))).toBe("allow");
  });

  it("builds every statement in normal form, so the reader's normal form of the written text equals it", () => {
    for (const kind of Object.keys(GUARDRAIL_SIDS) as Array<keyof typeof GUARDRAIL_SIDS>) {
      const policy = guardrailPolicy(kind, { tagKey: "T", allowedVaultArns: [CENTRAL, CAB, CENTRAL], allowedOrgPaths: [`${ORG}/*`] });
      for (const s of policy.Statement) expect(normalizeStatement(s)).toEqual(s);
      expect(JSON.parse(policyText(policy))).toEqual(policy);
    }
  });

  it("recognises a kind by its statement's Sid, as text or object, and nothing else", () => {
    for (const kind of Object.keys(GUARDRAIL_SIDS) as Array<keyof typeof GUARDRAIL_SIDS>) {
      const policy = guardrailPolicy(kind, { allowedVaultArns: [CENTRAL], allowedOrgPaths: [`${ORG}/*`] });
      expect(guardrailKindOf(policy)).toBe(kind);
      expect(guardrailKindOf(JSON.stringify(policy))).toBe(kind);
    }
    expect(guardrailKindOf(FULL_AWS_ACCESS)).toBeUndefined();
    expect(guardrailKindOf("not json")).toBeUndefined();
    const two = { Version: "2012-10-17", Statement: [guardrailPolicy("deny_leave_organization", {}).Statement[0], guardrailPolicy("require_destination_tag", {}).Statement[0]] };
    expect(guardrailKindOf(two)).toBeUndefined();
  });
});
