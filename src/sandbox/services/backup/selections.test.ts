import { describe, expect, it } from "vitest";
import { PROD, T0, sandboxCaller } from "./resource-test-context.js";

const role = `arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`;

function setUp() {
  const c = sandboxCaller();
  c.call("CreateBackupVault", { BackupVaultName: "local" });
  const plan = c.call("CreateBackupPlan", { BackupPlan: { BackupPlanName: "p", Rules: [{ RuleName: "r", TargetBackupVaultName: "local" }] } });
  return { c, planId: plan.BackupPlanId as string };
}

describe("backup selections", () => {
  it("creates, reads, lists and deletes a selection", () => {
    const { c, planId } = setUp();
    const selection = {
      SelectionName: "tagged", IamRoleArn: role, Resources: ["arn:aws:dynamodb:*:*:table/*"],
      ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "daily" }],
      Conditions: { StringEquals: [{ ConditionKey: "aws:ResourceTag/env", ConditionValue: "prod" }] },
    };
    const out = c.call("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: selection, CreatorRequestId: "sel-1" });
    expect(out).toEqual({ SelectionId: expect.stringMatching(/^[0-9a-f-]{36}$/), BackupPlanId: planId, CreationDate: new Date(T0) });
    expect(c.call("GetBackupSelection", { BackupPlanId: planId, SelectionId: out.SelectionId })).toEqual({
      BackupSelection: selection, SelectionId: out.SelectionId, BackupPlanId: planId, CreationDate: new Date(T0), CreatorRequestId: "sel-1",
    });
    expect(c.call("ListBackupSelections", { BackupPlanId: planId }).BackupSelectionsList).toEqual([
      { SelectionId: out.SelectionId, SelectionName: "tagged", BackupPlanId: planId, CreationDate: new Date(T0), CreatorRequestId: "sel-1", IamRoleArn: role },
    ]);
    // A retry with the same CreatorRequestId returns the same selection; the same document without it is a twin.
    expect(c.call("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: selection, CreatorRequestId: "sel-1" })).toEqual(out);
    expect(c.fail("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: selection }).code).toBe("AlreadyExistsException");
    c.call("DeleteBackupSelection", { BackupPlanId: planId, SelectionId: out.SelectionId });
    expect(c.fail("GetBackupSelection", { BackupPlanId: planId, SelectionId: out.SelectionId }).code).toBe("ResourceNotFoundException");
    expect(c.fail("DeleteBackupSelection", { BackupPlanId: planId, SelectionId: out.SelectionId }).code).toBe("ResourceNotFoundException");
    expect(c.call("ListBackupSelections", { BackupPlanId: planId }).BackupSelectionsList).toEqual([]);
  });

  it("requires a role ARN that looks like one, and a valid name", () => {
    const { c, planId } = setUp();
    expect(c.fail("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: { SelectionName: "s" } }).code).toBe("MissingParameterValueException");
    for (const bad of ["arn:aws:iam::222222222222:user/alice", "role/backup", "arn:aws:iam::22:role/x", `arn:aws:sts::${PROD}:assumed-role/backup/s`]) {
      expect(c.fail("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: { SelectionName: "s", IamRoleArn: bad } }).code, bad).toBe("InvalidParameterValueException");
    }
    expect(c.fail("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: { SelectionName: "has space", IamRoleArn: role } }).code).toBe("InvalidParameterValueException");
    expect(c.fail("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: { SelectionName: "s", IamRoleArn: role, ListOfTags: [{ ConditionType: "STRINGLIKE", ConditionKey: "k", ConditionValue: "v" }] } }).code).toBe("InvalidParameterValueException");
  });

  it("limits the ARNs of a selection: 500 plain, 30 with wildcards", () => {
    const { c, planId } = setUp();
    const arns = (n: number, w = false) => Array.from({ length: n }, (_, i) => `arn:aws:dynamodb:eu-west-1:${PROD}:table/t${i}${w && i === 0 ? "*" : ""}`);
    c.call("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: { SelectionName: "ok", IamRoleArn: role, Resources: arns(500) } });
    expect(c.fail("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: { SelectionName: "s", IamRoleArn: role, Resources: arns(501) } }).code).toBe("LimitExceededException");
    expect(c.fail("CreateBackupSelection", { BackupPlanId: planId, BackupSelection: { SelectionName: "s", IamRoleArn: role, NotResources: arns(31, true) } }).code).toBe("LimitExceededException");
  });

  it("an unknown or deleted plan: InvalidParameterValue on create, ResourceNotFound on reads", () => {
    const { c } = setUp();
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(c.fail("CreateBackupSelection", { BackupPlanId: unknown, BackupSelection: { SelectionName: "s", IamRoleArn: role } }).code).toBe("InvalidParameterValueException");
    expect(c.fail("ListBackupSelections", { BackupPlanId: unknown }).code).toBe("ResourceNotFoundException");
    expect(c.fail("GetBackupSelection", { BackupPlanId: unknown, SelectionId: unknown }).code).toBe("ResourceNotFoundException");
  });
});
