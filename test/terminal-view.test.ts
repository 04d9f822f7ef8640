// Off a terminal (stdout to a pipe, stdin not a terminal), plan and apply use the plain views: the Ink view's
// modules (ink, react) are never loaded and no cursor-moving escape code is written, whatever the colour.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, repoRoot } from "./cli.js";
import { startEngineWorld, type EngineWorld } from "./engine-cli-support.js";

const run = promisify(execFile);
const example = path.join(repoRoot, "examples/basic");
/** CSI sequences other than colours (SGR, `m`): cursor moves, erases, hide/show cursor. */
const CURSOR_CODES = /\x1b\[[0-9;?]*[A-HJKSTfhlsu]/;

let world: EngineWorld;
beforeAll(async () => {
  world = await startEngineWorld();
});
afterAll(async () => {
  await world.stop();
});

async function traced(args: string[], env: Record<string, string | undefined>): Promise<{ modules: string[]; stdout: string; stderr: string }> {
  const out = path.join(world.dir, `trace-${args.join("_").replace(/\W+/g, "_")}.txt`);
  writeFileSync(out, "");
  const r = await run(process.execPath, ["--import", path.join(repoRoot, "test/fixtures/trace-imports.mjs"), cliPath, ...args], {
    cwd: world.dir,
    env: { ...process.env, ...world.env, ...env, CROSSVAULT_TRACE_IMPORTS: out },
  }).catch((e: { stdout: string; stderr: string }) => e);
  return { modules: readFileSync(out, "utf8").split("\n").filter(Boolean), stdout: r.stdout, stderr: r.stderr };
}

describe("off a terminal", () => {
  it("plan loads no UI code and writes no cursor codes", async () => {
    const r = await traced(["plan", example], { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined });
    expect(r.stdout).toContain("Plan: 6 to add, 2 to change, 0 to destroy.");
    expect(r.modules.filter((m) => /\/ink\/|\/react\/|ink-spinner/.test(m))).toEqual([]);
    expect(r.stdout).not.toMatch(CURSOR_CODES);
    expect(r.stderr).not.toMatch(CURSOR_CODES);
  });

  it("apply --auto-approve loads no UI code and writes no cursor codes", async () => {
    const r = await traced(["apply", example, "--auto-approve"], { NO_COLOR: "1" });
    expect(r.stdout).toContain("Apply complete!");
    expect(r.modules.filter((m) => /\/ink\/|\/react\/|ink-spinner/.test(m))).toEqual([]);
    expect(`${r.stdout}${r.stderr}`).not.toContain("\x1b");
  });
});
