// The documented vault access policies and guardrail SCPs of the seed ([S4], [G1]-[G3]), each in a passing and
// a failing variant, evaluated the way the copy-route check and the sandbox evaluate them.

import { describe, expect, it } from "vitest";
import { evaluateRequest, FULL_AWS_ACCESS, type AuthzRequest, type PolicyDocument } from "./index.js";

const ORG = "o-a1b2c3d4e5";
const ROOT = "r-f6g7h8i9j0example";
const SOURCE = "111122223333";
const DEST = "444455556666";
const ROLE = `arn:aws:iam::${SOURCE}:role/service-role/AWSBackupDefaultServiceRole`;
const VAULT = `arn:aws:backup:eu-west-1:${DEST}:backup-vault:central`;
const RECOVERY_POINT = `arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0`;

function copyInto(orgPaths: string[], overrides: Partial<AuthzRequest> = {}, orgId = ORG): AuthzRequest {
  return {
    principal: { accountId: SOURCE, arn: ROLE },
    action: "backup:CopyIntoBackupVault",
    resource: VAULT,
    context: {
      "aws:PrincipalAccount": SOURCE,
      "aws:PrincipalArn": ROLE,
      "aws:PrincipalOrgID": orgId,
      "aws:PrincipalOrgPaths": orgPaths,
    },
    ...overrides,
  };
}

function vault(document: PolicyDocument, request: AuthzRequest) {
  return evaluateRequest({ request, resourceAccountId: DEST, identity: null, resource: [{ label: "vault", document }] });
}

describe("[S4] destination vault access policies", () => {
  const accountForm: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowAccountCopyIntoBackupVault",
        Effect: "Allow",
        Action: "backup:CopyIntoBackupVault",
        Resource: "*",
        Principal: { AWS: [`arn:aws:iam::${SOURCE}:root`, "arn:aws:iam::777788889999:role/CopyRole"] },
      },
    ],
  };
  const orgForm: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: "*",
        Action: "backup:CopyIntoBackupVault",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalOrgID": [ORG] } },
      },
    ],
  };
  const ouForm: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: "*",
        Action: "backup:CopyIntoBackupVault",
        Resource: "*",
        Condition: {
          "ForAnyValue:StringLike": {
            "aws:PrincipalOrgPaths": [
              `${ORG}/${ROOT}/ou-def0-awsbbbbb/`,
              `${ORG}/${ROOT}/ou-def0-awsbbbbb/ou-jkl0-awsddddd/*`,
            ],
          },
        },
      },
    ],
  };

  it("accounts + role: the source account passes, another account fails", () => {
    const pass = vault(accountForm, copyInto([`${ORG}/${ROOT}/`]));
    expect(pass.decision).toBe("allow");
    expect(pass.deciding).toEqual({ policy: "vault", sid: "AllowAccountCopyIntoBackupVault", index: 0, effect: "Allow" });
    const other = copyInto([`${ORG}/${ROOT}/`], {
      principal: { accountId: "999999999999", arn: "arn:aws:iam::999999999999:role/x" },
    });
    const fail = vault(accountForm, other);
    expect(fail.decision).toBe("implicit-deny");
    expect(fail.reason).toContain("resource policy does not allow");
  });

  it("accounts + role: the named role of a third account passes", () => {
    const request = copyInto([], { principal: { accountId: "777788889999", arn: "arn:aws:iam::777788889999:role/CopyRole" } });
    expect(vault(accountForm, request).decision).toBe("allow");
  });

  it("aws:PrincipalOrgID: the organization passes, another organization fails", () => {
    expect(vault(orgForm, copyInto([])).decision).toBe("allow");
    expect(vault(orgForm, copyInto([], {}, "o-zzzzzzzzzz")).decision).toBe("implicit-deny");
  });

  it("aws:PrincipalOrgPaths with ForAnyValue:StringLike: an account in the OU or below passes, elsewhere fails", () => {
    expect(vault(ouForm, copyInto([`${ORG}/${ROOT}/ou-def0-awsbbbbb/`])).decision).toBe("allow");
    expect(vault(ouForm, copyInto([`${ORG}/${ROOT}/ou-def0-awsbbbbb/ou-jkl0-awsddddd/ou-x/`])).decision).toBe("allow");
    // A sub-OU of ou-def0-awsbbbbb other than ou-jkl0-awsddddd is not covered: the first path has no `*`.
    expect(vault(ouForm, copyInto([`${ORG}/${ROOT}/ou-def0-awsbbbbb/ou-other/`])).decision).toBe("implicit-deny");
    expect(vault(ouForm, copyInto([`${ORG}/${ROOT}/ou-zzzz-awscccc/`])).decision).toBe("implicit-deny");
  });
});

describe("[G1]-[G3] guardrail SCPs", () => {
  const g1: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: "backup:CopyIntoBackupVault",
        Resource: "*",
        Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": "true" } },
      },
    ],
  };
  const g2: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyCopyFromBackupVault",
        Effect: "Deny",
        Action: "backup:CopyFromBackupVault",
        Resource: "arn:aws:ec2:*:*:snapshot/*",
        Condition: {
          "ForAllValues:ArnNotLike": {
            "backup:CopyTargets": [
              "arn:aws:backup:*:112233445566:backup-vault:cab-*",
              "arn:aws:backup:us-east-1:123456789012:backup-vault:fort-knox",
            ],
          },
        },
      },
    ],
  };
  const g3: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: "backup:CopyFromBackupVault",
        Resource: "*",
        Condition: {
          "ForAllValues:StringNotLike": {
            "backup:CopyTargetOrgPaths": [
              `${ORG}/${ROOT}/ou-def0-awsbbbbb/`,
              `${ORG}/${ROOT}/ou-def0-awsbbbbb/ou-jkl0-awsddddd/*`,
            ],
          },
        },
      },
    ],
  };
  const levels = (guardrail: PolicyDocument) => [
    { target: ROOT, policies: [{ label: "FullAWSAccess", document: FULL_AWS_ACCESS }] },
    { target: "ou-def0-awsaaaaa", policies: [{ label: "FullAWSAccess", document: FULL_AWS_ACCESS }, { label: "guardrail", document: guardrail }] },
    { target: SOURCE, policies: [{ label: "FullAWSAccess", document: FULL_AWS_ACCESS }] },
  ];
  const scp = (guardrail: PolicyDocument, request: AuthzRequest, resourceAccountId: string) =>
    evaluateRequest({ request, resourceAccountId, identity: null, resource: [], scps: levels(guardrail) });

  function copyFrom(targets: string[], targetOrgPaths: string[]): AuthzRequest {
    return {
      principal: { accountId: SOURCE, arn: ROLE },
      action: "backup:CopyFromBackupVault",
      resource: RECOVERY_POINT,
      context: { "backup:CopyTargets": targets, "backup:CopyTargetOrgPaths": targetOrgPaths },
    };
  }

  it("[G1] tag Null: a tagged destination vault passes, an untagged one is denied", () => {
    const tagged = copyInto([], { context: { "aws:ResourceTag/DestinationBackupVault": "yes" } });
    const untagged = copyInto([], { context: { "aws:ResourceTag/Other": "x" } });
    // The SCP decision alone: the vault side is not part of this check.
    const withVault = (request: AuthzRequest) =>
      evaluateRequest({
        request,
        resourceAccountId: DEST,
        identity: null,
        resource: [{ label: "vault", document: { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] } }],
        scps: levels(g1),
      });
    expect(withVault(tagged).decision).toBe("allow");
    const denied = withVault(untagged);
    expect(denied.decision).toBe("explicit-deny");
    expect(denied.deciding).toEqual({ policy: "guardrail", index: 0, effect: "Deny" });
  });

  it("[G2] ForAllValues:ArnNotLike on backup:CopyTargets: an allowed vault passes, a foreign one is denied", () => {
    const ok = scp(g2, copyFrom(["arn:aws:backup:eu-west-1:112233445566:backup-vault:cab-main"], []), SOURCE);
    expect(ok.decision).toBe("allow");
    const bad = scp(g2, copyFrom(["arn:aws:backup:eu-west-1:999999999999:backup-vault:cab-main"], []), SOURCE);
    expect(bad.decision).toBe("explicit-deny");
    expect(bad.deciding?.sid).toBe("DenyCopyFromBackupVault");
    // The documented weakness: a list mixing an allowed and a foreign vault passes ForAllValues:ArnNotLike.
    const mixed = copyFrom(
      ["arn:aws:backup:us-east-1:123456789012:backup-vault:fort-knox", "arn:aws:backup:eu-west-1:999999999999:backup-vault:x"],
      [],
    );
    expect(scp(g2, mixed, SOURCE).decision).toBe("allow");
  });

  it("[G3] ForAllValues:StringNotLike on backup:CopyTargetOrgPaths: a target in the OU passes, elsewhere is denied", () => {
    const ok = scp(g3, copyFrom([VAULT], [`${ORG}/${ROOT}/ou-def0-awsbbbbb/ou-jkl0-awsddddd/ou-deep/`]), SOURCE);
    expect(ok.decision).toBe("allow");
    const bad = scp(g3, copyFrom([VAULT], [`${ORG}/${ROOT}/ou-zzzz-awscccc/`]), SOURCE);
    expect(bad.decision).toBe("explicit-deny");
    expect(bad.reason).toContain("guardrail");
  });

  it("a level without an applicable Allow denies implicitly and names the level", () => {
    const noAllow = [
      { target: ROOT, policies: [{ label: "FullAWSAccess", document: FULL_AWS_ACCESS }] },
      { target: "ou-def0-awsaaaaa", policies: [{ label: "OnlyS3", document: { Statement: [{ Effect: "Allow" as const, Action: "s3:*", Resource: "*" }] } }] },
    ];
    const result = evaluateRequest({ request: copyFrom([VAULT], []), resourceAccountId: SOURCE, identity: null, scps: noAllow });
    expect(result.decision).toBe("implicit-deny");
    expect(result.reason).toContain("ou-def0-awsaaaaa");
  });
});
