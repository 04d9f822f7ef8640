// End to end: one apply of a stack at a time (a second is refused, naming the first, or waits with
// --lock-timeout), approval never asked
// of a pipe, and an interrupted apply that finishes the writes in flight, releases the lock, exits 130 and
// leaves a state that plan + apply complete.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./cli.js";
import { planLines, startEngineWorld, STAGING, VAULT, vaultNames } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";

const basic = path.join(repoRoot, "examples", "basic");

describe("the stack lock, approval and interrupts", () => {
  let w: EngineWorld;
  const lockFiles = (): string[] => (existsSync(w.env.CROSSVAULT_LOCK_DIR!) ? readdirSync(w.env.CROSSVAULT_LOCK_DIR!) : []);

  beforeAll(async () => {
    // Slow enough that an apply is still running while the test acts on it.
    w = await startEngineWorld({ latencyMs: 120 });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it("refuses to ask for approval when stdin is not a terminal, and changes nothing", async () => {
    const r = await w.cli(["apply", basic]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error: apply needs approval, but stdin is not a terminal to ask on");
    expect(r.stderr).toContain("--auto-approve");
    expect(r.stdout).toContain("Plan: 6 to add, 2 to change, 0 to destroy.");
    expect(await vaultNames(w, VAULT)).not.toContain("central-copies");
    expect(lockFiles()).toEqual([]);
  }, 60_000);

  it("refuses a second apply of the same stack while one runs, naming the holder", async () => {
    const first = w.spawn(["apply", basic, "--auto-approve"]);
    await first.waitFor(/Creating\.\.\./);
    expect(lockFiles()).toEqual(["demo.lock"]);
    const second = await w.cli(["apply", basic, "--auto-approve"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`Error: stack "demo" is locked: apply by .+ \\(pid ${first.child.pid} on .+\\) since \\d{4}-`));
    expect(second.stdout).not.toContain("Apply complete");
    const done = await first.done;
    expect(done.stderr).not.toContain("failed");
    expect(done.code).toBe(0);
    expect(lockFiles()).toEqual([]);
    const destroy = await w.cli(["destroy", basic, "--auto-approve"]);
    expect(destroy.code).toBe(0);
  }, 120_000);

  it("with --lock-timeout, a second apply waits for the first, then reads what it left and finds nothing to do", async () => {
    const first = w.spawn(["apply", basic, "--auto-approve"]);
    await first.waitFor(/Creating\.\.\./);
    const second = w.spawn(["apply", basic, "--auto-approve", "--lock-timeout", "90s"]);
    await second.waitFor(new RegExp(`Waiting for the lock of stack "demo": apply by .+ \\(pid ${first.child.pid}\\) holds it since \\d{4}-`));
    const one = await first.done;
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Apply complete! Resources: 6 added/);
    const two = await second.done;
    expect(two.code).toBe(0);
    expect(two.stdout).toContain("No changes.");
    expect(two.stdout).not.toContain("Apply complete");
    expect(lockFiles()).toEqual([]);
    expect((await w.cli(["destroy", basic, "--auto-approve"])).code).toBe(0);
  }, 120_000);

  it("on SIGINT finishes the writes in flight, starts no more, releases the lock and exits 130; plan + apply complete it", async () => {
    const run = w.spawn(["apply", basic, "--auto-approve", "--parallelism", "1"]);
    await run.waitFor(/Creating\.\.\./);
    run.child.kill("SIGINT");
    const done = await run.done;
    expect(done.code).toBe(130);
    expect(done.stderr).toContain("SIGINT: stopping");
    expect(done.stdout).toMatch(/Apply interrupted: \d+ applied .*, 0 failed, [1-9]\d* skipped\./);
    expect(lockFiles()).toEqual([]);
    // Whatever was started was finished: the next plan shows only what was never started.
    const plan = await w.cli(["plan", basic, "--detailed-exitcode"]);
    expect(plan.code).toBe(2);
    const skipped = done.stderr.split("\n").filter((l) => / skipped \(interrupted\)$/.test(l)).map((l) => l.split(":")[0]!).sort();
    expect(skipped.length).toBeGreaterThan(0);
    const planned = planLines(plan.stdout).map((l) => l.split(" ")[1]!);
    for (const address of skipped) expect(planned).toContain(address);
    const apply = await w.cli(["apply", basic, "--auto-approve"]);
    expect(apply.code).toBe(0);
    expect((await w.cli(["plan", basic, "--detailed-exitcode"])).code).toBe(0);
    expect(await vaultNames(w, STAGING)).toEqual(["Default"]);
  }, 120_000);
});
