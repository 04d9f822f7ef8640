import { describe, expect, it } from "vitest";
import { attributesHash } from "../model/ownership.js";
import type { LiveResource } from "../model/resource.js";
import { diffResources, type DiffOptions } from "./diff.js";
import {
  CENTRAL, PROD, REGION, SID, STACK, backupPlan, copyStatement, keyShare, kmsKey, live, liveFrom, liveValue, pending, selection, vault, vaultLock, vaultPolicy,
} from "./diff-test-support.js";

const APPLY: DiffOptions = { stack: STACK, mode: "apply", now: "2025-06-01T00:00:00Z" };
const DESTROY: DiffOptions = { stack: STACK, mode: "destroy", now: "2025-06-01T00:00:00Z" };

const actions = (r: { changes: Array<{ address: string; action: string }> }): Record<string, string> =>
  Object.fromEntries(r.changes.map((c) => [c.address, c.action]));
const codes = (r: { findings: Array<{ code: string; severity: string }> }): string[] => r.findings.map((f) => `${f.severity}:${f.code}`);

describe("diffResources: actions", () => {
  it("creates what does not exist, with values of objects created in the same apply known after apply", () => {
    const r = diffResources([kmsKey("central"), vault("central")], [], APPLY);
    expect(actions(r)).toEqual({ "kms_key.central": "create", "vault.central": "create" });
    const v = r.changes.find((c) => c.address === "vault.central")!;
    expect(v.before).toBeNull();
    expect(v.changes).toContainEqual({ path: "encryption_key_arn", knownAfterApply: true });
    expect(v.changes).toContainEqual({ path: "name", after: "central" });
    expect(r.findings).toEqual([]);
  });

  it("is a no-op when live matches desired, references resolved to the live values", () => {
    const desired = [kmsKey("central"), vault("central"), vaultPolicy("central", [copyStatement(PROD, "central")])];
    const r = diffResources(desired, liveFrom(desired), APPLY);
    expect(Object.values(actions(r))).toEqual(["no-op", "no-op", "no-op"]);
    const v = r.changes.find((c) => c.address === "vault.central")!;
    expect(v.after?.encryption_key_arn).toBe(liveValue("kms_key.central", "arn"));
    expect(r.drift).toEqual([]);
  });

  it("updates tags in place with dotted paths, listing only what changed", () => {
    const d = vault("central", { key: "arn:k", tags: { team: "platform", env: "prod" } });
    const l = live(d, { set: { tags: { team: "storage", env: "prod", "cost-center": "7" } } });
    const r = diffResources([d], [l], APPLY);
    expect(actions(r)).toEqual({ "vault.central": "update" });
    expect(r.changes[0]!.changes).toEqual([
      { path: 'tags["cost-center"]', before: "7" },
      { path: "tags.team", before: "storage", after: "platform" },
    ]);
  });

  it("replaces a vault whose key changes, marking the attribute that forces it", () => {
    const d = vault("central", { key: "arn:new" });
    const r = diffResources([d], [live(d, { set: { encryption_key_arn: "arn:old" } })], APPLY);
    const c = r.changes[0]!;
    expect(c.action).toBe("replace");
    expect(c.changes).toEqual([{ path: "encryption_key_arn", before: "arn:old", after: "arn:new", forcesReplacement: true }]);
    expect(c.reason).toBe("encryption_key_arn cannot change in place");
  });

  it("replaces a vault whose key is being created, and what lives inside the vault with it", () => {
    const key = kmsKey("central");
    const v = vault("central");
    const p = vaultPolicy("central", [copyStatement(PROD, "central")]);
    const [, lv, lp] = liveFrom([key, v, p]);
    const r = diffResources([key, v, p], [lv!, lp!], APPLY);
    expect(actions(r)).toEqual({ "kms_key.central": "create", "vault.central": "replace", "vault_policy.central": "replace" });
    expect(r.changes.find((c) => c.address === "vault.central")!.changes).toEqual([
      { path: "encryption_key_arn", before: liveValue("kms_key.central", "arn"), knownAfterApply: true, forcesReplacement: true },
    ]);
    expect(r.changes.find((c) => c.address === "vault_policy.central")!.reason).toBe("vault.central is replaced, and this goes with it");
  });

  it("replaces a selection on any change (selections are immutable)", () => {
    const plan = backupPlan("daily", "central", []);
    const sel = selection("daily", "all", { resources: ["arn:a"] });
    const [lp, ls] = liveFrom([plan, { ...sel, attributes: { ...sel.attributes, resources: ["arn:b"] } }]);
    const r = diffResources([plan, sel], [lp!, ls!], APPLY);
    expect(actions(r)).toEqual({ "backup_plan.daily": "no-op", "backup_selection.daily.all": "replace" });
    expect(r.changes[1]!.reason).toBe("selections cannot change in place");
  });

  it("updates a key whose alias changed instead of replacing it (identity differs, address the same)", () => {
    const before = kmsKey("central");
    const after = { ...kmsKey("central"), identity: `kms_key:${CENTRAL}/${REGION}/alias/crossvault-main`, attributes: { ...before.attributes, alias: "alias/crossvault-main" } };
    const r = diffResources([after], liveFrom([before]), APPLY);
    expect(actions(r)).toEqual({ "kms_key.central": "update" });
    expect(r.changes[0]!.changes).toEqual([{ path: "alias", before: "alias/crossvault-central", after: "alias/crossvault-main" }]);
    expect(r.changes[0]!.id).toBe("id-kms_key.central");
  });

  it("replaces a vault renamed in the configuration at the same address", () => {
    const old = vault("central", { key: "arn:k" });
    const renamed = vault("vault2", { key: "arn:k", address: "vault.central" });
    const r = diffResources([renamed], liveFrom([old]), APPLY);
    expect(actions(r)).toEqual({ "vault.central": "replace" });
    expect(r.changes[0]!.changes.map((c) => c.path)).toEqual(["arn", "name"]);
    expect(r.changes[0]!.changes.find((c) => c.path === "name")!.forcesReplacement).toBe(true);
  });

  it("deletes live objects of ours that are no longer desired, and never foreign or unmanaged ones", () => {
    const keep = vault("keep", { key: "arn:k" });
    const [lKeep, lGone, lForeign, lOther] = liveFrom([keep, vault("gone", { key: "arn:k" }), vault("theirs", { key: "arn:k" }), kmsKey("byarn")]);
    const r = diffResources([keep], [lKeep!, lGone!, { ...lForeign!, ownership: "foreign" }, { ...lOther!, ownership: "unmanaged" }], APPLY);
    expect(actions(r)).toEqual({ "vault.gone": "delete", "vault.keep": "no-op" });
    const gone = r.changes.find((c) => c.action === "delete")!;
    expect(gone.after).toBeNull();
    expect(gone.changes).toContainEqual({ path: "name", before: "gone" });
  });

  it("reads a referenced object it does not manage, and resolves references to it", () => {
    const shared = kmsKey("shared");
    const v = vault("central", { key: pending("kms_key.shared", "arn") });
    const lShared: LiveResource = { ...liveFrom([shared])[0]!, ownership: "unmanaged", attributes: { alias: "alias/other", arn: "arn:existing" } };
    const lVault = live(v, { set: { encryption_key_arn: "arn:existing" } });
    const r = diffResources([shared, v], [lShared, lVault], APPLY);
    expect(actions(r)).toEqual({ "kms_key.shared": "read", "vault.central": "no-op" });
    expect(r.changes.find((c) => c.action === "read")!.changes).toEqual([]);
  });

  it("refuses a same-named foreign object without adopt, with a message naming it and the stack", () => {
    const d = vault("central", { key: "arn:k" });
    const r = diffResources([d], [{ ...live(d), ownership: "foreign" }], APPLY);
    expect(r.changes).toEqual([]);
    expect(r.findings).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "foreign-resource",
        address: "vault.central",
        message: `vault.central: a vault named central exists in ${CENTRAL}/${REGION} and is not managed by stack ${STACK}; adopt it with \`import { to = vault.central }\` or rename it`,
      }),
    ]);
  });

  it("adopts a foreign object when asked, with the attribute changes adoption brings", () => {
    const d = { ...vault("central", { key: "arn:k", tags: { team: "a" } }), adopt: true };
    const r = diffResources([d], [{ ...live(d, { set: { tags: {} } }), ownership: "foreign" }], APPLY);
    expect(actions(r)).toEqual({ "vault.central": "adopt" });
    expect(r.changes[0]!.changes).toEqual([{ path: "tags.team", after: "a" }]);
    expect(r.findings).toEqual([]);
  });

  it("warns that adopting another stack's object moves it from that stack", () => {
    const d = { ...vault("central", { key: "arn:k" }), adopt: true };
    const r = diffResources([d], [{ ...live(d), ownership: "foreign", otherStack: "payments" }], APPLY);
    expect(actions(r)).toEqual({ "vault.central": "adopt" });
    expect(r.findings).toEqual([expect.objectContaining({ severity: "warning", code: "adopt-from-stack", message: expect.stringMatching(/^vault\.central: .* belongs to stack payments; adopting it moves it to this stack$/) })]);
  });

  it("refuses an adoption that would replace the object, and warns when there is nothing to adopt", () => {
    const d = { ...vault("central", { key: "arn:k" }), adopt: true };
    const r = diffResources([d], [{ ...live(d, { set: { encryption_key_arn: "arn:other" } }), ownership: "foreign" }], APPLY);
    expect(codes(r)).toEqual(["error:adopt-would-replace"]);
    const missing = diffResources([{ ...vault("x", { key: "arn:k" }), adopt: true }], [], APPLY);
    expect(actions(missing)).toEqual({ "vault.x": "create" });
    expect(codes(missing)).toEqual(["warning:adopt-missing"]);
  });

  it("reports two desired resources naming one AWS object", () => {
    const a = vault("central", { key: "arn:k" });
    const b = { ...vault("central", { key: "arn:k" }), address: "vault.other" };
    const r = diffResources([a, b], [], APPLY);
    expect(codes(r)).toEqual(["error:duplicate-identity"]);
    expect(r.findings[0]!.message).toContain("vault.other and vault.central");
  });
});

describe("diffResources: attributes", () => {
  it("never diffs write-only attributes, and never replaces for attributes AWS did not return", () => {
    const lock = vaultLock("central", { min: 7, changeable: 3 });
    const l = live(lock);
    expect(l.attributes.changeable_for_days).toBeUndefined();
    expect(actions(diffResources([lock], [l], APPLY))).toEqual({ "vault_lock.central": "no-op" });

    const v = vault("central", { key: "arn:k" });
    const { encryption_key_arn: _dropped, ...withoutKey } = live(v).attributes;
    const r = diffResources([v], [{ ...live(v), attributes: withoutKey }], APPLY);
    expect(actions(r)).toEqual({ "vault.central": "update" });
    expect(r.changes[0]!.changes).toEqual([{ path: "encryption_key_arn", after: "arn:k" }]);
  });

  it("treats a self reference whose value AWS did not return as unchanged", () => {
    const key = kmsKey("central");
    const l = live(key);
    delete l.attributes.arn;
    expect(actions(diffResources([key], [l], APPLY))).toEqual({ "kms_key.central": "no-op" });
  });

  it("compares policy statements semantically: order, string vs list, principal forms", () => {
    const statements = [copyStatement(PROD, "central"), { ...copyStatement("444444444444", "central"), Action: ["backup:CopyIntoBackupVault", "backup:DescribeBackupVault"] }];
    const d = vaultPolicy("central", statements);
    const l = live(d); // liveFrom reverses lists and statements, unwraps singletons and spells accounts as ids
    expect(JSON.stringify(l.attributes)).not.toBe(JSON.stringify(d.attributes));
    expect(actions(diffResources([d], [l], APPLY))).toEqual({ "vault_policy.central": "no-op" });
  });

  it("shows a changed statement by Sid and field, and added or removed statements whole", () => {
    const kept = copyStatement(PROD, "central");
    const d = vaultPolicy("central", [{ ...kept, Action: ["backup:CopyIntoBackupVault", "backup:DescribeBackupVault"] }, copyStatement("444444444444", "central")]);
    const l = live(vaultPolicy("central", [kept, copyStatement("555555555555", "central")]));
    const r = diffResources([d], [l], APPLY);
    expect(actions(r)).toEqual({ "vault_policy.central": "update" });
    expect(r.changes[0]!.changes.map((c) => [c.path, c.before !== undefined, c.after !== undefined])).toEqual([
      [`statements["${SID}Copy${PROD}"].Action`, true, true],
      [`statements["${SID}Copy444444444444"]`, false, true],
      [`statements["${SID}Copy555555555555"]`, true, false],
    ]);
  });
});

describe("diffResources: drift", () => {
  it("reports objects changed outside crossvault apart from configuration edits", () => {
    const d = vault("central", { key: "arn:k", tags: { team: "a" } });
    const applied = live(d);
    const changed = { ...applied, attributes: { ...applied.attributes, tags: { team: "b" } } };
    const r = diffResources([d], [changed], APPLY);
    expect(r.drift).toEqual([{ address: "vault.central", type: "vault", accountId: CENTRAL, region: REGION, changes: [{ path: "tags.team", before: "a", after: "b" }] }]);
    expect(actions(r)).toEqual({ "vault.central": "update" });
  });

  it("reports drift without detail when the configuration changed too, and none when the hash matches", () => {
    const d = vault("central", { key: "arn:k", tags: { team: "c" } });
    const applied = live(vault("central", { key: "arn:k", tags: { team: "a" } }));
    const changed = { ...applied, attributes: { ...applied.attributes, tags: { team: "b" } } };
    expect(diffResources([d], [changed], APPLY).drift).toEqual([expect.objectContaining({ address: "vault.central", changes: [] })]);
    expect(diffResources([d], [live(d, { set: { tags: { team: "b" } } })], APPLY).drift).toEqual([]);
  });

  it("does not call a different spelling of what was applied drift", () => {
    const d = vaultPolicy("central", [copyStatement(PROD, "central"), copyStatement("444444444444", "central")]);
    const l = { ...live(d), appliedHash: attributesHash(d.attributes) };
    expect(l.appliedHash).not.toBe(attributesHash(l.attributes));
    const r = diffResources([d], [l], APPLY);
    expect(r.drift).toEqual([]);
    expect(actions(r)).toEqual({ "vault_policy.central": "no-op" });
  });
});

describe("diffResources: safety", () => {
  it("refuses to replace or delete a vault holding recovery points", () => {
    const d = vault("central", { key: "arn:new" });
    const l = live(d, { set: { encryption_key_arn: "arn:old" }, facts: { recoveryPoints: 42 } });
    const r = diffResources([d], [l], APPLY);
    expect(r.findings).toEqual([expect.objectContaining({ severity: "error", code: "vault-has-recovery-points", message: "cannot replace vault.central: 42 recovery points" })]);
    const gone = diffResources([], [l], APPLY);
    expect(gone.findings.map((f) => f.message)).toEqual(["cannot delete vault.central: 42 recovery points"]);
  });

  it("warns that replacing or deleting a vault takes the statements others put in its policy with it", () => {
    const d = vault("central", { key: "arn:new" });
    const l = live(d, { set: { encryption_key_arn: "arn:old" }, facts: { othersStatements: 2 } });
    const replaced = diffResources([d], [l], APPLY);
    expect(replaced.findings).toEqual([expect.objectContaining({ severity: "warning", code: "vault-policy-statements-lost", message: "vault.central: replacing the vault deletes its access policy, with 2 statements others put there; the new vault gets only the stack's" })]);
    expect(diffResources([], [l], APPLY).findings.map((f) => f.message)).toEqual(["vault.central: deleting the vault deletes its access policy, with 2 statements others put there"]);
    expect(diffResources([d], [live(d, { facts: { othersStatements: 2 } })], APPLY).findings).toEqual([]);
  });

  it("refuses to delete a stack's plan that holds someone else's selections, naming them", () => {
    const d = backupPlan("daily", "local", []);
    const l = live(d, { facts: { foreignSelections: ["audit-team"] } });
    const gone = diffResources([], [l], APPLY);
    expect(gone.findings).toEqual([expect.objectContaining({ severity: "error", code: "plan-has-foreign-selections", address: d.address, message: `cannot delete ${d.address}: it holds selection "audit-team" that the stack did not create` })]);
    expect(codes(diffResources([], [l], DESTROY))).toEqual(["error:plan-has-foreign-selections"]);
    // Kept, it is no concern: the selections stay as they are.
    expect(diffResources([d], [l], APPLY).findings).toEqual([]);
  });

  it("refuses to change a compliance lock past its lock date, and warns before it", () => {
    const d = vaultLock("central", { min: 14 });
    const old = live(vaultLock("central", { min: 7 }));
    const past = diffResources([d], [{ ...old, facts: { lockDate: "2025-05-01T00:00:00Z" } }], APPLY);
    expect(codes(past)).toEqual(["error:compliance-lock"]);
    expect(past.findings[0]!.message).toBe("cannot change vault_lock.central: its vault lock is in compliance mode and became immutable on 2025-05-01T00:00:00Z");
    const future = diffResources([d], [{ ...old, facts: { lockDate: "2025-07-01T00:00:00Z" } }], APPLY);
    expect(codes(future)).toEqual(["warning:compliance-lock-pending"]);
    expect(future.findings[0]!.message).toContain("becomes immutable on 2025-07-01T00:00:00Z");
    const destroy = diffResources([d], [{ ...old, facts: { lockDate: "2025-05-01T00:00:00Z" } }], DESTROY);
    expect(codes(destroy)).toEqual(["error:compliance-lock"]);
    const emptyVault = vault("central", { key: "arn:k" });
    const lockedVault = live(emptyVault, { facts: { recoveryPoints: 0, lockDate: "2025-05-01T00:00:00Z" } });
    const both = diffResources([], [lockedVault, { ...old, facts: { lockDate: "2025-05-01T00:00:00Z" } }], APPLY);
    expect(both.changes.map((c) => c.action)).toEqual(["delete", "delete"]);
    expect(codes(both)).toEqual([]);
    const created = diffResources([vaultLock("central", { min: 7, changeable: 3 })], [], APPLY);
    expect(created.findings.map((f) => f.message)).toEqual(["vault_lock.central: compliance mode: 3 days after apply the lock becomes immutable; after that it can never be changed or removed"]);
  });

  it("schedules a key deletion with its window and warns that it is irreversible after it", () => {
    const key = kmsKey("old");
    const r = diffResources([], liveFrom([key]), APPLY);
    expect(r.changes[0]).toMatchObject({ action: "delete", deletionWindowDays: 30 });
    expect(codes(r)).toEqual(["warning:kms-key-deletion"]);
    const destroy = diffResources([key], liveFrom([key]), DESTROY);
    expect(destroy.changes[0]!.deletionWindowDays).toBe(7);
    const pendingDeletion = diffResources([], [{ ...liveFrom([key])[0]!, facts: { keyState: "PendingDeletion" } }], APPLY);
    expect(pendingDeletion.changes).toEqual([]);
  });

  it("blocks replacing or destroying what has prevent_destroy", () => {
    const d = { ...vault("central", { key: "arn:new" }), preventDestroy: true };
    const r = diffResources([d], [live(d, { set: { encryption_key_arn: "arn:old" } })], APPLY);
    expect(codes(r)).toEqual(["error:prevent-destroy"]);
    expect(r.findings[0]!.message).toBe("vault.central has prevent_destroy set, and this plan would replace it (encryption_key_arn cannot change in place)");
    expect(codes(diffResources([d], [live(d)], DESTROY))).toEqual(["error:prevent-destroy"]);
    expect(codes(diffResources([d], [live(d)], APPLY))).toEqual([]);
  });
});

describe("diffResources: destroy", () => {
  it("deletes every object of ours, with dependencies from the config and from the live objects", () => {
    const desired = [kmsKey("central"), vault("central"), vaultPolicy("central", [copyStatement(PROD, "central")]), keyShare("central", PROD)];
    const lives = liveFrom(desired);
    const orphanPlan = liveFrom([backupPlan("daily", "central", [])])[0]!;
    const foreign = { ...liveFrom([vault("theirs", { key: "arn:x" })])[0]!, ownership: "foreign" as const };
    const r = diffResources(desired, [...lives, orphanPlan, foreign], DESTROY);
    expect(Object.values(actions(r)).every((a) => a === "delete")).toBe(true);
    expect(Object.keys(actions(r))).toEqual(["backup_plan.daily", "key_share.central->333333333333", "kms_key.central", "vault.central", "vault_policy.central"]);
    expect(r.changes.find((c) => c.address === "backup_plan.daily")!.dependsOn).toEqual(["vault.central"]);
    expect(r.changes.find((c) => c.address === "vault.central")!.dependsOn).toEqual(["kms_key.central"]);
    expect(r.findings.map((f) => f.code)).toEqual(["kms-key-deletion"]);
  });

  it("touches nothing that is not ours, and does not complain about foreign objects", () => {
    const d = vault("central", { key: "arn:k" });
    const r = diffResources([d], [{ ...live(d), ownership: "foreign" }], DESTROY);
    expect(r.changes).toEqual([]);
    expect(r.findings).toEqual([]);
  });
});

describe("diffResources: --target", () => {
  const desired = [kmsKey("central"), vault("central"), vaultPolicy("central", [copyStatement(PROD, "central")]), kmsKey("other"), vault("other")];

  it("keeps the targets and their dependencies, and says the plan is partial", () => {
    const r = diffResources(desired, [], { ...APPLY, targets: ["vault_policy.central"] });
    expect(Object.keys(actions(r))).toEqual(["kms_key.central", "vault.central", "vault_policy.central"]);
    expect(codes(r)).toEqual(["warning:partial-plan"]);
  });

  it("keeps what depends on a targeted delete, and warns about a target that matches nothing", () => {
    const r = diffResources([], liveFrom(desired), { ...DESTROY, targets: ["vault.central", "vault.nowhere"] });
    expect(Object.keys(actions(r))).toEqual(["vault.central", "vault_policy.central"]);
    expect(codes(r)).toEqual(["warning:unknown-target", "warning:partial-plan"]);
  });

  it("targets every instance of a resource with for_each keys", () => {
    const a = vault("a", { key: "arn:k", address: 'vault.regional["a"]' });
    const b = vault("b", { key: "arn:k", address: 'vault.regional["b"]' });
    const r = diffResources([a, b, vault("c", { key: "arn:k" })], [], { ...APPLY, targets: ["vault.regional"] });
    expect(Object.keys(actions(r))).toEqual(['vault.regional["a"]', 'vault.regional["b"]']);
  });

  it("keeps an error on a dependency of a target even though the dependency has no change", () => {
    const v = vault("central", { key: "arn:k" });
    const p = vaultPolicy("central", []);
    const r = diffResources([v, p], [{ ...live(v), ownership: "foreign" }], { ...APPLY, targets: ["vault_policy.central"] });
    expect(codes(r)).toEqual(["error:foreign-resource", "warning:partial-plan"]);
  });
});

describe("diffResources: pending references", () => {
  it("keeps a selection whose plan exists, and replaces it when the plan is created anew", () => {
    const plan = backupPlan("daily", "central", []);
    const sel = selection("daily", "all");
    const [lp, ls] = liveFrom([plan, sel]);
    expect(actions(diffResources([plan, sel], [lp!, ls!], APPLY))).toEqual({ "backup_plan.daily": "no-op", "backup_selection.daily.all": "no-op" });
    const r = diffResources([plan, sel], [ls!], APPLY);
    expect(actions(r)).toEqual({ "backup_plan.daily": "create", "backup_selection.daily.all": "replace" });
  });
});

describe("diffResources: moves", () => {
  it("creates an object moved to another account and deletes it where it was", () => {
    const before = vault("central", { key: "arn:k" });
    const moved = vault("central", { key: "arn:k", accountId: PROD });
    const r = diffResources([moved], liveFrom([before]), APPLY);
    expect(r.changes.map((c) => [c.address, c.action, c.accountId])).toEqual([
      ["vault.central", "create", PROD],
      ["vault.central (deposed id-vault.central)", "delete", CENTRAL],
    ]);
  });
});
