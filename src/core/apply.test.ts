// Apply's walk, with the AWS writer replaced: dependency order, values known after apply handed to the changes
// that need them, a failure skipping only what depends on it, the refusals, and the order a destroy runs in.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientPool } from "../providers/aws/clients.js";
import type { ResourceChange } from "./plan-types.js";
import { RecordingHost } from "./events.js";

const writes: Array<{ address: string; after: unknown }> = [];
const failing = new Set<string>();
/** Addresses whose write fails with the SDK's own error (not an ApplyError): its name. */
const awsFailing = new Map<string, string>();

vi.mock("../providers/aws/apply.js", () => ({
  applyChange: vi.fn(async (_pool: unknown, change: ResourceChange, ctx: { resolve(p: unknown): unknown }) => {
    await new Promise((r) => setImmediate(r));
    // What the real writer does with Pending values: asks the context for them.
    const resolve = (v: unknown): unknown => (v && typeof v === "object" && "$pending" in v ? ctx.resolve(v) : v);
    const after = change.after ? Object.fromEntries(Object.entries(change.after).map(([k, v]) => [k, resolve(v)])) : null;
    writes.push({ address: change.address, after });
    if (failing.has(change.address)) throw Object.assign(new Error(`${change.address}: AccessDeniedException: no`), { name: "ApplyError" });
    const aws = awsFailing.get(change.address);
    if (aws) throw Object.assign(new Error("not authorized to perform backup:CreateBackupVault"), { name: aws });
    if (change.type === "kms_key") return { attributes: { arn: `arn:aws:kms:eu-west-1:1:key/${change.address}` }, id: "k" };
    return {};
  }),
}));

const { applyNodes, applyPlan, assertApplyable } = await import("./apply.js");
const { assemblePlan } = await import("./plan.js");

function change(address: string, type: ResourceChange["type"], action: ResourceChange["action"], dependsOn: string[] = [], after: Record<string, unknown> | null = {}, accountId = "111111111111"): ResourceChange {
  return { address, type, accountId, region: "eu-west-1", action, before: action === "create" ? null : {}, after: after as ResourceChange["after"], changes: [], dependsOn };
}

function planOf(changes: ResourceChange[], extra: Partial<Parameters<typeof assemblePlan>[0]> = {}) {
  return assemblePlan({
    stack: "s", configPath: "x", configHash: "h", variables: {}, targets: [], mode: "apply",
    diff: { changes, drift: [], findings: [] }, fingerprints: {}, unreadable: [], toolVersion: "0", now: "2026-01-01T00:00:00Z", ...extra,
  });
}

const pool = {} as ClientPool;

beforeEach(() => {
  writes.length = 0;
  failing.clear();
  awsFailing.clear();
});

describe("applyPlan", () => {
  it("applies in dependency order and hands a created key's ARN to the vault that needs it", async () => {
    const host = new RecordingHost();
    const plan = planOf([
      change("vault.central", "vault", "create", ["kms_key.central"], { name: "central", encryption_key_arn: { $pending: { address: "kms_key.central", attribute: "arn" } } }),
      change("kms_key.central", "kms_key", "create"),
      change("vault_policy.central", "vault_policy", "create", ["vault.central"]),
      change("vault.other", "vault", "no-op", []),
    ]);
    const out = await applyPlan(pool, plan, { stack: "s", host });
    expect(writes.map((w) => w.address)).toEqual(["kms_key.central", "vault.central", "vault_policy.central"]);
    expect(writes[1]!.after).toMatchObject({ encryption_key_arn: "arn:aws:kms:eu-west-1:1:key/kms_key.central" });
    expect(out.counts).toEqual({ added: 3, changed: 0, destroyed: 0, adopted: 0 });
    expect(host.events.filter((e) => e.type === "apply-done").map((e) => (e as { address: string }).address)).toEqual(["kms_key.central", "vault.central", "vault_policy.central"]);
    expect(host.events.at(-1)).toEqual({ type: "apply-summary", applied: 3, failed: 0, skipped: 0 });
  });

  it("skips what depends on a failure, finishes the independent branch, and reports all three", async () => {
    failing.add("kms_key.central");
    const host = new RecordingHost();
    const plan = planOf([
      change("kms_key.central", "kms_key", "create"),
      change("vault.central", "vault", "create", ["kms_key.central"]),
      change("vault_policy.central", "vault_policy", "update", ["vault.central"]),
      change("vault.prod", "vault", "create", [], {}, "222222222222"),
    ]);
    const out = await applyPlan(pool, plan, { stack: "s", host });
    expect(out.failed.map((f) => [f.change.address, f.message])).toEqual([["kms_key.central", "AccessDeniedException: no"]]);
    expect(out.skipped.map((s) => [s.change.address, s.because])).toEqual([["vault.central", "kms_key.central failed"], ["vault_policy.central", "kms_key.central failed"]]);
    expect(out.applied.map((c) => c.address)).toEqual(["vault.prod"]);
    expect(host.events).toContainEqual({ type: "apply-failed", address: "kms_key.central", action: "create", message: "AccessDeniedException: no" });
    expect(host.events).toContainEqual({ type: "apply-skipped", address: "vault.central", because: "kms_key.central failed" });
    expect(host.events.at(-1)).toEqual({ type: "apply-summary", applied: 1, failed: 1, skipped: 2 });
  });

  it("says where an AWS error happened and, for access and credentials, what to do", async () => {
    awsFailing.set("vault.central", "AccessDeniedException");
    awsFailing.set("vault.prod", "ExpiredTokenException");
    const plan = planOf([change("vault.central", "vault", "create", [], {}, "333333333333"), change("vault.prod", "vault", "create", [], {}, "222222222222")]);
    const out = await applyPlan(pool, plan, { stack: "s", host: new RecordingHost() });
    const messages = Object.fromEntries(out.failed.map((f) => [f.change.address, f.message]));
    expect(messages["vault.central"]).toBe("AccessDeniedException: not authorized to perform backup:CreateBackupVault (in 333333333333/eu-west-1). Allow that action to the identity crossvault uses in that account, then run apply again.");
    expect(messages["vault.prod"]).toMatch(/^ExpiredTokenException: .* \(in 222222222222\/eu-west-1\)\. Check how crossvault reaches that account .*aws sso login/);
  });

  it("starts nothing once aborted, and says so", async () => {
    const controller = new AbortController();
    controller.abort();
    const host = new RecordingHost();
    const out = await applyPlan(pool, planOf([change("vault.a", "vault", "create"), change("vault.b", "vault", "create", ["vault.a"])]), { stack: "s", host, signal: controller.signal });
    expect(writes).toEqual([]);
    expect(out.interrupted).toBe(true);
    expect(out.skipped.map((s) => s.because)).toEqual(["interrupted", "interrupted"]);
  });

  it("refuses a plan with error findings or unread accounts", async () => {
    const withError = planOf([change("vault.a", "vault", "create")], { diff: { changes: [change("vault.a", "vault", "create")], drift: [], findings: [{ severity: "error", code: "x", address: "vault.a", message: "cannot" }] } });
    expect(() => assertApplyable(withError)).toThrow(/it has 1 error:\n {2}vault\.a: cannot/);
    const unread = planOf([], { unreadable: [{ accountId: "999999999999", message: "denied" }] });
    expect(() => assertApplyable(unread)).toThrow(/could not read 999999999999\n {2}999999999999: denied$/);
    await expect(applyPlan(pool, unread, { stack: "s", host: new RecordingHost() })).rejects.toThrow(/could not read/);
    expect(writes).toEqual([]);
  });
});

describe("applyNodes", () => {
  it("deletes what depends on an object before the object, and keeps order through changes that do nothing", () => {
    const nodes = applyNodes([
      change("kms_key.old", "kms_key", "delete"),
      change("vault.old", "vault", "delete", ["kms_key.old"]),
      change("vault_policy.old", "vault_policy", "delete", ["vault.old"]),
      change("key_share.a->2", "key_share", "no-op", ["kms_key.new"]),
      change("kms_key.new", "kms_key", "create"),
      change("backup_plan.p", "backup_plan", "create", ["key_share.a->2"]),
    ]);
    const deps = Object.fromEntries(nodes.map((n) => [n.id, n.dependsOn]));
    expect(deps["kms_key.old"]).toEqual(["vault.old"]);
    expect(deps["vault.old"]).toEqual(["vault_policy.old"]);
    expect(deps["vault_policy.old"]).toEqual([]);
    // The no-op share is not walked, but the plan still waits for the key behind it.
    expect(deps["key_share.a->2"]).toBeUndefined();
    expect(deps["backup_plan.p"]).toEqual(["kms_key.new"]);
    expect(nodes.find((n) => n.id === "vault.old")!.lane).toBe("111111111111/eu-west-1");
  });
});
