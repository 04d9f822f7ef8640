// The seed's documented policies on a whole route: the three destination vault policy forms [S4] (accounts +
// role, aws:PrincipalOrgPaths with ForAnyValue:StringLike, aws:PrincipalOrgID) and the three guardrail SCPs
// [G1]-[G3] (tag Null, ForAllValues:ArnNotLike on backup:CopyTargets, ForAllValues:StringNotLike on
// backup:CopyTargetOrgPaths), each in a passing and a failing variant. The request context comes from the
// organization's facts: the verdict changes with the source's or destination's place in it.
import { describe, expect, it } from "vitest";
import { CENTRAL_ARN, ORG, OU_PROD, OU_SECU, OU_WORK, PROD, REGION, ROLE, ROOT, STAGING, VAULT, parts, policyText, withScp, withVault, worldOf, type FixtureParts } from "./route-fixture.js";
import { checkRoute } from "./verdicts.js";

const DEST = `${VAULT}/${REGION}/central`;

function failures(p: FixtureParts) {
  const world = worldOf(p);
  const check = checkRoute(world, world.routes[0]!);
  return check.outcomes.filter((o) => o.status !== "ok").map((o) => o.failure!);
}

/** The source account moved elsewhere in the organization (its org path changes, nothing else). */
function sourceUnder(p: FixtureParts, path: string): FixtureParts {
  p.org!.accountPaths[PROD] = path;
  return p;
}

describe("[S4] the three vault policy forms", () => {
  const accountsAndRole = {
    Sid: "AllowAccountCopyIntoBackupVault", Effect: "Allow", Action: "backup:CopyIntoBackupVault", Resource: "*",
    Principal: { AWS: [`arn:aws:iam::${STAGING}:root`, ROLE] },
  };
  const orgPaths = {
    Sid: "OrgPaths", Effect: "Allow", Principal: "*", Action: "backup:CopyIntoBackupVault", Resource: "*",
    Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": [`${ORG}/${ROOT}/${OU_WORK}/`, `${ORG}/${ROOT}/${OU_WORK}/${OU_PROD}/*`] } },
  };
  const orgId = {
    Sid: "WholeOrg", Effect: "Allow", Principal: "*", Action: "backup:CopyIntoBackupVault", Resource: "*",
    Condition: { StringEquals: { "aws:PrincipalOrgID": [ORG] } },
  };

  it("accounts + role: passes for the named role, fails for another role of the same account", () => {
    expect(failures(withVault(parts(), DEST, { policy: policyText([accountsAndRole]) }))).toEqual([]);
    const other = { ...accountsAndRole, Principal: { AWS: [`arn:aws:iam::${STAGING}:root`, `arn:aws:iam::${PROD}:role/SomeoneElse`] } };
    expect(failures(withVault(parts(), DEST, { policy: policyText([other]) }))).toEqual([expect.objectContaining({ rule: "S4", message: expect.stringContaining(ROLE) })]);
  });

  it("aws:PrincipalOrgPaths with ForAnyValue:StringLike: passes below the OU, fails elsewhere", () => {
    // prod sits at o/r/ou-work/ou-prod/: the second pattern (ou-prod/*) needs something below ou-prod.
    expect(failures(withVault(sourceUnder(parts(), `${ORG}/${ROOT}/${OU_WORK}/${OU_PROD}/ou-a1b2-team0001/`), DEST, { policy: policyText([orgPaths]) }))).toEqual([]);
    expect(failures(withVault(sourceUnder(parts(), `${ORG}/${ROOT}/${OU_WORK}/`), DEST, { policy: policyText([orgPaths]) }))).toEqual([]);
    const elsewhere = failures(withVault(sourceUnder(parts(), `${ORG}/${ROOT}/${OU_SECU}/`), DEST, { policy: policyText([orgPaths]) }));
    expect(elsewhere).toEqual([expect.objectContaining({ rule: "S4", message: expect.stringContaining(`org path ${ORG}/${ROOT}/${OU_SECU}/`) })]);
  });

  it("aws:PrincipalOrgID: passes for the organization, fails for a policy naming another", () => {
    expect(failures(withVault(parts(), DEST, { policy: policyText([orgId]) }))).toEqual([]);
    const other = { ...orgId, Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-zzzzzzzzzz"] } } };
    expect(failures(withVault(parts(), DEST, { policy: policyText([other]) }))).toEqual([expect.objectContaining({ rule: "S4" })]);
  });
});

describe("[G1]-[G3] the three guardrail SCPs", () => {
  const g1 = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { Null: { "aws:ResourceTag/DestinationBackupVault": "true" } } }] };
  const g2 = (allowed: string[]) => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "DenyCopyFromBackupVault", Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*", Condition: { "ForAllValues:ArnNotLike": { "backup:CopyTargets": allowed } } }],
  });
  const g3 = (allowed: string[]) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Deny", Action: "backup:CopyFromBackupVault", Resource: "*", Condition: { "ForAllValues:StringNotLike": { "backup:CopyTargetOrgPaths": allowed } } }],
  });

  it("[G1] tag Null: passes for a tagged destination, fails for an untagged one", () => {
    expect(failures(withScp(parts(), "p-g1000001", "tagged-only", g1, [ROOT]))).toEqual([]);
    const untagged = withVault(withScp(parts(), "p-g1000001", "tagged-only", g1, [ROOT]), DEST, { tags: { Team: "security" } });
    expect(failures(untagged)).toEqual([expect.objectContaining({ rule: "G1", policy: "scp p-g1000001 (tagged-only)", statement: "#0" })]);
  });

  it("[G2] ForAllValues:ArnNotLike on backup:CopyTargets: passes for an allowed vault pattern, fails for another", () => {
    expect(failures(withScp(parts(), "p-g2000001", "targets", g2([`arn:aws:backup:*:${VAULT}:backup-vault:cent*`]), [OU_WORK]))).toEqual([]);
    const denied = failures(withScp(parts(), "p-g2000001", "targets", g2([`arn:aws:backup:*:${VAULT}:backup-vault:cab-*`, "arn:aws:backup:us-east-1:123456789012:backup-vault:fort-knox"]), [OU_WORK]));
    expect(denied).toEqual([expect.objectContaining({ rule: "G2", statement: "DenyCopyFromBackupVault", message: expect.stringContaining(CENTRAL_ARN) })]);
  });

  it("[G3] ForAllValues:StringNotLike on backup:CopyTargetOrgPaths: passes for a destination under an allowed OU, fails elsewhere", () => {
    expect(failures(withScp(parts(), "p-g3000001", "ous", g3([`${ORG}/${ROOT}/${OU_SECU}/*`]), [PROD]))).toEqual([]);
    const denied = failures(withScp(parts(), "p-g3000001", "ous", g3([`${ORG}/${ROOT}/${OU_WORK}/*`]), [PROD]));
    expect(denied).toEqual([expect.objectContaining({ rule: "G3", policy: "scp p-g3000001 (ous)", message: expect.stringContaining(`${ORG}/${ROOT}/${OU_SECU}/`) })]);
  });

  it("a guardrail attached elsewhere does not govern the source", () => {
    expect(failures(withScp(parts(), "p-g3000001", "ous", g3([`${ORG}/${ROOT}/${OU_WORK}/*`]), [OU_SECU]))).toEqual([]);
  });
});
