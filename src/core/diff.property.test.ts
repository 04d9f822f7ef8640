import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DesiredResource } from "../model/resource.js";
import { diffResources } from "./diff.js";
import { CENTRAL, MGMT, PROD, SID, STACK, backupPlan, keyShare, kmsKey, liveFrom, pending, selection, vault, vaultLock, vaultPolicy } from "./diff-test-support.js";
import type { PolicyStatement } from "../model/attributes.js";
import { dependencyOrder, runAfter } from "./plan.js";

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const account = fc.constantFrom(MGMT, CENTRAL, PROD);
const region = fc.constantFrom("eu-west-1", "us-east-1");
const tags = fc.dictionary(fc.stringMatching(/^[a-z][a-z:-]{0,5}$/), fc.string({ maxLength: 6 }), { maxKeys: 3 });
const statement = fc.record({
  suffix: fc.stringMatching(/^[A-Za-z0-9]{1,6}$/),
  actions: fc.uniqueArray(fc.constantFrom("backup:CopyIntoBackupVault", "backup:DescribeBackupVault", "kms:Decrypt"), { minLength: 1 }),
  principals: fc.uniqueArray(account, { minLength: 1 }),
  orgPaths: fc.uniqueArray(fc.constantFrom("o-a/r-b/ou-1/*", "o-a/r-b/ou-2/*", "o-a/r-b/ou-3/*"), { maxLength: 3 }),
});

const blueprint = fc.record({
  keys: fc.uniqueArray(fc.record({ name, account, region, tags }), { selector: (k) => k.name, maxLength: 3 }),
  vaults: fc.uniqueArray(
    fc.record({
      name, account, region, tags,
      key: fc.nat(),
      statements: fc.uniqueArray(statement, { selector: (s) => s.suffix, maxLength: 3 }),
      lock: fc.option(fc.record({ min: fc.integer({ min: 1, max: 30 }), changeable: fc.option(fc.integer({ min: 3, max: 30 }), { nil: undefined }) }), { nil: undefined }),
    }),
    { selector: (v) => v.name, maxLength: 4 },
  ),
  shares: fc.array(fc.record({ key: fc.nat(), destination: account }), { maxLength: 3 }),
  plans: fc.uniqueArray(fc.record({ name, vault: fc.nat(), copies: fc.array(fc.nat(), { maxLength: 2 }), selections: fc.uniqueArray(name, { maxLength: 2 }) }), { selector: (p) => p.name, maxLength: 2 }),
});

type Blueprint = typeof blueprint extends fc.Arbitrary<infer T> ? T : never;

/** Desired resources shaped like derive's: references between them as Pending values, write-only attributes. */
function build(bp: Blueprint): DesiredResource[] {
  const out: DesiredResource[] = [];
  const keys = bp.keys.map((k) => kmsKey(k.name, { accountId: k.account, region: k.region, tags: k.tags }));
  out.push(...keys);
  const vaults = bp.vaults.map((v) => {
    const key = keys.length > 0 ? keys[v.key % keys.length]! : undefined;
    const d = vault(`v${v.name}`, { accountId: v.account, region: v.region, tags: v.tags, key: key ? pending(key.address, "arn") : `arn:aws:kms:${v.region}:${v.account}:key/fixed` });
    out.push(d);
    const statements: PolicyStatement[] = v.statements.map((s) => {
      const st: PolicyStatement = { Sid: `${SID}${s.suffix}`, Effect: "Allow", Principal: { AWS: s.principals.map((a) => `arn:aws:iam::${a}:root`).sort() }, Action: [...s.actions].sort(), Resource: ["*"] };
      if (s.orgPaths.length > 0) st.Condition = { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": [...s.orgPaths].sort() } };
      return st;
    });
    out.push(vaultPolicy(`v${v.name}`, statements, { accountId: v.account, region: v.region }));
    if (v.lock) out.push(vaultLock(`v${v.name}`, { min: v.lock.min, changeable: v.lock.changeable }, { accountId: v.account, region: v.region }));
    return d;
  });
  const seenShares = new Set<string>();
  for (const s of bp.shares) {
    if (keys.length === 0) break;
    const key = keys[s.key % keys.length]!;
    const share = keyShare(key.address.slice("kms_key.".length), s.destination, { accountId: key.accountId, region: key.region });
    if (seenShares.has(share.identity)) continue;
    seenShares.add(share.identity);
    out.push(share);
  }
  for (const p of bp.plans) {
    if (vaults.length === 0) break;
    const target = vaults[p.vault % vaults.length]!;
    const copies = [...new Set(p.copies.map((c) => String(vaults[c % vaults.length]!.attributes.arn)))];
    const plan = backupPlan(`p${p.name}`, String(target.attributes.name), copies, { accountId: target.accountId, region: target.region });
    out.push(plan);
    for (const s of p.selections) out.push(selection(`p${p.name}`, s, { accountId: target.accountId, region: target.region }));
  }
  return out;
}

describe("diff properties", () => {
  it("a faithful apply leaves nothing to do: diff(desired, liveFrom(desired)) has no changes", () => {
    fc.assert(
      fc.property(blueprint, (bp) => {
        const desired = build(bp);
        const r = diffResources(desired, liveFrom(desired), { stack: STACK, mode: "apply", now: "2025-01-01T00:00:00Z" });
        expect(r.changes.filter((c) => c.action !== "no-op")).toEqual([]);
        expect(r.changes).toHaveLength(desired.length);
        expect(r.drift).toEqual([]);
        expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("from nothing, everything is created, in an order where dependencies come first", () => {
    fc.assert(
      fc.property(blueprint, (bp) => {
        const desired = build(bp);
        const r = diffResources(desired, [], { stack: STACK, mode: "apply" });
        expect(r.changes.every((c) => c.action === "create")).toBe(true);
        const position = new Map(dependencyOrder(r.changes).map((c, i) => [c.address, i]));
        for (const c of r.changes) for (const d of c.dependsOn) expect(position.get(d)!).toBeLessThan(position.get(c.address)!);
      }),
      { numRuns: 100 },
    );
  });

  it("destroy deletes everything of ours, dependents before what they depend on", () => {
    fc.assert(
      fc.property(blueprint, (bp) => {
        const desired = build(bp);
        const r = diffResources(desired, liveFrom(desired), { stack: STACK, mode: "destroy", now: "2025-01-01T00:00:00Z" });
        expect(r.changes.every((c) => c.action === "delete")).toBe(true);
        expect(r.changes).toHaveLength(desired.length);
        const order = dependencyOrder(r.changes);
        expect(order).toHaveLength(r.changes.length);
        const position = new Map(order.map((c, i) => [c.address, i]));
        for (const c of r.changes) for (const d of c.dependsOn) expect(position.get(c.address)!).toBeLessThan(position.get(d)!);
        const edges = runAfter(r.changes);
        for (const [address, first] of edges) for (const f of first) expect(position.get(f)!).toBeLessThan(position.get(address)!);
      }),
      { numRuns: 100 },
    );
  });
});
