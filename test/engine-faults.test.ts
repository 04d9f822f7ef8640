// End to end under faults: with 30 % of requests throttled, and with settings and policies reaching copy jobs
// only after a consistency delay, plan and apply still converge (no failure, a second plan has nothing to do)
// and the copy works once the delay has passed.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./cli.js";
import { awaitCopy, PROD, REGION, startEngineWorld, VAULT } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";

const basic = path.join(repoRoot, "examples", "basic");
const central = `arn:aws:backup:${REGION}:${VAULT}:backup-vault:central-copies`;

async function converges(w: EngineWorld): Promise<void> {
  const plan = await w.cli(["plan", basic, "--detailed-exitcode"]);
  expect(plan.stderr).not.toMatch(/read failed|Error/);
  expect(plan.code).toBe(2);
  const apply = await w.cli(["apply", basic, "--auto-approve"]);
  expect(apply.stderr).not.toMatch(/failed|Error/);
  expect(apply.code).toBe(0);
  expect(apply.stdout).toContain("Apply complete! Resources: 6 added, 2 changed, 0 destroyed.");
  const again = await w.cli(["plan", basic, "--detailed-exitcode"]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain("No changes.");
}

describe("with 30 % of requests throttled", () => {
  let w: EngineWorld;
  beforeAll(async () => {
    w = await startEngineWorld({ throttleRate: 0.3, seed: 7 });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it("plan and apply converge, the throttling retried and never reported as a failure", async () => {
    await converges(w);
    const stats = w.sandbox.stats() as { errors?: Record<string, number> };
    // The faults really happened: the run above went through them.
    expect(Object.entries(stats.errors ?? {}).filter(([code]) => /Throttl|TooManyRequests/.test(code)).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(5);
  }, 180_000);
});

describe("with a consistency delay", () => {
  const delayMs = 20_000;
  let w: EngineWorld;
  beforeAll(async () => {
    w = await startEngineWorld({ consistencyDelayMs: delayMs });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it("plan and apply converge, and the copy succeeds once the changes have propagated", async () => {
    await converges(w);
    await w.sandbox.advanceClock(delayMs + 1000);
    await w.control("run-due-plans");
    expect(await awaitCopy(w, PROD, central)).toEqual({ state: "COMPLETED" });
  }, 180_000);
});
