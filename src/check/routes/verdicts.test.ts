// The planned world (the live one with the plan's changes carried out, foreign statements kept) and the verdicts
// over both worlds: now / after apply, how the plan changes a route, and failures named by the statement the
// other world has.
import { describe, expect, it } from "vitest";
import {
  CENTRAL_ARN, DEST_KEY, MGMT, OU_PROD, PREFIX, PROD, REGION, SOURCE_KEY, STACK, VAULT, copyIntoStatement, parts, planAttributes, policyText,
  rootStatement, shareStatements, withKey, withVault, worldOf, type FixtureParts,
} from "./route-fixture.js";
import { routeVerdicts } from "./verdicts.js";
import { buildPlannedWorld, type ChangeView } from "./world-planned.js";
import { pendingKeyRef, readable } from "./types.js";

const DEST = `${VAULT}/${REGION}/central`;

function verdicts(p: FixtureParts, changes: ChangeView[]) {
  const live = worldOf(p);
  const planned = buildPlannedWorld({ stack: STACK, live, liveResources: p.live, changes, shareKeysOf: () => [] });
  return { live, planned, verdicts: routeVerdicts(live, planned) };
}

const vaultPolicyChange = (action: string, statements: unknown[]): ChangeView => ({
  address: "vault_policy.central", type: "vault_policy", accountId: VAULT, region: REGION, action,
  before: { vault_name: "central", statements: [] }, after: action === "delete" ? null : { vault_name: "central", statements: statements as never },
});

const shareChange = (action: string): ChangeView => ({
  address: `key_share.local->${VAULT}`, type: "key_share", accountId: PROD, region: REGION, action,
  before: action === "create" ? null : { key_arn: SOURCE_KEY, destination_account: VAULT, statements: shareStatements as never },
  after: action === "delete" ? null : { key_arn: SOURCE_KEY, destination_account: VAULT, statements: shareStatements as never },
});

describe("the planned world", () => {
  it("restores the stack's statements: fails now [S4][S5], passes after apply, naming the statements", () => {
    const p = withKey(withVault(parts(), DEST, { policy: undefined }), SOURCE_KEY, { policy: policyText([rootStatement(PROD)]) });
    const { verdicts: [v] } = verdicts(p, [vaultPolicyChange("create", [copyIntoStatement]), shareChange("create")]);
    expect(v).toMatchObject({ id: `${PROD}/${REGION}/local -> ${VAULT}/${REGION}/central`, address: "backup_plan.prod.rule.daily", now: "fail", afterApply: "ok", change: "unchanged" });
    expect(v!.source).toEqual({ accountId: PROD, region: REGION, vault: "local", address: "vault.local" });
    expect(v!.destination).toEqual({ accountId: VAULT, region: REGION, vault: "central", address: "vault.central" });
    expect(v!.failures).toEqual([
      expect.objectContaining({ rule: "S4", when: "now", policy: "vault_policy.central", statement: copyIntoStatement.Sid, message: expect.stringContaining("after apply") }),
      expect.objectContaining({ rule: "S5", when: "now", policy: `key_share.local->${VAULT}`, statement: `${PREFIX}Use${VAULT}` }),
    ]);
  });

  it("keeps foreign statements: a foreign deny still decides after apply", () => {
    const deny = { Sid: "NoCopies", Effect: "Deny", Principal: "*", Action: "backup:CopyIntoBackupVault", Resource: "*" };
    const p = withVault(parts(), DEST, { policy: policyText([deny]) });
    const { verdicts: [v], planned } = verdicts(p, [vaultPolicyChange("create", [copyIntoStatement])]);
    const vault = planned.vaults.get(DEST);
    expect(vault?.ok && vault.value?.policy).toEqual([deny, copyIntoStatement]);
    expect(v).toMatchObject({ now: "fail", afterApply: "fail" });
    expect(v!.failures).toEqual([expect.objectContaining({ rule: "S4", statement: "NoCopies" })]);
    expect(v!.failures[0]!.when).toBeUndefined();
  });

  it("removing the stack's statement breaks the route after apply, naming the statement that allows it now", () => {
    const { verdicts: [v] } = verdicts(parts(), [vaultPolicyChange("delete", [])]);
    expect(v).toMatchObject({ now: "ok", afterApply: "fail" });
    expect(v!.failures).toEqual([expect.objectContaining({ rule: "S4", when: "after-apply", statement: copyIntoStatement.Sid, message: expect.stringContaining("the plan removes it") })]);
  });

  it("a destination vault and key the plan creates: fails now [S3], passes after apply", () => {
    const p = parts();
    p.facts.vaults[DEST] = readable(null);
    const changes: ChangeView[] = [
      { address: "kms_key.central", type: "kms_key", accountId: VAULT, region: REGION, action: "create", before: null, after: { alias: "alias/central", arn: { $pending: { address: "kms_key.central", attribute: "arn" } } } },
      { address: "vault.central", type: "vault", accountId: VAULT, region: REGION, action: "create", before: null, after: { name: "central", arn: CENTRAL_ARN, encryption_key_arn: { $pending: { address: "kms_key.central", attribute: "arn" } }, tags: {} } },
      vaultPolicyChange("create", [copyIntoStatement]),
    ];
    const { verdicts: [v], planned } = verdicts(p, changes);
    const vault = planned.vaults.get(DEST);
    expect(vault?.ok && vault.value?.keyRef).toBe(pendingKeyRef("kms_key.central"));
    expect(v).toMatchObject({ now: "fail", afterApply: "ok" });
    expect(v!.failures).toEqual([expect.objectContaining({ rule: "S3", when: "now", message: expect.stringContaining("does not exist") })]);
  });

  it("a key the plan deletes fails after apply", () => {
    const arn = DEST_KEY;
    const { verdicts: [v] } = verdicts(parts(), [{ address: "kms_key.central", type: "kms_key", accountId: VAULT, region: REGION, action: "delete", before: { arn }, after: null }]);
    expect(v).toMatchObject({ now: "ok", afterApply: "fail" });
    expect(v!.failures[0]).toMatchObject({ rule: "S3", when: "after-apply", message: expect.stringContaining("PendingDeletion") });
  });

  it("turns trusted access and the setting on", () => {
    const p = parts();
    p.facts.settings = readable({ trustedAccess: false, crossAccountBackup: false });
    const { verdicts: [v] } = verdicts(p, [
      { address: "org_trust", type: "org_trust", accountId: MGMT, region: "global", action: "update", before: { enabled: false }, after: { service_principal: "backup.amazonaws.com", enabled: true } },
      { address: "cross_account_setting", type: "cross_account_setting", accountId: MGMT, region: REGION, action: "update", before: { enabled: false }, after: { enabled: true } },
    ]);
    expect(v).toMatchObject({ now: "fail", afterApply: "ok" });
    expect(v!.failures.map((f) => [f.rule, f.policy, f.when])).toEqual([["S2", "org_trust", "now"], ["S2", "cross_account_setting", "now"]]);
  });

  it("turning SCPs on attaches FullAWSAccess everywhere, as AWS does: the route still passes after apply", () => {
    const p = parts();
    p.org!.scpEnabled = false;
    p.org!.scps = p.org!.scps!.map((scp) => ({ ...scp, targets: [] }));
    const enable: ChangeView = {
      address: "org_trust.scp_policy_type", type: "org_trust", accountId: MGMT, region: "global", action: "create",
      before: null, after: { policy_type: "SERVICE_CONTROL_POLICY", enabled: true },
    };
    const { verdicts: [v], planned } = verdicts(p, [enable]);
    expect(v).toMatchObject({ now: "ok", afterApply: "ok" });
    const full = planned.scps.ok ? planned.scps.value.policies.find((x) => x.name === "FullAWSAccess") : undefined;
    expect(full?.targets).toEqual(expect.arrayContaining([p.org!.rootId, OU_PROD, PROD, VAULT]));
  });

  it("a guardrail the plan creates that breaks the route is an after-apply failure", () => {
    const policy = { Version: "2012-10-17", Statement: [{ Sid: "CrossvaultG2", Effect: "Deny", Action: ["backup:CopyFromBackupVault"], Resource: ["*"], Condition: { "ForAnyValue:ArnNotLike": { "backup:CopyTargets": [`arn:aws:backup:*:${VAULT}:backup-vault:cab-*`] } } }] };
    const { verdicts: [v] } = verdicts(parts(), [{
      address: "guardrail.targets", type: "guardrail", accountId: MGMT, region: "global", action: "create", before: null,
      after: { name: "crossvault-core-targets", description: "", kind: "restrict_copy_targets", policy, targets: [OU_PROD], tags: {} } as never,
    }]);
    expect(v).toMatchObject({ now: "ok", afterApply: "fail" });
    expect(v!.failures).toEqual([expect.objectContaining({ rule: "G2", when: "after-apply", statement: "CrossvaultG2", fix: expect.stringContaining("guardrail.targets") })]);
  });
});

describe("how the plan changes routes", () => {
  const plan = (copyArn: string, lifecycle?: unknown): ChangeView => ({
    address: "backup_plan.prod", type: "backup_plan", accountId: PROD, region: REGION, action: "update",
    before: planAttributes(), after: planAttributes({ destination_vault_arn: copyArn, ...(lifecycle ? { lifecycle: lifecycle as never } : {}) } as never),
  });

  it("new, removed and changed routes, each judged in both worlds", () => {
    const other = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:other`;
    const p = parts();
    p.facts.vaults[`${VAULT}/${REGION}/other`] = readable(null);
    const moved = verdicts(p, [plan(other)]).verdicts;
    expect(moved.map((v) => [v.id, v.change, v.now, v.afterApply])).toEqual([
      [`${PROD}/${REGION}/local -> ${VAULT}/${REGION}/central`, "removed", "ok", "ok"],
      [`${PROD}/${REGION}/local -> ${VAULT}/${REGION}/other`, "new", "fail", "fail"],
    ]);
    const changed = verdicts(parts(), [plan(CENTRAL_ARN, { delete_after_days: 90 })]).verdicts;
    expect(changed.map((v) => v.change)).toEqual(["changed"]);
    const deleted = verdicts(parts(), [{ ...plan(CENTRAL_ARN), action: "delete", after: null }]).verdicts;
    expect(deleted.map((v) => v.change)).toEqual(["removed"]);
  });

  it("warnings of both worlds, once each", () => {
    const { verdicts: [v] } = verdicts(parts(), []);
    expect(v!.warnings).toEqual([expect.objectContaining({ rule: "X3" })]);
    expect(v!.warnings[0]!.when).toBeUndefined();
  });
});
