// The control API under /_sandbox/: health, stats, reset, the clock (which moves jobs), due plans, the world.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBackupVaultCommand, DescribeBackupJobCommand, DescribeBackupVaultCommand, ListBackupVaultsCommand, StartBackupJobCommand } from "@aws-sdk/client-backup";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle } from "../src/sandbox/index.js";
import { isLoopback } from "../src/sandbox/control.js";
import { clients } from "./sandbox-core-clients.js";

let sb: SandboxHandle;
const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sb.url}/_sandbox/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

beforeAll(async () => {
  // Jobs take an hour of sandbox time and the clock ticks rarely: only the control API moves them here.
  sb = await startSandbox({ jobDurationMs: 3_600_000, tickMs: 60_000, log: () => undefined });
});

afterAll(async () => {
  await sb.stop();
});

describe("control API", () => {
  it("reports health", async () => {
    expect(await control("GET", "health")).toMatchObject({ status: 200, body: { ok: true } });
  });

  it("counts requests by service, operation and account, and resets the counts", async () => {
    await control("POST", "stats/reset");
    await clients(sb.url).sts.send(new GetCallerIdentityCommand({}));
    await clients(sb.url, { accessKeyId: "AKIASANDBOX222222222" }).backup.send(new ListBackupVaultsCommand({}));
    await clients(sb.url).backup.send(new DescribeBackupVaultCommand({ BackupVaultName: "nope" })).catch(() => undefined);
    const { body } = await control("GET", "stats");
    expect(body).toMatchObject({
      total: 3,
      byService: { sts: 1, backup: 2 },
      byOperation: { "sts:GetCallerIdentity": 1, "backup:ListBackupVaults": 1, "backup:DescribeBackupVault": 1 },
      byAccount: { "111111111111": 2, "222222222222": 1 },
      byLane: { "sts|111111111111|us-east-1": 1, "backup|222222222222|us-east-1": 1, "backup|111111111111|us-east-1": 1 },
      errors: { ResourceNotFoundException: 1 },
    });
    // The serving process's CPU since the reset: some was spent on three requests, and it restarts at the reset.
    expect(body.cpuMs).toBeGreaterThanOrEqual(0);
    const burn = Date.now() + 30;
    while (Date.now() < burn);
    expect((await control("GET", "stats")).body.cpuMs).toBeGreaterThanOrEqual(20);
    const cleared = (await control("DELETE", "stats")).body;
    expect(cleared.total).toBe(0);
    expect(cleared.cpuMs).toBeLessThan(20);
  });

  it("advances the sandbox clock, which moves jobs along", async () => {
    const { backup } = clients(sb.url);
    const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: "Default", ResourceArn: "arn:aws:dynamodb:us-east-1:111111111111:table/t", IamRoleArn: "arn:aws:iam::111111111111:role/r" }));
    const before = await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    expect(before.State).not.toBe("COMPLETED");
    const clock0 = (await control("GET", "clock")).body;
    const advanced = await control("POST", "clock/advance", { ms: 7_200_000 });
    expect(advanced.status).toBe(200);
    expect(advanced.body.offsetMs).toBe(clock0.offsetMs + 7_200_000);
    const after = await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    expect(after.State).toBe("COMPLETED");
    expect(await control("POST", "clock/advance", { ms: -5 })).toMatchObject({ status: 400 });
    expect(await control("POST", "clock/advance", "not an object")).toMatchObject({ status: 400 });
  });

  it("runs due backup plans on demand", async () => {
    const res = await control("POST", "run-due-plans");
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ plansRun: 0 });
  });

  it("dumps the world and resets it to the fixture", async () => {
    await clients(sb.url).backup.send(new CreateBackupVaultCommand({ BackupVaultName: "to-be-reset" }));
    const world = (await control("GET", "world")).body;
    expect(world.org.organizationId).toBe("o-a1b2c3d4e5");
    expect(Object.keys(world.accounts["111111111111"].regions["us-east-1"].backup.vaults)).toContain("to-be-reset");
    expect((await control("POST", "reset")).status).toBe(200);
    expect(sb.world().accounts).toEqual({});
    expect(sb.world().clockOffsetMs).toBe(0);
  });

  it("answers unknown control paths with 404 and serves loopback clients only", async () => {
    expect(await control("GET", "nope")).toMatchObject({ status: 404, body: { error: "NotFound" } });
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("10.0.0.5")).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
