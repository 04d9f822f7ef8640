// `crossvault fmt` end to end: rewrites, --check (exit 3), --diff, refusal to format a broken file, and files it
// cannot read or write reported as user errors.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

const work = mkdtempSync(path.join(tmpdir(), "crossvault-fmt-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const messy = 'account "prod" {\nid = "222222222222"\n    profile= "prod-admin"\n}\n';
const tidy = 'account "prod" {\n  id      = "222222222222"\n  profile = "prod-admin"\n}\n';

function dirWith(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  return dir;
}

describe("crossvault fmt", () => {
  it("rewrites files into the canonical format and lists them", async () => {
    const dir = dirWith("rewrite", { "a.hcl": messy, "b.hcl": tidy });
    const r = await runCli(["fmt", dir]);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, "a.hcl"), "utf8")).toBe(tidy);
    expect(r.stdout).toMatch(/a\.hcl/);
    expect(r.stdout).not.toMatch(/b\.hcl/);
    const again = await runCli(["fmt", "--check", dir]);
    expect(again.code).toBe(0);
  });

  it("--check changes nothing and exits 3 when a file would change; --diff shows how", async () => {
    const dir = dirWith("check", { "a.hcl": messy });
    const r = await runCli(["fmt", "--check", "--diff", dir]);
    expect(r.code).toBe(3);
    expect(readFileSync(path.join(dir, "a.hcl"), "utf8")).toBe(messy);
    expect(r.stdout).toMatch(/^-id = "222222222222"$/m);
    expect(r.stdout).toMatch(/^\+  id {6}= "222222222222"$/m);
  });

  it("refuses to format a file that does not parse, with the syntax error's position", async () => {
    const broken = 'vault "v" {\n  name = \n}\n';
    const dir = dirWith("broken", { "a.hcl": broken, "b.hcl": messy });
    const r = await runCli(["fmt", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a\.hcl:2:\d+: error:/);
    expect(readFileSync(path.join(dir, "a.hcl"), "utf8")).toBe(broken);
    // the file that parses is still formatted
    expect(readFileSync(path.join(dir, "b.hcl"), "utf8")).toBe(tidy);
  });

  it("reports a file it cannot write as a user error and leaves it as it was", async () => {
    const dir = dirWith("unwritable", { "a.hcl": messy });
    // A directory where fmt writes its temporary copy: the write fails whoever runs the test (root included).
    mkdirSync(path.join(dir, "a.hcl.crossvault-fmt.tmp"));
    const r = await runCli(["fmt", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: cannot rewrite \S*a\.hcl: it is a directory/);
    expect(r.stderr).not.toMatch(/Internal error|\n\s+at /);
    expect(readFileSync(path.join(dir, "a.hcl"), "utf8")).toBe(messy);
  });

  it("leaves out a directory whose name ends in .hcl, and names an .hcl link it cannot read", async () => {
    const dir = dirWith("subdirs", { "a.hcl": tidy });
    mkdirSync(path.join(dir, "modules.hcl"));
    expect((await runCli(["fmt", "--check", dir])).code).toBe(0);
    symlinkSync(path.join(dir, "modules.hcl"), path.join(dir, "linked.hcl"));
    const r = await runCli(["fmt", "--check", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: \S*linked\.hcl: cannot read the file: it is a directory/);
    expect(r.stderr).not.toMatch(/Internal error|\n\s+at /);
  });
});
