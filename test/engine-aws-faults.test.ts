// With the sandbox throttling 30 % of requests and failing some with server errors, the writers and the
// reader still converge: everything is created once (one key per alias, one vault, one plan) and reads back
// as desired.
import { BackupClient, ListBackupPlansCommand } from "@aws-sdk/client-backup";
import { KMSClient, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredResource } from "../src/model/resource.js";
import { readLive } from "../src/providers/aws/index.js";
import type { LiveRead } from "../src/providers/aws/index.js";
import { applyInOrder, createChange, desiredState, expectedLive, HOME, MGMT, PROD, REGION, STAGING, startEngineSandbox, VAULT } from "./engine-aws-support.js";
import type { Applied, EngineSandbox } from "./engine-aws-support.js";

const STACK = "core";

describe("under throttling and server errors", () => {
  let env: EngineSandbox;
  let desired: DesiredResource[];
  let applied: Applied;
  let live: LiveRead;

  beforeAll(async () => {
    env = await startEngineSandbox({ throttleRate: 0.3, errorRate: 0.05, seed: 20240601 }, 12);
    desired = desiredState(STACK);
    applied = await applyInOrder(env.pool, STACK, desired.map(createChange));
    live = await readLive(env.pool, {
      stack: STACK, accounts: [MGMT, PROD, VAULT, STAGING].map((accountId) => ({ accountId, regions: [REGION] })), desired, managementAccountId: MGMT, manageOrg: true, homeRegion: HOME,
    });
    // The SDK backs off half a second and more after each throttled call: a slow set-up, not a timed one.
  }, 180_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("met the injected faults", () => {
    const errors = env.sandbox.stats().errors;
    expect(Object.values(errors).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  });

  it("reads back exactly what was desired", () => {
    expect(live.unreadable).toEqual([]);
    for (const d of desired) {
      const l = live.resources.find((x) => x.identity === d.identity);
      expect(l?.attributes, d.address).toEqual(expectedLive(d, applied.resolve));
    }
  });

  it("created each key and plan once", { timeout: 60_000 }, async () => {
    for (const [account, alias] of [[PROD, "alias/crossvault-prod"], [VAULT, "alias/crossvault-central"]] as const) {
      const kms = new KMSClient({ region: REGION, endpoint: env.sandbox.url, maxAttempts: 20, credentials: { accessKeyId: `AKIASANDBOX${account.slice(0, 9)}`, secretAccessKey: "x" } });
      const keys = (await kms.send(new ListKeysCommand({}))).Keys!;
      const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!;
      const awsManaged = new Set(aliases.filter((a) => a.AliasName!.startsWith("alias/aws/")).map((a) => a.TargetKeyId));
      const customerKeys = keys.map((k) => k.KeyId).filter((id) => !awsManaged.has(id));
      // One key, behind the alias and the stack's marker alias.
      expect(customerKeys, alias).toHaveLength(1);
      expect(aliases.filter((a) => a.TargetKeyId === customerKeys[0]).map((a) => a.AliasName).sort()).toEqual([alias, `alias/crossvault/${STACK}/${customerKeys[0]}`]);
      expect(aliases.some((a) => a.AliasName === alias)).toBe(true);
      kms.destroy();
    }
    const backup = new BackupClient({ region: REGION, endpoint: env.sandbox.url, maxAttempts: 20, credentials: { accessKeyId: "AKIASANDBOX222222222", secretAccessKey: "x" } });
    expect((await backup.send(new ListBackupPlansCommand({}))).BackupPlansList!.map((p) => p.BackupPlanName)).toEqual(["daily"]);
    backup.destroy();
  });
});
