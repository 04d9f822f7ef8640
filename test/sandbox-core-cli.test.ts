// `crossvault sandbox` refuses bad options and fixtures with errors that name the place and say what to do.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "crossvault-sandbox-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("crossvault sandbox", () => {
  it("names the fixture field that is wrong", async () => {
    const org = join(dir, "org.json");
    writeFileSync(org, JSON.stringify({ organization_id: "o-a1b2c3d4e5", management_account: "111111111111", root_id: "r-a1b2", accounts: [{ id: "111111111111", name: "m", parent: "r-nope" }] }));
    const r = await runCli(["sandbox", "--port", "0", "--org", org]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error: ${org}: accounts[0].parent: "r-nope" is neither the root (r-a1b2) nor an OU of this fixture`);
    expect(r.stderr).toContain("docs/sandbox.md");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports an unreadable fixture and bad JSON with its position", async () => {
    const missing = await runCli(["sandbox", "--port", "0", "--org", join(dir, "missing.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\.json: \(file\): cannot be read/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{\n  "organization_id": }');
    const syntax = await runCli(["sandbox", "--port", "0", "--org", bad]);
    expect(syntax.stderr).toContain(`${bad}:2:22: (syntax): invalid JSON`);
  });

  it("refuses a non-loopback host unless explicitly allowed", async () => {
    const r = await runCli(["sandbox", "--host", "0.0.0.0", "--port", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--allow-non-loopback");
  });

  it("rejects malformed numbers naming the flag", async () => {
    for (const [flag, value] of [["--port", "http"], ["--error-rate", "2"], ["--rate-limit", "-1"]]) {
      const r = await runCli(["sandbox", flag!, value!]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Error: ${flag}: "${value}"`);
    }
  });
});
