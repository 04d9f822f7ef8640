// End to end, the real CLI against the sandbox: `plan --markdown` prints the pull-request comment;
// `show` renders a saved plan without reading AWS (--json gives back exactly the saved plan value,
// --markdown the same comment plan printed); `graph` draws the dependency graph from the configuration alone;
// output written to a file carries no escape sequence, and NO_COLOR=1 on a terminal carries no colour.
import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, repoRoot, runCli } from "./cli.js";
import { startEngineWorld, type EngineWorld } from "./engine-cli-support.js";

const EXAMPLE = path.join(repoRoot, "examples", "basic");
const ESC = "\x1b";
/** SGR sequences that set a colour (foreground, background, 256 or true colour); bold and reset are not colour. */
const COLOUR = /\x1b\[(?:\d+;)*(?:3[0-79]|4[0-79]|9[0-7]|10[0-7]|38;|48;)[\d;]*m/;

let w: EngineWorld;
beforeAll(async () => {
  w = await startEngineWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

/** The environment of a person's shell: colour allowed, not CI. */
function shellEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...w.env, TERM: "xterm-256color", ...extra };
  for (const k of ["NO_COLOR", "FORCE_COLOR", "CI", "CONTINUOUS_INTEGRATION"]) if (!(k in extra)) delete env[k];
  return env;
}

/** Runs the CLI with stdout and stderr written to files (not pipes), as `crossvault ... > out 2> err` does. */
function runToFiles(args: string[], name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const out = path.join(w.dir, `${name}.out`);
  const err = path.join(w.dir, `${name}.err`);
  const fdOut = openSync(out, "w");
  const fdErr = openSync(err, "w");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: w.dir, env: shellEnv() as NodeJS.ProcessEnv, stdio: ["ignore", fdOut, fdErr] });
    child.on("error", reject);
    child.on("close", (code) => {
      closeSync(fdOut);
      closeSync(fdErr);
      resolve({ code, stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8") });
    });
  });
}

/** Runs the CLI on a pseudo-terminal (util-linux `script`), so stdout and stdin are terminals. */
function runOnTerminal(args: string[], extra: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: w.dir, env: { ...shellEnv(extra), COLUMNS: "120", LINES: "40" } as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("plan --markdown and show", () => {
  let markdown: string;
  const planFile = "review.plan.json";

  beforeAll(async () => {
    const r = await w.cli(["plan", EXAMPLE, "--markdown", "--out", planFile]);
    expect(r.stderr).not.toMatch(/Error|Internal/);
    expect(r.code).toBe(0);
    markdown = r.stdout;
  }, 120_000);

  it("prints the pull-request comment on stdout, progress on stderr", async () => {
    expect(markdown.split("\n")[0]).toBe("<!-- crossvault:plan stack=demo -->");
    expect(markdown).toContain("### crossvault plan for stack `demo`");
    expect(markdown).toMatch(/<details><summary><b>Plan: 6 to add, 2 to change, 0 to destroy\.<\/b> 1 change broadens access<\/summary>/);
    expect(markdown).toContain("> **1 change broadens access:** `vault_policy.central` (vault access policy)");
    expect(markdown).toContain("```mermaid\nflowchart LR");
    expect(markdown).toContain("```sh\ncrossvault apply review.plan.json\n```");
    expect(markdown.trimEnd().endsWith("</details>")).toBe(true);
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(markdown).not.toContain(ESC);
    expect(existsSync(path.join(w.dir, planFile))).toBe(true);
  });

  it("show --json gives back the saved plan value unchanged", async () => {
    const r = await w.cli(["show", planFile, "--json"]);
    expect(r.code).toBe(0);
    const saved = readFileSync(path.join(w.dir, planFile), "utf8");
    expect(r.stdout).toBe(saved);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(saved));
  });

  it("show --markdown prints the comment plan printed; show prints the plan as text, with no AWS to reach", async () => {
    const offline = { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    const md = await w.cli(["show", planFile, "--markdown"], { env: offline });
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(markdown);
    const text = await w.cli(["show", planFile], { env: offline });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("+ vault_policy.central {");
    expect(text.stdout).toContain("vault access policy statements: broadens access");
    expect(text.stdout).toContain("Plan: 6 to add, 2 to change, 0 to destroy. 1 change broadens access.");
    expect(text.stdout).toContain(`To carry out exactly these actions, run:\n  crossvault apply ${planFile}`);
  });

  it("show refuses what is not a saved plan, naming the file and what to do", async () => {
    const missing = await w.cli(["show", "nothing.json"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("Error: plan file nothing.json does not exist\n  Save a plan first with `crossvault plan --out nothing.json`.\n");
    writeFileSync(path.join(w.dir, "broken.json"), '{"format_version": "1.0"');
    const broken = await w.cli(["show", "broken.json"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^Error: broken\.json is corrupt: it is not valid JSON/);
    const both = await w.cli(["show", planFile, "--json", "--markdown"]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^Error: --json and --markdown cannot be used together/);
    expect(`${missing.stderr}${broken.stderr}${both.stderr}`).not.toMatch(/\n\s+at /);
  });
});

describe("graph", () => {
  it("prints the dependency graph as dot from the configuration alone", async () => {
    const r = await runCli(["graph", EXAMPLE], { env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: undefined } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("digraph crossvault {\n")).toBe(true);
    expect(r.stdout).toContain('subgraph "cluster_333333333333" {');
    expect(r.stdout).toContain('"kms_key.central" -> "vault.central";');
    expect(r.stdout).toContain('"vault.central" -> "backup_plan.daily";');
    expect(r.stdout).toContain('"backup_plan.daily" -> "backup_selection.daily.tagged";');
  });

  it("prints it as mermaid, and refuses an unknown format or a broken configuration", async () => {
    const r = await runCli(["graph", EXAMPLE, "--format", "mermaid"]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("flowchart LR\n")).toBe(true);
    expect(r.stdout).toMatch(/r\d+\["kms_key\.central<br\/>eu-west-1"\]/);
    const bad = await runCli(["graph", EXAMPLE, "--format", "svg"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("Error: --format svg: expected dot or mermaid\n  For example `crossvault graph --format mermaid`.\n");
    const invalid = await runCli(["graph", path.join(repoRoot, "examples", "invalid", "unknown-block")]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe("");
    expect(invalid.stderr).toMatch(/\.hcl:\d+:\d+: error: /);
  });

  it("--help of show and graph loads no parser, UI or SDK code", async () => {
    for (const command of ["show", "graph"]) {
      const out = path.join(w.dir, `trace-${command}.txt`);
      writeFileSync(out, "");
      await promisify(execFile)(process.execPath, ["--import", path.join(repoRoot, "test/fixtures/trace-imports.mjs"), cliPath, command, "--help"], { env: { ...process.env, CROSSVAULT_TRACE_IMPORTS: out } });
      const modules = readFileSync(out, "utf8").split("\n").filter(Boolean);
      expect(modules.some((m) => m.includes("/dist/cli/main.js"))).toBe(true);
      expect(modules.filter((m) => /@cdktf|@aws-sdk|@smithy|\/ink\/|\/react\/|hcl2json|hcl-tools|\/views\//.test(m))).toEqual([]);
    }
  });
});

describe("no escape sequences where they do not belong", () => {
  it("writes no escape sequence to a file, even with a colour terminal type and colour allowed", async () => {
    const plan = await runToFiles(["plan", EXAMPLE, "--out", "file.plan.json"], "plan");
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("Plan: 6 to add, 2 to change, 0 to destroy.");
    expect(plan.stderr).toContain("Reading the live state");
    expect(plan.stdout).not.toContain(ESC);
    expect(plan.stderr).not.toContain(ESC);
    const show = await runToFiles(["show", "file.plan.json"], "show");
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("vault access policy statements: broadens access");
    expect(show.stdout + show.stderr).not.toContain(ESC);
  }, 120_000);

  it("uses no colour on a terminal with NO_COLOR=1 (and does without it)", async () => {
    await w.cli(["plan", EXAMPLE, "--out", "tty.plan.json"]);
    const coloured = await runOnTerminal(["show", "tty.plan.json"], {});
    expect(coloured.code).toBe(0);
    expect(coloured.output).toContain("Plan: 6 to add");
    expect(coloured.output).toMatch(COLOUR);
    const plain = await runOnTerminal(["show", "tty.plan.json"], { NO_COLOR: "1" });
    expect(plain.code).toBe(0);
    expect(plain.output).toContain("Plan: 6 to add");
    expect(plain.output).not.toMatch(COLOUR);
    const planned = await runOnTerminal(["plan", EXAMPLE], { NO_COLOR: "1" });
    expect(planned.code).toBe(0);
    expect(planned.output).toContain("6 to add");
    expect(planned.output).not.toMatch(COLOUR);
  }, 120_000);
});
