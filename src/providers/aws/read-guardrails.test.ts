// Reading SCPs: every policy becomes a fact for the route check (FullAWSAccess and other owners' included);
// only the stack's own and same-named foreign ones become live guardrails, in the attributes derive produces;
// the policy type only when derive asks for it; and the calls stay batched.
import { describe, expect, it } from "vitest";
import { asAttributes } from "../../model/attributes.js";
import { deriveDesired } from "../../model/derive.js";
import { at, config, ORG } from "../../model/derive-fixture.js";
import { SCP_POLICY_TYPE_ADDRESS } from "../../model/derive-guardrails.js";
import { guardrailPolicy } from "../../model/guardrail-policies.js";
import { attributesHash, ownershipTags } from "../../model/ownership.js";
import type { DesiredResource } from "../../model/resource.js";
import { FakeOrganizations, MGMT } from "./organizations-test-support.js";
import { direct, type ReadScope } from "./read-context.js";
import { fromOrgTagValue, readGuardrails, toOrgTagValue } from "./read-guardrails.js";

const STACK = "demo";

/** The desired state of a config with one [X3] guardrail on the vault account, as derive makes it. */
function desired(): DesiredResource[] {
  const c = config({
    guardrails: [{
      address: "guardrail.stay", pos: at(), name: "stay", kind: "deny_leave_organization", rule: "[X3]",
      targets: [{ kind: "account", name: "vault" }], allowedVaults: [], allowedOrgPaths: [], tagKey: "DestinationBackupVault",
    }],
  });
  return deriveDesired(c, ORG).resources;
}

function scope(d: DesiredResource[]): ReadScope {
  return { stack: STACK, accounts: [], desired: d, managementAccountId: MGMT, manageOrg: false };
}

/** An SCP as the writer leaves it: the desired attributes' content and ownership tags. */
function applied(org: FakeOrganizations, d: DesiredResource, extraTargets: string[] = []) {
  const a = d.attributes;
  const tags = ownershipTags(STACK, d.address, a);
  return org.add({
    name: String(a.name), description: String(a.description), content: JSON.stringify(a.policy),
    tags: { ...tags, "crossvault:address": toOrgTagValue(d.address) }, targets: [...(a.targets as string[]), ...extraTargets],
  });
}

describe("readGuardrails", () => {
  it("reads an applied guardrail back as exactly its desired attributes, with its applied hash", async () => {
    const org = new FakeOrganizations();
    const d = desired();
    const stay = d.find((r) => r.address === "guardrail.stay")!;
    const written = applied(org, stay);
    // Written as AWS returns it: whitespace and single values instead of lists do not matter.
    written.content = '{\n  "Version": "2012-10-17",\n  "Statement": { "Effect": "Deny", "Resource": "*", "Action": "organizations:LeaveOrganization", "Sid": "DenyLeaveOrganization" }\n}';
    const read = await readGuardrails(org.client(), scope(d), direct);
    const live = read.resources.find((r) => r.type === "guardrail")!;
    expect(live).toMatchObject({ address: "guardrail.stay", identity: stay.identity, id: written.id, ownership: "ours", accountId: MGMT, region: "global" });
    expect(live.attributes).toEqual(stay.attributes);
    expect(live.appliedHash).toBe(attributesHash(live.attributes));
  });

  it("gives every SCP to the route check, FullAWSAccess and other owners' included", async () => {
    const org = new FakeOrganizations(true, ["r-a1b2", "ou-a1b2-prod0001"]);
    const theirs = org.add({ name: "platform-deny-regions", description: "", content: '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}', tags: { owner: "platform" }, targets: ["ou-a1b2-work0001"] });
    org.add({ name: "broken", description: "", content: "not json", tags: {}, targets: [] });
    const read = await readGuardrails(org.client(), scope([]), direct);
    expect(read.facts.scpEnabled).toBe(true);
    expect(read.facts.scps).toEqual([
      { id: "p-FullAWSAccess", name: "FullAWSAccess", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, targets: ["ou-a1b2-prod0001", "r-a1b2"], aws_managed: true },
      { id: theirs.id, name: "platform-deny-regions", document: { Version: "2012-10-17", Statement: { Effect: "Deny", Action: "*", Resource: "*" } }, targets: ["ou-a1b2-work0001"], aws_managed: false },
      { id: expect.any(String), name: "broken", document: "not json", targets: [], aws_managed: false },
    ]);
    // None of them is the stack's business.
    expect(read.resources).toEqual([]);
    // AWS's own policy carries no tags: they are not asked for.
    expect(org.calls.filter((c) => c.op === "ListTagsForResource").map((c) => c.input.ResourceId)).not.toContain("p-FullAWSAccess");
    expect(org.ops().filter((op) => op === "ListPolicies")).toHaveLength(1);
  });

  it("reports a same-named SCP of someone else as foreign, and finds the stack's own whatever their name", async () => {
    const org = new FakeOrganizations();
    const d = desired();
    const stay = d.find((r) => r.address === "guardrail.stay")!;
    org.add({ name: String(stay.attributes.name), description: "mine", content: JSON.stringify(guardrailPolicy("deny_leave_organization", {})), tags: { "crossvault:stack": "other" }, targets: ["333333333333"] });
    const old = org.add({
      name: "crossvault-demo-renamed", description: "", content: JSON.stringify(guardrailPolicy("restrict_copy_targets", { allowedVaultArns: ["arn:aws:backup:*:333333333333:backup-vault:*"] })),
      tags: { "crossvault:stack": STACK, "crossvault:address": toOrgTagValue('guardrail.copy["prod"]'), team: "backup" }, targets: ["ou-a1b2-prod0001"],
    });
    const read = await readGuardrails(org.client(), scope(d), direct);
    const guardrails = read.resources.filter((r) => r.type === "guardrail");
    expect(guardrails.map((r) => [r.address, r.ownership])).toEqual([["guardrail.stay", "foreign"], ['guardrail.copy["prod"]', "ours"]]);
    expect(guardrails[0]!.appliedHash).toBeUndefined();
    expect(guardrails[1]!).toMatchObject({ id: old.id, attributes: { kind: "restrict_copy_targets", tags: { team: "backup" }, targets: ["ou-a1b2-prod0001"] } });
  });

  it("reads the policy type only when derive asks for it, enabled or pending as enabled", async () => {
    const d = desired();
    expect(d.some((r) => r.address === SCP_POLICY_TYPE_ADDRESS)).toBe(true);
    const disabled = new FakeOrganizations(false);
    disabled.scpStatus = undefined;
    const off = await readGuardrails(disabled.client(), scope(d), direct);
    expect(off.facts.scpEnabled).toBe(false);
    expect(off.resources).toEqual([expect.objectContaining({
      address: SCP_POLICY_TYPE_ADDRESS, type: "org_trust", ownership: "unmanaged", identity: "org_trust:policy_type/SERVICE_CONTROL_POLICY", id: "r-a1b2",
      attributes: asAttributes({ policy_type: "SERVICE_CONTROL_POLICY", enabled: false }),
    })]);
    const pending = new FakeOrganizations();
    pending.scpStatus = "PENDING_ENABLE";
    expect((await readGuardrails(pending.client(), scope(d), direct)).resources.find((r) => r.type === "org_trust")!.attributes.enabled).toBe(true);
    expect((await readGuardrails(pending.client(), scope([]), direct)).resources).toEqual([]);
  });

  it("keeps a tampered document as it reads, without a kind, so diff can restore it", async () => {
    const org = new FakeOrganizations();
    const d = desired();
    const p = applied(org, d.find((r) => r.address === "guardrail.stay")!);
    p.content = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Edited", Effect: "Deny", Action: "organizations:*", Resource: "*" }] });
    const live = (await readGuardrails(org.client(), scope(d), direct)).resources.find((r) => r.type === "guardrail")!;
    expect(live.attributes.kind).toBeUndefined();
    expect(live.attributes.policy).toEqual({ Version: "2012-10-17", Statement: [{ Sid: "Edited", Effect: "Deny", Action: ["organizations:*"], Resource: ["*"] }] });
  });

  it("spells addresses as Organizations tag values allow, and back", () => {
    for (const address of ["guardrail.stay", 'guardrail.copy["ou-a1b2-prod0001"]', "guardrail.x[\"a b/ü\"]", "base64:trick"]) {
      const value = toOrgTagValue(address);
      expect(value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
      expect(fromOrgTagValue(value)).toBe(address);
    }
    expect(toOrgTagValue("guardrail.stay")).toBe("guardrail.stay");
  });
});
