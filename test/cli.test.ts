// The CLI as a user meets it: start-up cost, help, version, unknown input, exit codes, error reporting.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { savePlan } from "../src/core/planfile.js";
import { createOnlyPlan } from "../src/views/plan-examples.js";
import { cliPath, repoRoot, runCli } from "./cli.js";

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), "crossvault-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function loadedModules(args: string[]): Promise<string[]> {
  const out = path.join(work, `trace-${args.join("_")}.txt`);
  writeFileSync(out, "");
  await run(process.execPath, ["--import", path.join(repoRoot, "test/fixtures/trace-imports.mjs"), cliPath, ...args], {
    env: { ...process.env, CROSSVAULT_TRACE_IMPORTS: out },
  });
  return readFileSync(out, "utf8").split("\n").filter(Boolean);
}

describe("crossvault CLI", () => {
  it.each([["--version"], ["--help"]])("%s loads no parser, UI or SDK code", async (flag) => {
    const modules = await loadedModules([flag]);
    expect(modules.some((m) => m.includes("/dist/cli/main.js"))).toBe(true);
    const heavy = modules.filter((m) => /@cdktf|@aws-sdk|@smithy|\/ink\/|\/react\/|hcl2json|hcl-tools/.test(m));
    expect(heavy).toEqual([]);
  });

  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("rejects an unknown command with exit 1 and no stack trace", async () => {
    const r = await runCli(["plan-everything"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown command 'plan-everything'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a missing configuration directory as a user error", async () => {
    const r = await runCli(["validate", path.join(work, "does-not-exist")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no such file or directory/);
    expect(r.stderr).toMatch(/Pass a directory of \.hcl files/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports an empty directory as a user error", async () => {
    const dir = path.join(work, "empty");
    mkdirSync(dir, { recursive: true });
    const r = await runCli(["validate", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no \.hcl files/);
  });

  it("says to start the endpoint, not to fix credentials, when AWS_ENDPOINT_URL does not answer", async () => {
    const none = path.join(work, "no-aws-config");
    const r = await runCli(["plan", path.join(repoRoot, "examples", "basic")], {
      env: {
        // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
        AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_ACCESS_KEY_ID: "AKIASANDBOX111111111", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1",
        AWS_PROFILE: undefined, AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, CROSSVAULT_LOCK_DIR: path.join(work, "locks"),
      },
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error: cannot read the organization from the management account 111111111111");
    expect(r.stderr).toContain("ECONNREFUSED");
    expect(r.stderr).toContain("Nothing answered at http://127.0.0.1:1 (AWS_ENDPOINT_URL): start that endpoint");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it.each([["apply", "--parallelism", "0"], ["destroy", "--lock-timeout", "soon"]])("refuses %s %s %s before reading anything", async (command, flag, value) => {
    const r = await runCli([command, path.join(repoRoot, "examples", "basic"), "--auto-approve", flag, value], {
      env: { AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_ACCESS_KEY_ID: "AKIASANDBOX111111111", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1", CROSSVAULT_LOCK_DIR: path.join(work, "locks") },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error: ${flag} ${value}: expected`);
    expect(r.stderr).not.toContain("cannot read the organization");
  });

  it("says where a saved plan's configuration was when it is not there (a plan made in another checkout)", async () => {
    const file = path.join(work, "elsewhere.plan.json");
    const plan = { ...createOnlyPlan(), config: { path: path.join(work, "another-checkout", "infra"), hash: "h" } };
    await savePlan(file, plan);
    const r = await runCli(["apply", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error: ${file} was made from the configuration in ${path.join(work, "another-checkout", "infra")}, which is not here`);
    expect(r.stderr).toContain("Apply the plan from a checkout at that same path");
  });

  it("names the saved plan as a choice when apply is given a path that does not exist", async () => {
    const r = await runCli(["apply", path.join(work, "typo.plan.json")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("typo.plan.json: no such file or directory");
    expect(r.stderr).toContain("or a plan saved with `crossvault plan --out FILE`");
  });
});
