// End to end: `crossvault demo` works with no AWS credentials and no AWS configuration at all (a fresh clone):
// it plans, applies, finds nothing left to do, and follows a cross-account copy to its recovery point.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

const home = mkdtempSync(path.join(tmpdir(), "crossvault-demo-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("crossvault demo", () => {
  it("runs plan, apply, plan and a completed cross-account copy against the built-in sandbox", async () => {
    const bare: Record<string, string | undefined> = { HOME: home, XDG_STATE_HOME: path.join(home, "state") };
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_") || k.startsWith("CROSSVAULT_")) bare[k] = undefined;
    const r = await runCli(["demo"], { cwd: home, env: bare, timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/Internal error|NodeVersionSupportWarning|Error:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Plan: 6 to add, 2 to change, 0 to destroy.");
    // Off a terminal no one is asked: the plan is saved and that file is applied, so the plan is printed once.
    expect(r.stdout).toMatch(/Step 2\/5: crossvault apply \S+basic\.plan\n/);
    expect(r.stdout.split("# vault.central in 333333333333/eu-west-1 will be created").length).toBe(2);
    expect(r.stdout).toContain("Apply complete! Resources: 6 added, 2 changed, 0 destroyed.");
    expect(r.stdout).toContain("No changes. Your infrastructure matches the configuration.");
    expect(r.stdout).toMatch(/copy job \S+ is COMPLETED/);
    expect(r.stdout).toMatch(/vault central-copies now holds:\n\s+arn:aws:backup:eu-west-1:333333333333:recovery-point:\S+ COMPLETED: DynamoDB .*copied from arn:aws:backup:eu-west-1:222222222222:backup-vault:prod-local/);
    expect(r.stdout).toContain("Done:");
    // The demo keeps its lock out of the user's state directory.
    expect(existsSync(path.join(home, "state", "crossvault"))).toBe(false);
  }, 120_000);
});
