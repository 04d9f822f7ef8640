import { describe, expect, it } from "vitest";
import { organizationsService } from "./index.js";
import { failure, invoker, MANAGEMENT, PROD } from "./test-world.js";

const CONTENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "backup:CopyIntoBackupVault", Resource: "*" }] });

async function newPolicy(inv: ReturnType<typeof invoker>, name: string, Type = "SERVICE_CONTROL_POLICY"): Promise<string> {
  const out = await inv.call(MANAGEMENT, "CreatePolicy", { Name: name, Description: "", Type, Content: CONTENT });
  return out.Policy.PolicySummary.Id;
}

describe("policy attachments", () => {
  it("attaches, lists both ways, and refuses a duplicate attachment", async () => {
    const inv = invoker(organizationsService);
    const id = await newPolicy(inv, "g1");
    await inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: id, TargetId: "ou-a1b2-prod0001" });
    await inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: id, TargetId: PROD });
    const targets = await inv.call(MANAGEMENT, "ListTargetsForPolicy", { PolicyId: id });
    expect(targets.Targets).toEqual([
      { TargetId: "ou-a1b2-prod0001", Arn: `arn:aws:organizations::${MANAGEMENT}:ou/o-a1b2c3d4e5/ou-a1b2-prod0001`, Name: "Prod", Type: "ORGANIZATIONAL_UNIT" },
      { TargetId: PROD, Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${PROD}`, Name: "prod", Type: "ACCOUNT" },
    ]);
    const policies = await inv.call(MANAGEMENT, "ListPoliciesForTarget", { TargetId: PROD, Filter: "SERVICE_CONTROL_POLICY" });
    expect(policies.Policies.map((p: any) => p.Id)).toEqual(["p-FullAWSAccess", id]);
    expect(await failure(inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: id, TargetId: PROD }))).toMatchObject({ code: "DuplicatePolicyAttachmentException", httpStatus: 409 });
    expect(await failure(inv.call(MANAGEMENT, "DeletePolicy", { PolicyId: id }))).toMatchObject({ code: "PolicyInUseException", httpStatus: 409 });
  });

  it("needs the policy type enabled, an existing target and at most 5 SCPs per target", async () => {
    const inv = invoker(organizationsService);
    const backup = await newPolicy(inv, "b1", "BACKUP_POLICY");
    expect(await failure(inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: backup, TargetId: PROD }))).toMatchObject({ code: "PolicyTypeNotEnabledException", httpStatus: 409 });
    const id = await newPolicy(inv, "g1");
    expect(await failure(inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: id, TargetId: "555555555555" }))).toMatchObject({ code: "TargetNotFoundException", httpStatus: 404 });
    expect(await failure(inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: "p-00000000", TargetId: PROD }))).toMatchObject({ code: "PolicyNotFoundException" });
    for (const n of ["a", "b", "c", "d"]) await inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: await newPolicy(inv, n), TargetId: PROD });
    const err = await failure(inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: id, TargetId: PROD }));
    expect(err).toMatchObject({ code: "ConstraintViolationException", fields: { Reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED" } });
  });

  it("keeps at least one SCP on every target", async () => {
    const inv = invoker(organizationsService);
    const err = await failure(inv.call(MANAGEMENT, "DetachPolicy", { PolicyId: "p-FullAWSAccess", TargetId: PROD }));
    expect(err).toMatchObject({ code: "ConstraintViolationException", fields: { Reason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED" } });
    const id = await newPolicy(inv, "g1");
    await inv.call(MANAGEMENT, "AttachPolicy", { PolicyId: id, TargetId: PROD });
    await inv.call(MANAGEMENT, "DetachPolicy", { PolicyId: "p-FullAWSAccess", TargetId: PROD });
    expect((await inv.call(MANAGEMENT, "ListPoliciesForTarget", { TargetId: PROD, Filter: "SERVICE_CONTROL_POLICY" })).Policies.map((p: any) => p.Id)).toEqual([id]);
    expect(await failure(inv.call(MANAGEMENT, "DetachPolicy", { PolicyId: "p-FullAWSAccess", TargetId: PROD }))).toMatchObject({ code: "PolicyNotAttachedException" });
  });
});
