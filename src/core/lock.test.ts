import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { hostname } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireStackLock, StackLocked, waitForStackLock } from "./lock.js";
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

  it("with a lock timeout, waits for the holder to finish, then takes the lock", async () => {
    const first = acquireStackLock("waited", "apply", dir);
    const waits: number[] = [];
    setTimeout(() => first.release(), 150);
    const started = Date.now();
    const second = await waitForStackLock("waited", "destroy", { timeoutMs: 5000, pollMs: 20, onWait: (h) => waits.push(h.pid) }, dir);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(waits).toEqual([process.pid]);
    expect(JSON.parse(readFileSync(second.file, "utf8")).command).toBe("destroy");
    second.release();
  });

  it("gives up when the lock timeout passes, and refuses at once without one", async () => {
    const held = acquireStackLock("busy", "apply", dir);
    try {
      const late = await waitForStackLock("busy", "apply", { timeoutMs: 200, pollMs: 20 }, dir).then(() => undefined, (e: unknown) => e);
      expect(late).toBeInstanceOf(StackLocked);
      expect((late as StackLocked).message).toMatch(/^stack "busy" is locked: apply by .*; still locked after waiting 0\.2 s$/);
      expect((late as StackLocked).holder.pid).toBe(process.pid);
      let told = false;
      const started = Date.now();
      const now = await waitForStackLock("busy", "apply", { timeoutMs: 0, onWait: () => (told = true) }, dir).then(() => undefined, (e: unknown) => e);
      expect(now).toBeInstanceOf(StackLocked);
      expect((now as StackLocked).hint).toContain("--lock-timeout 10m waits");
      expect(Date.now() - started).toBeLessThan(100);
      expect(told).toBe(false);
    } finally {
      held.release();
    }
  });

  it("says where and what to set when the lock directory cannot be made", () => {
    const blocker = path.join(dir, "a-file");
    writeFileSync(blocker, "");
    const err = (() => { try { acquireStackLock("core", "apply", path.join(blocker, "locks")); } catch (e) { return e as UserError; } })();
    expect(err).toBeInstanceOf(UserError);
    expect(err?.message).toBe(`cannot take the stack lock in ${path.join(blocker, "locks")}: a file is in the way`);
    expect(err?.hint).toContain("CROSSVAULT_LOCK_DIR");
  });

  it("takes over a torn lock file", () => {
    writeFileSync(path.join(dir, "torn.lock"), '{"pid": 12');
    acquireStackLock("torn", "apply", dir).release();
  });
});
