// An independent, non-JavaScript client (python3 + boto3) runs a cross-account scenario against the sandbox:
// org reads, trusted access, global settings, keys, vaults, policies, plans, a copy job, typed errors.
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle } from "../src/sandbox/index.js";
import { services } from "../src/sandbox/services/index.js";

const scenario = fileURLToPath(new URL("./boto3/scenario.py", import.meta.url));

function boto3Available(): boolean {
  try {
    execFileSync("python3", ["-c", "import boto3"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface Step {
  name: string;
  status: "ok" | "skipped" | "failed";
  detail: unknown;
}

let sb: SandboxHandle;

beforeAll(async () => {
  sb = await startSandbox({ jobDurationMs: 400, log: () => undefined });
});

afterAll(async () => {
  await sb.stop();
});

describe("boto3 scenario", () => {
  it("runs every step whose operations the sandbox emulates, without a failure", async () => {
    // The CI image installs python3-boto3; a machine without it cannot run this test at all.
    expect(boto3Available(), "python3 with boto3 is required (Debian: apt-get install python3-boto3)").toBe(true);
    const emulated = Object.entries(services).flatMap(([svc, impl]) => Object.keys(impl.operations).map((op) => `${svc}:${op}`));
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn("python3", [scenario], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ENDPOINT_URL: sb.url,
          AWS_ACCESS_KEY_ID: "AKIASANDBOX111111111",
          AWS_SECRET_ACCESS_KEY: "sandbox",
          AWS_REGION: "us-east-1",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          AWS_EC2_METADATA_DISABLED: "true",
          CROSSVAULT_SANDBOX_OPERATIONS: emulated.join(" "),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    let steps: Step[];
    try {
      steps = (JSON.parse(result.stdout) as { steps: Step[] }).steps;
    } catch {
      throw new Error(`the scenario printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
    const failed = steps.filter((s) => s.status === "failed");
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(result.code).toBe(0);
    // The protocol-level steps never depend on optional operations: they must have run.
    for (const name of ["sts: caller identity and AssumeRole", "organizations: structure reads", "organizations: typed errors"]) {
      expect(steps.find((s) => s.name === name)?.status, name).toBe("ok");
    }
    // boto3 really talked to this sandbox.
    const stats = sb.stats();
    expect(stats.byService.sts).toBeGreaterThan(0);
    expect(stats.byService.organizations).toBeGreaterThan(0);
  }, 120_000);
});
