// End to end: an apply killed with SIGKILL at a random moment (ten times, each from an empty organization)
// leaves a state that the next plan describes exactly (the apply after it does what the plan said) and that
// apply completes, with no vault, key, plan or selection created twice.
import { ListBackupPlansCommand, ListBackupSelectionsCommand } from "@aws-sdk/client-backup";
import { DescribeKeyCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./cli.js";
import { PROD, startEngineWorld, VAULT, vaultNames } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";
import { seededRandom } from "../src/sandbox/faults.js";

const basic = path.join(repoRoot, "examples", "basic");
const KILLS = 10;
const SEED = Number(process.env.CROSSVAULT_CRASH_SEED ?? 20261130);

// seededRandom is mulberry32: a failing kill point can be replayed from its seed.
const random = seededRandom;

const summaryOfPlan = (stdout: string): string | undefined => /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\./.exec(stdout)?.slice(1).join("/");
const summaryOfApply = (stdout: string): string | undefined => /Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\./.exec(stdout)?.slice(1).join("/");

describe(`kill -9 during apply (seed ${SEED})`, () => {
  let w: EngineWorld;
  /** Wall time from the first write to the end of an uninterrupted apply: the window kills land in. */
  let writeWindowMs = 0;

  async function customerKeys(accountId: string): Promise<Array<{ id: string; state: string }>> {
    const kms = w.kms(accountId);
    const keys = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys ?? [];
    const out: Array<{ id: string; state: string }> = [];
    for (const k of keys) {
      const meta = (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId! }))).KeyMetadata!;
      if (meta.KeyManager === "CUSTOMER") out.push({ id: meta.KeyId!, state: meta.KeyState ?? "" });
    }
    return out;
  }

  beforeAll(async () => {
    w = await startEngineWorld({ latencyMs: 30 });
    const run = w.spawn(["apply", basic, "--auto-approve"]);
    await run.waitFor(/Creating\.\.\.|Modifying\.\.\./);
    const started = Date.now();
    const done = await run.done;
    expect(done.code).toBe(0);
    writeWindowMs = Date.now() - started;
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });

  it(`converges after each of ${KILLS} kills, with nothing created twice`, async () => {
    const next = random(SEED);
    const stages = new Set<string>();
    for (let i = 0; i < KILLS; i++) {
      await w.sandbox.reset();
      const run = w.spawn(["apply", basic, "--auto-approve"]);
      // Most kill points fall among the writes; a few before the first one (during the read) or after the last.
      await run.waitFor(/Reading the live state/);
      const anchorWrites = next() < 0.8;
      if (anchorWrites) await run.waitFor(/Creating\.\.\.|Modifying\.\.\./).catch(() => undefined);
      const delay = Math.floor(next() * (anchorWrites ? writeWindowMs : 1500));
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill("SIGKILL");
      const killed = await run.done;
      const doneLines = killed.stderr.split("\n").filter((l) => / complete after /.test(l)).length;
      stages.add(killed.signal === "SIGKILL" ? `killed after ${doneLines} writes` : `finished (${killed.code})`);

      const where = `kill ${i + 1} (after ${delay} ms, ${doneLines} writes done)`;
      const plan = await w.cli(["plan", basic]);
      expect(plan.code, `${where}: plan\n${plan.stderr}`).toBe(0);
      const apply = await w.cli(["apply", basic, "--auto-approve"]);
      expect(apply.code, `${where}: apply\n${apply.stderr}`).toBe(0);
      // The plan said exactly what was left: the apply did that.
      const planned = summaryOfPlan(plan.stdout) ?? "0/0/0";
      expect(summaryOfApply(apply.stdout) ?? "0/0/0", `${where}: ${plan.stdout}`).toBe(planned);
      const after = await w.cli(["plan", basic, "--detailed-exitcode"]);
      expect(after.code, `${where}: plan after apply\n${after.stdout}`).toBe(0);

      expect(await vaultNames(w, VAULT), where).toEqual(["Default", "central-copies"]);
      expect((await vaultNames(w, PROD)).filter((n) => n !== "Default"), where).toEqual(["prod-local"]);
      expect(await customerKeys(VAULT), where).toEqual([{ id: expect.any(String), state: "Enabled" }]);
      const plans = (await w.backup(PROD).send(new ListBackupPlansCommand({}))).BackupPlansList ?? [];
      expect(plans.map((p) => p.BackupPlanName), where).toEqual(["daily"]);
      const selections = (await w.backup(PROD).send(new ListBackupSelectionsCommand({ BackupPlanId: plans[0]!.BackupPlanId! }))).BackupSelectionsList ?? [];
      expect(selections.map((s) => s.SelectionName), where).toEqual(["tagged"]);
    }
    // The kills landed at different stages of the apply, not all at the same point.
    expect(stages.size).toBeGreaterThan(2);
  }, 600_000);
});
