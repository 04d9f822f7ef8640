// End to end against the sandbox with the real SDK: what the writers create reads back, through readLive, as
// exactly the desired attributes (so an unchanged resource diffs to nothing), owned by the stack and without
// drift; an unreachable account is reported without hiding the others; readOrgFacts walks the organization.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attributesHash } from "../src/model/ownership.js";
import type { DesiredResource } from "../src/model/resource.js";
import { readLive, readOrgFacts } from "../src/providers/aws/index.js";
import type { LiveRead, ReadScope } from "../src/providers/aws/index.js";
import { applyInOrder, createChange, desiredState, expectedLive, HOME, MGMT, OUTSIDE, PROD, REGION, STAGING, startEngineSandbox, VAULT } from "./engine-aws-support.js";
import type { Applied, EngineSandbox } from "./engine-aws-support.js";

const STACK = "core";

function scopeOf(desired: DesiredResource[], extra: Array<{ accountId: string; regions: string[] }> = []): ReadScope {
  return {
    stack: STACK,
    accounts: [{ accountId: MGMT, regions: [REGION] }, { accountId: PROD, regions: [REGION] }, { accountId: VAULT, regions: [REGION] }, { accountId: STAGING, regions: [REGION] }, ...extra],
    desired,
    managementAccountId: MGMT,
    manageOrg: true,
    homeRegion: HOME,
  };
}

describe("AWS edge against the sandbox", () => {
  let env: EngineSandbox;
  let desired: DesiredResource[];
  let applied: Applied;
  let live: LiveRead;

  beforeAll(async () => {
    env = await startEngineSandbox();
    desired = desiredState(STACK);
    applied = await applyInOrder(env.pool, STACK, desired.map(createChange));
    live = await readLive(env.pool, scopeOf(desired));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("reads every created resource back as its desired attributes, owned, at its address, without drift", () => {
    expect(live.unreadable).toEqual([]);
    for (const d of desired) {
      const found = live.resources.filter((l) => l.identity === d.identity);
      expect(found.map((l) => l.address), d.identity).toEqual([d.address]);
      const l = found[0]!;
      expect(l.type).toBe(d.type);
      expect(l.ownership, d.address).toBe(d.type === "org_trust" || d.type === "cross_account_setting" ? "unmanaged" : "ours");
      expect(l.attributes, d.address).toEqual(expectedLive(d, applied.resolve));
      if (d.type === "vault" || d.type === "kms_key" || d.type === "backup_plan") expect(l.appliedHash, d.address).toBe(attributesHash(l.attributes));
      expect(live.fingerprints[d.identity], d.identity).toBe(l.fingerprint);
    }
    // Nothing else of this stack exists, and nothing else was reported.
    expect(live.resources.map((l) => l.address).sort()).toEqual(desired.map((d) => d.address).sort());
  });

  it("reports the facts that decide what a change may do", () => {
    const central = live.resources.find((l) => l.address === "vault.central")!;
    expect(central.facts?.recoveryPoints).toBe(0);
    const key = live.resources.find((l) => l.address === "kms_key.central")!;
    expect(key.facts?.keyState).toBe("Enabled");
    expect(key.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives the same fingerprints when nothing changed, and a new one when something did", async () => {
    const again = await readLive(env.pool, scopeOf(desired));
    expect(again.fingerprints).toEqual(live.fingerprints);
    expect(again.resources).toEqual(live.resources);
    const { BackupClient, TagResourceCommand } = await import("@aws-sdk/client-backup");
    const vaultRoot = new BackupClient({ region: REGION, endpoint: env.sandbox.url, credentials: { accessKeyId: "AKIASANDBOX333333333", secretAccessKey: "x" } });
    const central = live.resources.find((l) => l.address === "vault.central")!;
    await vaultRoot.send(new TagResourceCommand({ ResourceArn: central.id, Tags: { changed: "by hand" } }));
    const after = await readLive(env.pool, scopeOf(desired));
    expect(after.fingerprints[central.identity]).not.toBe(live.fingerprints[central.identity]);
    const drifted = after.resources.find((l) => l.address === "vault.central")!;
    // Changed outside crossvault: the applied hash no longer matches what is read.
    expect(drifted.appliedHash).not.toBe(attributesHash(drifted.attributes));
    expect(after.fingerprints[desired.find((d) => d.address === "vault.prod")!.identity]).toBe(live.fingerprints[desired.find((d) => d.address === "vault.prod")!.identity]);
    vaultRoot.destroy();
  });

  it("marks absent desired objects so that their appearance makes a plan stale", async () => {
    const extra = { ...desired.find((d) => d.address === "vault.plain")!, address: "vault.later", identity: `vault:${STAGING}/${REGION}/later`, attributes: { name: "later", encryption_key_arn: "alias/aws/backup", tags: {}, arn: "x" } };
    const read = await readLive(env.pool, scopeOf([...desired, extra]));
    expect(read.fingerprints[extra.identity]).toBeDefined();
    expect(read.resources.some((l) => l.identity === extra.identity)).toBe(false);
  });

  it("reports an account whose role cannot be assumed, naming the role, and still reads the others", async () => {
    const events: string[] = [];
    const read = await readLive(env.pool, scopeOf(desired, [{ accountId: OUTSIDE, regions: [REGION, "us-east-1"] }]), { notify: (e) => events.push(e.type) });
    expect(read.unreadable).toHaveLength(1);
    expect(read.unreadable[0]!.accountId).toBe(OUTSIDE);
    expect(read.unreadable[0]!.region).toBeUndefined();
    expect(read.unreadable[0]!.message).toContain(`role arn:aws:iam::${OUTSIDE}:role/OrganizationAccountAccessRole`);
    expect(read.unreadable[0]!.message).toMatch(/AccessDenied/);
    expect(read.resources.map((l) => l.address).sort()).toEqual(live.resources.map((l) => l.address).sort());
    expect(events).toContain("read-failed");
    expect(events.filter((e) => e === "read-done").length).toBeGreaterThanOrEqual(4);
  });

  it("walks the organization into OrgFacts", async () => {
    const org = await readOrgFacts(env.pool);
    expect(org.organizationId).toBe("o-a1b2c3d4e5");
    expect(org.managementAccountId).toBe(MGMT);
    expect(org.rootId).toBe("r-a1b2");
    expect(org.accountPaths).toEqual({
      [MGMT]: "o-a1b2c3d4e5/r-a1b2/",
      [PROD]: "o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-prod0001/",
      [VAULT]: "o-a1b2c3d4e5/r-a1b2/ou-a1b2-secu0001/",
      [STAGING]: "o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-stag0001/",
    });
    expect(org.accountsByOu).toEqual({
      "ou-a1b2-work0001": [PROD, STAGING],
      "ou-a1b2-prod0001": [PROD],
      "ou-a1b2-stag0001": [STAGING],
      "ou-a1b2-secu0001": [VAULT],
    });
    expect(org.ouPaths["ou-a1b2-prod0001"]).toBe("o-a1b2c3d4e5/r-a1b2/ou-a1b2-work0001/ou-a1b2-prod0001/");
  });
});
