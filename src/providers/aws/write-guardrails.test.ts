// Writing guardrails against an in-memory Organizations: create tags and attaches, a retried or crashed create
// carries on with the stack's own policy and refuses anyone else's, an update attaches before it detaches,
// delete detaches from every target it finds before deleting and never touches a policy that is not the
// stack's, and the policy type is enabled once, with attachments waiting for it.
import { describe, expect, it } from "vitest";
import { asAttributes, type GuardrailAttributes } from "../../model/attributes.js";
import { guardrailPolicy } from "../../model/guardrail-policies.js";
import { attributesHash, STACK_TAG } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import { awsError, FakeOrganizations, fakeWrite } from "./organizations-test-support.js";
import { fromOrgTagValue } from "./read-guardrails.js";
import { ApplyError } from "./write-context.js";
import { createGuardrail, deleteGuardrail, enablePolicyType, updateGuardrail } from "./write-guardrails.js";

const ADDRESS = 'guardrail.stay["vault"]';

function attrs(targets: string[], extra: Partial<GuardrailAttributes> = {}): Attributes {
  const a: GuardrailAttributes = {
    name: "crossvault-demo-stay-vault", description: "Accounts holding backup copies cannot leave the organization [X3]", kind: "deny_leave_organization",
    policy: guardrailPolicy("deny_leave_organization", {}), targets, tags: {}, ...extra,
  };
  return asAttributes(a);
}

describe("createGuardrail", () => {
  it("creates the policy with the stack's tags, then attaches it to every target", async () => {
    const org = new FakeOrganizations();
    const after = attrs(["333333333333", "ou-a1b2-secu0001"]);
    const { w } = fakeWrite(org, { address: ADDRESS, action: "create", after });
    const result = await createGuardrail(w, after);
    const p = org.policies.get(result.id!)!;
    expect(p).toMatchObject({ name: "crossvault-demo-stay-vault", description: after.description, targets: ["333333333333", "ou-a1b2-secu0001"] });
    expect(JSON.parse(p.content)).toEqual(after.policy);
    expect(p.tags[STACK_TAG]).toBe("demo");
    expect(fromOrgTagValue(p.tags["crossvault:address"]!)).toBe(ADDRESS);
    expect(p.tags["crossvault:applied-hash"]).toBe(attributesHash(after));
    expect(org.ops()).toEqual(["ListPolicies", "CreatePolicy", "AttachPolicy", "AttachPolicy"]);
    expect(result.attributes).toEqual(after);
  });

  it("carries on with the stack's own policy left by an earlier attempt, attaching only what is missing", async () => {
    const org = new FakeOrganizations();
    const left = org.add({ name: "crossvault-demo-stay-vault", description: "old", content: "{}", tags: { [STACK_TAG]: "demo" }, targets: ["333333333333"] });
    const after = attrs(["333333333333", "444444444444"]);
    const { w } = fakeWrite(org, { address: ADDRESS, action: "create", after });
    expect((await createGuardrail(w, after)).id).toBe(left.id);
    expect(left).toMatchObject({ description: after.description, targets: ["333333333333", "444444444444"] });
    expect(JSON.parse(left.content)).toEqual(after.policy);
    expect(org.ops().filter((op) => op === "CreatePolicy")).toEqual([]);
    expect(org.calls.filter((c) => c.op === "AttachPolicy").map((c) => c.input.TargetId)).toEqual(["444444444444"]);
  });

  it("takes a duplicate answer to its own create (a retried request) as the policy it created", async () => {
    const org = new FakeOrganizations();
    const after = attrs(["333333333333"]);
    // The first attempt went through but its answer was lost: the look-up missed it, the create is refused.
    const created = org.add({ name: "crossvault-demo-stay-vault", description: "", content: JSON.stringify(after.policy), tags: { [STACK_TAG]: "demo" }, targets: [] });
    org.hiddenOnce.add(created.id);
    const { w } = fakeWrite(org, { address: ADDRESS, action: "create", after });
    expect((await createGuardrail(w, after)).id).toBe(created.id);
    expect(org.ops().slice(0, 3)).toEqual(["ListPolicies", "CreatePolicy", "ListPolicies"]);
    expect(created.targets).toEqual(["333333333333"]);
    expect([...org.policies.values()].filter((p) => p.name === "crossvault-demo-stay-vault")).toHaveLength(1);
  });

  it("refuses a same-named policy of someone else, and changes nothing", async () => {
    const org = new FakeOrganizations();
    const theirs = org.add({ name: "crossvault-demo-stay-vault", description: "theirs", content: "{}", tags: { [STACK_TAG]: "other" }, targets: ["ou-x"] });
    const after = attrs(["333333333333"]);
    const { w } = fakeWrite(org, { address: ADDRESS, action: "create", after });
    const error = await createGuardrail(w, after).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    expect(String(error)).toContain(`${ADDRESS}: a service control policy named crossvault-demo-stay-vault (${theirs.id}) already exists and is not managed by stack demo`);
    expect(theirs).toMatchObject({ description: "theirs", content: "{}", targets: ["ou-x"] });
  });

  it("waits for the policy type while it is being enabled, and names a target that does not exist", async () => {
    const org = new FakeOrganizations();
    org.fail("AttachPolicy", awsError("PolicyTypeNotEnabledException"), awsError("PolicyTypeNotEnabledException"));
    const after = attrs(["333333333333"]);
    const { w, events } = fakeWrite(org, { address: ADDRESS, action: "create", after });
    await createGuardrail(w, after);
    expect(events.filter((e) => e.type === "apply-wait")).toHaveLength(2);
    expect([...org.policies.values()].find((p) => p.name === "crossvault-demo-stay-vault")!.targets).toEqual(["333333333333"]);

    const other = new FakeOrganizations();
    other.fail("AttachPolicy", awsError("TargetNotFoundException"));
    const { w: w2 } = fakeWrite(other, { address: ADDRESS, action: "create", after });
    await expect(createGuardrail(w2, after)).rejects.toThrow(`${ADDRESS}: 333333333333 is not a root, OU or account of the organization; correct the guardrail's targets`);
  });
});

describe("updateGuardrail", () => {
  it("rewrites the document, refreshes the tags, attaches new targets before detaching old ones", async () => {
    const org = new FakeOrganizations();
    const p = org.add({ name: "crossvault-demo-stay-vault", description: "old", content: "{}", tags: { [STACK_TAG]: "demo", stray: "x" }, targets: ["333333333333", "ou-old"] });
    const before = attrs(["333333333333", "ou-old"], { description: "old", tags: { stray: "x" } });
    const after = attrs(["333333333333", "ou-new"]);
    const { w } = fakeWrite(org, { address: ADDRESS, action: "update", before, after, id: p.id });
    await updateGuardrail(w, before, after, p.id);
    expect(p.targets).toEqual(["333333333333", "ou-new"]);
    expect(p.description).toBe(after.description);
    expect(p.tags).not.toHaveProperty("stray");
    expect(p.tags["crossvault:applied-hash"]).toBe(attributesHash(after));
    const order = org.calls.filter((c) => c.op === "AttachPolicy" || c.op === "DetachPolicy").map((c) => `${c.op} ${String(c.input.TargetId)}`);
    expect(order).toEqual(["AttachPolicy ou-new", "DetachPolicy ou-old"]);
  });

  it("leaves the document alone when only targets change", async () => {
    const org = new FakeOrganizations();
    const p = org.add({ name: "crossvault-demo-stay-vault", description: "d", content: "kept", tags: { [STACK_TAG]: "demo" }, targets: [] });
    const before = attrs([]);
    const after = attrs(["333333333333"]);
    const { w } = fakeWrite(org, { address: ADDRESS, action: "update", before, after, id: p.id });
    await updateGuardrail(w, before, after, p.id);
    expect(org.ops()).not.toContain("UpdatePolicy");
    expect(p.content).toBe("kept");
  });
});

describe("deleteGuardrail", () => {
  it("detaches the policy from every target it has now, then deletes it; other policies stay", async () => {
    const org = new FakeOrganizations(true, ["r-a1b2", "333333333333"]);
    const p = org.add({ name: "crossvault-demo-stay-vault", description: "", content: "{}", tags: { [STACK_TAG]: "demo" }, targets: ["333333333333", "ou-attached-since-plan"] });
    const { w } = fakeWrite(org, { address: ADDRESS, action: "delete", before: attrs(["333333333333"]), id: p.id });
    await deleteGuardrail(w, p.id);
    expect(org.policies.has(p.id)).toBe(false);
    expect(org.policies.get("p-FullAWSAccess")!.targets).toEqual(["r-a1b2", "333333333333"]);
    expect(org.calls.filter((c) => c.op === "DetachPolicy").map((c) => c.input.TargetId)).toEqual(["333333333333", "ou-attached-since-plan"]);
  });

  it("never deletes a policy that is no longer the stack's, and is done when it is already gone", async () => {
    const org = new FakeOrganizations();
    const p = org.add({ name: "crossvault-demo-stay-vault", description: "", content: "{}", tags: { [STACK_TAG]: "someone-else" }, targets: ["333333333333"] });
    const { w } = fakeWrite(org, { address: ADDRESS, action: "delete", before: attrs(["333333333333"]), id: p.id });
    await expect(deleteGuardrail(w, p.id)).rejects.toThrow("is no longer tagged with stack demo");
    expect(org.policies.get(p.id)!.targets).toEqual(["333333333333"]);
    await expect(deleteGuardrail(w, "p-gone")).resolves.toBeUndefined();
  });

  it("explains a target left with no SCP at all", async () => {
    const org = new FakeOrganizations(false);
    const p = org.add({ name: "crossvault-demo-stay-vault", description: "", content: "{}", tags: { [STACK_TAG]: "demo" }, targets: ["333333333333"] });
    org.fail("DetachPolicy", awsError("ConstraintViolationException", "min", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"));
    const { w } = fakeWrite(org, { address: ADDRESS, action: "delete", before: attrs(["333333333333"]), id: p.id });
    await expect(deleteGuardrail(w, p.id)).rejects.toThrow("it is the only service control policy there (AWS requires one); attach FullAWSAccess (or another SCP) to 333333333333 first");
    expect(org.policies.has(p.id)).toBe(true);
  });
});

describe("enablePolicyType", () => {
  const after = asAttributes({ policy_type: "SERVICE_CONTROL_POLICY", enabled: true });

  it("enables SCPs at the root when they are off, and does nothing when they are on or on their way", async () => {
    const off = new FakeOrganizations(false);
    off.scpStatus = undefined;
    const { w } = fakeWrite(off, { address: "org_trust.scp_policy_type", type: "org_trust", action: "update", after });
    expect(await enablePolicyType(w, after)).toEqual({ id: "r-a1b2", attributes: after });
    expect(off.calls.find((c) => c.op === "EnablePolicyType")?.input).toEqual({ RootId: "r-a1b2", PolicyType: "SERVICE_CONTROL_POLICY" });
    for (const status of ["ENABLED", "PENDING_ENABLE"] as const) {
      const on = new FakeOrganizations();
      on.scpStatus = status;
      const { w: w2 } = fakeWrite(on, { address: "org_trust.scp_policy_type", type: "org_trust", action: "update", after });
      await enablePolicyType(w2, after);
      expect(on.ops()).toEqual(["ListRoots"]);
    }
  });

  it("never disables the policy type", async () => {
    const on = new FakeOrganizations();
    const off = asAttributes({ policy_type: "SERVICE_CONTROL_POLICY", enabled: false });
    const { w, events } = fakeWrite(on, { address: "org_trust.scp_policy_type", type: "org_trust", action: "update", after: off });
    await enablePolicyType(w, off);
    expect(on.ops()).toEqual(["ListRoots"]);
    expect(events).toEqual([{ type: "warning", message: "org_trust.scp_policy_type: SERVICE_CONTROL_POLICY is left as it is (crossvault never disables a policy type)" }]);
  });
});
