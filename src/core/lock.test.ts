import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { hostname } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireStackLock } from "./lock.js";
import { UserError } from "../cli/errors.js";

const dir = mkdtempSync(path.join(tmpdir(), "crossvault-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("stack lock", () => {
  it("refuses a second holder and names the first", () => {
    const lock = acquireStackLock("core", "apply", dir);
    try {
      // same process holds it: a second acquire sees a live holder
      expect(() => acquireStackLock("core", "destroy", dir)).toThrow(UserError);
      expect(() => acquireStackLock("core", "destroy", dir)).toThrow(/locked: apply by .* \(pid \d+ on .*\) since \d{4}-/);
    } finally {
      lock.release();
    }
    expect(existsSync(lock.file)).toBe(false);
    acquireStackLock("core", "apply", dir).release();
  });

  it("takes over a lock whose process is gone", () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    const file = path.join(dir, "stale.lock");
    writeFileSync(file, JSON.stringify({ pid: Number(dead), host: hostname(), user: "x", command: "apply", since: "2020-01-01T00:00:00Z" }));
    const lock = acquireStackLock("stale", "apply", dir);
    expect(JSON.parse(readFileSync(file, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("takes over a torn lock file", () => {
    writeFileSync(path.join(dir, "torn.lock"), '{"pid": 12');
    acquireStackLock("torn", "apply", dir).release();
  });
});
