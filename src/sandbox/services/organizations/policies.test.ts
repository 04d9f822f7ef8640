import { describe, expect, it } from "vitest";
import { organizationsService } from "./index.js";
import { failure, invoker, MANAGEMENT, PROD } from "./test-world.js";

const DENY_LEAVE = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" }] });

async function create(inv: ReturnType<typeof invoker>, name = "deny-leave", content = DENY_LEAVE) {
  const out = await inv.call(MANAGEMENT, "CreatePolicy", { Name: name, Description: "guardrail", Type: "SERVICE_CONTROL_POLICY", Content: content, Tags: [{ Key: "stack", Value: "x" }] });
  return out.Policy;
}

describe("policies", () => {
  it("creates a policy with an AWS-format id and ARN, and describes it", async () => {
    const inv = invoker(organizationsService);
    const policy = await create(inv);
    expect(policy.PolicySummary.Id).toMatch(/^p-[0-9a-z]{8}$/);
    expect(policy.PolicySummary.Arn).toBe(`arn:aws:organizations::${MANAGEMENT}:policy/o-a1b2c3d4e5/service_control_policy/${policy.PolicySummary.Id}`);
    expect(policy.PolicySummary).toMatchObject({ Name: "deny-leave", Description: "guardrail", Type: "SERVICE_CONTROL_POLICY", AwsManaged: false });
    expect(policy.Content).toBe(DENY_LEAVE);
    const described = await inv.call(MANAGEMENT, "DescribePolicy", { PolicyId: policy.PolicySummary.Id });
    expect(described.Policy).toEqual(policy);
  });

  it("rejects malformed documents, oversized ones and duplicate names", async () => {
    const inv = invoker(organizationsService);
    const bad = (Content: string) => failure(inv.call(MANAGEMENT, "CreatePolicy", { Name: "x", Description: "", Type: "SERVICE_CONTROL_POLICY", Content }));
    expect(await bad("{not json")).toMatchObject({ code: "MalformedPolicyDocumentException", httpStatus: 400 });
    expect(await bad(JSON.stringify({ Statement: [{ Effect: "Maybe", Action: "*" }] }))).toMatchObject({ code: "MalformedPolicyDocumentException" });
    expect(await bad(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*" }] }))).toMatchObject({ code: "MalformedPolicyDocumentException" });
    const big = JSON.stringify({ Statement: [{ Effect: "Deny", Action: Array.from({ length: 400 }, (_, i) => `s3:Action${i}`), Resource: "*" }] });
    expect(await bad(big)).toMatchObject({ code: "ConstraintViolationException", fields: { Reason: "POLICY_CONTENT_LIMIT_EXCEEDED" } });
    await create(inv);
    expect(await failure(create(inv))).toMatchObject({ code: "DuplicatePolicyException", httpStatus: 409 });
  });

  it("updates only the given fields and refuses to touch FullAWSAccess", async () => {
    const inv = invoker(organizationsService);
    const policy = await create(inv);
    const out = await inv.call(MANAGEMENT, "UpdatePolicy", { PolicyId: policy.PolicySummary.Id, Description: "new" });
    expect(out.Policy.PolicySummary).toMatchObject({ Name: "deny-leave", Description: "new" });
    expect(out.Policy.Content).toBe(DENY_LEAVE);
    const err = await failure(inv.call(MANAGEMENT, "UpdatePolicy", { PolicyId: "p-FullAWSAccess", Name: "mine" }));
    expect(err).toMatchObject({ code: "InvalidInputException", fields: { Reason: "IMMUTABLE_POLICY" } });
    expect(await failure(inv.call(MANAGEMENT, "DeletePolicy", { PolicyId: "p-FullAWSAccess" }))).toMatchObject({ fields: { Reason: "IMMUTABLE_POLICY" } });
  });

  it("refuses writes from member accounts", async () => {
    const inv = invoker(organizationsService);
    const err = await failure(inv.call(PROD, "CreatePolicy", { Name: "x", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: DENY_LEAVE }));
    expect(err).toMatchObject({ code: "AccessDeniedException", httpStatus: 403 });
  });

  it("lists policies of a type, FullAWSAccess first, and deletes unattached ones", async () => {
    const inv = invoker(organizationsService);
    const policy = await create(inv);
    const listed = await inv.call(MANAGEMENT, "ListPolicies", { Filter: "SERVICE_CONTROL_POLICY" });
    expect(listed.Policies.map((p: any) => p.Id)).toEqual(["p-FullAWSAccess", policy.PolicySummary.Id]);
    expect(listed.Policies[0]).toMatchObject({ AwsManaged: true, Arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess" });
    expect((await inv.call(MANAGEMENT, "ListPolicies", { Filter: "BACKUP_POLICY" })).Policies).toEqual([]);
    await inv.call(MANAGEMENT, "DeletePolicy", { PolicyId: policy.PolicySummary.Id });
    expect(await failure(inv.call(MANAGEMENT, "DescribePolicy", { PolicyId: policy.PolicySummary.Id }))).toMatchObject({ code: "PolicyNotFoundException", httpStatus: 404 });
  });
});

describe("policy types", () => {
  it("enabling SCPs attaches FullAWSAccess to the root, every OU and every account", async () => {
    const inv = invoker(organizationsService);
    const org = inv.world.org;
    org.enabledPolicyTypes = [];
    org.policies["p-FullAWSAccess"]!.targets = [];
    const out = await inv.call(MANAGEMENT, "EnablePolicyType", { RootId: "r-a1b2", PolicyType: "SERVICE_CONTROL_POLICY" });
    expect(out.Root.PolicyTypes).toEqual([{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }]);
    expect(org.policies["p-FullAWSAccess"]!.targets).toHaveLength(1 + 4 + 4);
    expect(await failure(inv.call(MANAGEMENT, "EnablePolicyType", { RootId: "r-a1b2", PolicyType: "SERVICE_CONTROL_POLICY" }))).toMatchObject({ code: "PolicyTypeAlreadyEnabledException" });
    expect(await failure(inv.call(MANAGEMENT, "EnablePolicyType", { RootId: "r-zzzz", PolicyType: "BACKUP_POLICY" }))).toMatchObject({ code: "RootNotFoundException" });
  });

  it("disabling a type detaches its policies", async () => {
    const inv = invoker(organizationsService);
    await inv.call(MANAGEMENT, "DisablePolicyType", { RootId: "r-a1b2", PolicyType: "SERVICE_CONTROL_POLICY" });
    expect(inv.world.org.policies["p-FullAWSAccess"]!.targets).toEqual([]);
    expect((await inv.call(MANAGEMENT, "ListRoots")).Roots[0].PolicyTypes).toEqual([]);
  });
});
