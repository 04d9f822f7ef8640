// The --state file: a restart sees the same world; every acknowledged change survives a SIGKILL at any
// moment; the file is never torn; a clean SIGTERM flushes and exits 0.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CreateBackupVaultCommand, DescribeBackupVaultCommand } from "@aws-sdk/client-backup";
import { startSandbox, StateFileError } from "../src/sandbox/index.js";
import { cliPath } from "./cli.js";
import { clients } from "./sandbox-core-clients.js";

const dir = mkdtempSync(join(tmpdir(), "crossvault-sandbox-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

function spawnSandbox(statePath: string): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, "sandbox", "--port", "0", "--state", statePath], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    let err = "";
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /export AWS_ENDPOINT_URL=(\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, stdout: () => out, exited });
    });
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`sandbox exited (${code}) before listening: ${err}`)));
  });
}

function vaultsIn(statePath: string): string[] {
  const world = JSON.parse(readFileSync(statePath, "utf8"));
  expect(world.formatVersion).toBe(1);
  return Object.keys(world.accounts?.["111111111111"]?.regions?.["us-east-1"]?.backup?.vaults ?? {});
}

describe("in process", () => {
  it("a restart sees the world the previous run left", async () => {
    const statePath = join(dir, "inproc.json");
    const first = await startSandbox({ statePath, log: () => undefined });
    await clients(first.url).backup.send(new CreateBackupVaultCommand({ BackupVaultName: "kept-vault" }));
    await first.advanceClock(60_000);
    await first.stop();

    const second = await startSandbox({ statePath, log: () => undefined });
    const out = await clients(second.url).backup.send(new DescribeBackupVaultCommand({ BackupVaultName: "kept-vault" }));
    expect(out.BackupVaultName).toBe("kept-vault");
    expect(second.world().clockOffsetMs).toBe(60_000);
    await second.reset();
    await second.stop();
    expect(vaultsIn(statePath)).not.toContain("kept-vault");
  });

  it("refuses a state file of another format version, naming the file", async () => {
    const statePath = join(dir, "future.json");
    writeFileSync(statePath, JSON.stringify({ formatVersion: 99 }));
    await expect(startSandbox({ statePath })).rejects.toBeInstanceOf(StateFileError);
    await expect(startSandbox({ statePath })).rejects.toThrow(/future\.json: has state format version 99/);
  });
});

describe("as a separate process", () => {
  it("keeps every acknowledged write through repeated SIGKILLs, and the file always parses", async () => {
    const statePath = join(dir, "killed.json");
    const acknowledged: string[] = [];
    for (let round = 0; round < 5; round++) {
      const sb = await spawnSandbox(statePath);
      // The previous round's acknowledged vaults are all there after the restart.
      for (const name of acknowledged) expect(vaultsIn(statePath)).toContain(name);
      const { backup } = clients(sb.url, { maxAttempts: 1 });
      let stop = false;
      const writers = Array.from({ length: 6 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          const name = `r${round}-w${w}-${i}`;
          try {
            await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
            acknowledged.push(name);
          } catch {
            return; // the process is gone
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + round * 60));
      sb.child.kill("SIGKILL");
      stop = true;
      await Promise.all(writers);
      await sb.exited;
      const names = vaultsIn(statePath);
      for (const name of acknowledged) expect(names).toContain(name);
    }
    expect(acknowledged.length).toBeGreaterThan(10);
    // Only the state file is left once a sandbox has started and cleaned up after its killed predecessor.
    const last = await spawnSandbox(statePath);
    expect(readdirSync(dir).filter((f) => f.startsWith(".killed.json.") && f.endsWith(".tmp"))).toEqual([]);
    last.child.kill("SIGKILL");
    await last.exited;
  }, 60_000);

  it("shuts down cleanly on SIGTERM with its state flushed", async () => {
    const statePath = join(dir, "term.json");
    const sb = await spawnSandbox(statePath);
    await clients(sb.url).backup.send(new CreateBackupVaultCommand({ BackupVaultName: "before-term" }));
    sb.child.kill("SIGTERM");
    expect(await sb.exited).toBe(0);
    expect(sb.stdout()).toContain("# sandbox stopped");
    expect(vaultsIn(statePath)).toContain("before-term");
  });
});
