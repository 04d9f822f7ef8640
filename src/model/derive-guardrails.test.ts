// Deriving guardrails: one SCP per block or instance in the management account, with the seed's policy, sorted
// targets and a stack-qualified name; the policy type they need; guardrails last in apply; the warning for the
// management account; and what derive cannot know or AWS would refuse, as diagnostics.
import { describe, expect, it } from "vitest";
import type { GuardrailDecl, GuardrailKind } from "../config/model.js";
import { deriveDesired } from "./derive.js";
import { at, config, copy, graphProblems, notPlainJson, ORG, plan, rule, selection, toVault, vault } from "./derive-fixture.js";
import { guardrailName, SCP_POLICY_TYPE_ADDRESS } from "./derive-guardrails.js";
import type { DesiredResource } from "./resource.js";

function guardrail(name: string, kind: GuardrailKind, targets: GuardrailDecl["targets"], extra: Partial<GuardrailDecl> = {}): GuardrailDecl {
  const rules: Record<GuardrailKind, string> = { require_destination_tag: "[G1]", restrict_copy_targets: "[G2]", restrict_copy_target_ous: "[G3]", deny_leave_organization: "[X3]" };
  const address = extra.key === undefined ? `guardrail.${name}` : `guardrail.${name}[${JSON.stringify(extra.key)}]`;
  return { address, pos: at(), name, kind, rule: rules[kind], targets, allowedVaults: [], allowedOrgPaths: [], tagKey: "DestinationBackupVault", ...extra };
}

function byAddress(resources: DesiredResource[], address: string): DesiredResource {
  const r = resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} among ${resources.map((x) => x.address).join(", ")}`);
  return r;
}

/** prod copies its local vault into the vault account's central vault, with one selection. */
function withRoute(guardrails: GuardrailDecl[]) {
  const p = plan("daily", "prod", []);
  p.rules.push(rule(p.address, "nightly", { kind: "vault", name: "local" }, { copies: [copy(p.address, "nightly", 0, toVault("central"))] }));
  p.selections.push(selection(p.address, "tagged"));
  return config({
    organization: { address: "organization", pos: at(), crossAccountBackup: true },
    vaults: [vault("local", "prod", "222222222222"), vault("central", "vault", "333333333333", { tags: { DestinationBackupVault: "true" } })],
    backupPlans: [p],
    guardrails,
  });
}

describe("deriveGuardrails", () => {
  it("derives one SCP per kind in the management account, with its policy, sorted targets and name", () => {
    const c = withRoute([
      guardrail("tagged", "require_destination_tag", [{ kind: "account", name: "vault" }]),
      guardrail("targets", "restrict_copy_targets", [{ kind: "ou", id: "ou-f6g7-prod0001" }, { kind: "account_id", id: "444444444444" }], {
        allowedVaults: [{ kind: "vault", name: "central" }, { kind: "vault_arn_pattern", pattern: "arn:aws:backup:*:999999999999:backup-vault:cab-*" }],
      }),
      guardrail("ous", "restrict_copy_target_ous", [{ kind: "root", id: "r-f6g7" }], { allowedOrgPaths: ["o-a1b2c3d4e5/r-f6g7/ou-f6g7-vault001/*"] }),
      guardrail("stay", "deny_leave_organization", [{ kind: "account", name: "vault" }], { description: "keep the vault account" }),
    ]);
    const { resources, diagnostics } = deriveDesired(c, ORG);
    expect(diagnostics).toEqual([]);
    expect(graphProblems(resources)).toEqual([]);
    for (const r of resources) expect(notPlainJson(r), r.address).toBeUndefined();

    const targets = byAddress(resources, "guardrail.targets");
    expect(targets).toMatchObject({ type: "guardrail", accountId: "111111111111", region: "global", identity: "guardrail:111111111111/global/crossvault-demo-targets" });
    expect(targets.attributes).toEqual({
      name: "crossvault-demo-targets",
      description: "Copies may only go to the allowed backup vaults [G2] (crossvault stack demo)",
      kind: "restrict_copy_targets",
      policy: {
        Version: "2012-10-17",
        Statement: [{
          Sid: "DenyCopyToUnlistedVaults", Effect: "Deny", Action: ["backup:CopyFromBackupVault"], Resource: ["*"],
          Condition: { "ForAnyValue:ArnNotLike": { "backup:CopyTargets": ["arn:aws:backup:*:999999999999:backup-vault:cab-*", "arn:aws:backup:eu-west-1:333333333333:backup-vault:central"] } },
        }],
      },
      targets: ["444444444444", "ou-f6g7-prod0001"],
      tags: {},
    });
    expect(byAddress(resources, "guardrail.tagged").attributes).toMatchObject({ kind: "require_destination_tag", targets: ["333333333333"] });
    expect(byAddress(resources, "guardrail.ous").attributes).toMatchObject({ targets: ["r-f6g7"] });
    expect(byAddress(resources, "guardrail.stay").attributes).toMatchObject({ description: "keep the vault account", kind: "deny_leave_organization" });
  });

  it("enables the SCP policy type once, and applies guardrails after every plan and selection", () => {
    const { resources } = deriveDesired(withRoute([guardrail("a", "deny_leave_organization", [{ kind: "account", name: "vault" }]), guardrail("b", "require_destination_tag", [{ kind: "ou", id: "ou-f6g7-vault001" }])]), ORG);
    const policyType = resources.filter((r) => r.address === SCP_POLICY_TYPE_ADDRESS);
    expect(policyType).toEqual([expect.objectContaining({
      type: "org_trust", accountId: "111111111111", region: "global", identity: "org_trust:policy_type/SERVICE_CONTROL_POLICY",
      attributes: { policy_type: "SERVICE_CONTROL_POLICY", enabled: true }, dependsOn: [],
    })]);
    for (const address of ["guardrail.a", "guardrail.b"]) {
      expect(byAddress(resources, address).dependsOn).toEqual(["backup_plan.daily", "backup_selection.daily.tagged", SCP_POLICY_TYPE_ADDRESS]);
    }
    // Nothing else waits for a guardrail.
    expect(resources.filter((r) => r.dependsOn.some((d) => d.startsWith("guardrail.")))).toEqual([]);
  });

  it("derives neither guardrails nor the policy type without guardrail blocks", () => {
    const { resources } = deriveDesired(withRoute([]), ORG);
    expect(resources.some((r) => r.type === "guardrail" || r.address === SCP_POLICY_TYPE_ADDRESS)).toBe(false);
  });

  it("names for_each instances by key, and keeps names within AWS's 128 characters, distinct", () => {
    const { resources } = deriveDesired(withRoute([
      guardrail("stay", "deny_leave_organization", [{ kind: "account_id", id: "444444444444" }], { key: "dev" }),
      guardrail("stay", "deny_leave_organization", [{ kind: "account_id", id: "333333333333" }], { key: "vault" }),
    ]), ORG);
    expect(byAddress(resources, 'guardrail.stay["dev"]').attributes.name).toBe("crossvault-demo-stay-dev");
    expect(byAddress(resources, 'guardrail.stay["vault"]').identity).toBe("guardrail:111111111111/global/crossvault-demo-stay-vault");
    const long = "x".repeat(120);
    const a = guardrailName("demo", long, "a");
    const b = guardrailName("demo", long, "b");
    expect(a).toHaveLength(128);
    expect(a.startsWith(`crossvault-demo-${"x".repeat(60)}`)).toBe(true);
    expect(a).not.toBe(b);
  });

  it("refuses two guardrails whose policies would have one name (a label with a hyphen and a for_each key)", () => {
    const { resources, diagnostics } = deriveDesired(withRoute([
      guardrail("stay-dev", "deny_leave_organization", [{ kind: "account_id", id: "444444444444" }]),
      guardrail("stay", "deny_leave_organization", [{ kind: "account_id", id: "333333333333" }], { key: "dev" }),
    ]), ORG);
    expect(diagnostics.map((d) => [d.severity, d.code, d.address, d.summary])).toEqual([
      ["error", "guardrail-name-taken", 'guardrail.stay["dev"]', 'guardrail.stay["dev"] and guardrail.stay-dev would both be the service control policy crossvault-demo-stay-dev'],
    ]);
    expect(resources.filter((r) => r.type === "guardrail").map((r) => r.address)).toEqual(["guardrail.stay-dev"]);
  });

  it("warns when a guardrail targets the management account, and still attaches it there", () => {
    const { resources, diagnostics } = deriveDesired(withRoute([guardrail("stay", "deny_leave_organization", [{ kind: "account", name: "management" }, { kind: "account", name: "vault" }])]), ORG);
    expect(diagnostics).toMatchObject([{ severity: "warning", code: "guardrail-management-account", address: "guardrail.stay", rule: "[X3]" }]);
    expect(diagnostics[0]!.summary).toContain("111111111111");
    expect(byAddress(resources, "guardrail.stay").attributes.targets).toEqual(["111111111111", "333333333333"]);
  });

  it("reports targets not known yet, unresolved references and a policy AWS would refuse, and leaves them out", () => {
    const unknown = guardrail("later", "deny_leave_organization", { $unknown: "after-refresh", reason: "accounts_in_ou(...) is known after refresh" });
    const ghost = guardrail("ghost", "restrict_copy_targets", [{ kind: "account", name: "vault" }], { allowedVaults: [{ kind: "vault", name: "nowhere" }] });
    const huge = guardrail("huge", "restrict_copy_targets", [{ kind: "account", name: "vault" }], {
      allowedVaults: Array.from({ length: 120 }, (_, i) => ({ kind: "vault_arn_pattern" as const, pattern: `arn:aws:backup:eu-west-1:333333333333:backup-vault:vault-number-${i}` })),
    });
    const { resources, diagnostics } = deriveDesired(withRoute([unknown, ghost, huge]), ORG);
    expect(diagnostics.map((d) => [d.severity, d.code, d.address])).toEqual([
      ["error", "value-unknown", "guardrail.later"],
      ["error", "unresolved-reference", "guardrail.ghost"],
      ["error", "guardrail-too-large", "guardrail.huge"],
    ]);
    expect(resources.some((r) => r.type === "guardrail" || r.address === SCP_POLICY_TYPE_ADDRESS)).toBe(false);
  });

  it("derives the same guardrails without the organization's facts", () => {
    const c = withRoute([guardrail("stay", "deny_leave_organization", [{ kind: "ou", id: "ou-f6g7-vault001" }])]);
    const strip = (rs: DesiredResource[]) => rs.filter((r) => r.type === "guardrail" || r.address === SCP_POLICY_TYPE_ADDRESS);
    expect(strip(deriveDesired(c, undefined).resources)).toEqual(strip(deriveDesired(c, ORG).resources));
  });
});
