// Fault options happen, and reach the SDK as AWS would send them: the rate limit and random throttling as each
// service's throttling error, random failures as retryable 5xx, latency before the answer.
import { afterEach, describe, expect, it } from "vitest";
import { BackupServiceException, ListBackupVaultsCommand } from "@aws-sdk/client-backup";
import { KMSServiceException, ListKeysCommand } from "@aws-sdk/client-kms";
import { DescribeOrganizationCommand, TooManyRequestsException } from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSServiceException } from "@aws-sdk/client-sts";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle, SandboxOptions } from "../src/sandbox/index.js";
import { clients } from "./sandbox-core-clients.js";

let sb: SandboxHandle | undefined;

async function start(options: SandboxOptions): Promise<SandboxHandle> {
  sb = await startSandbox({ log: () => undefined, ...options });
  return sb;
}

afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

describe("rate limit", () => {
  it("throttles each service with its own error, per account-region", async () => {
    const s = await start({ rateLimit: 1 });
    const c = clients(s.url);
    // One token per account-region per service: the first call passes, an immediate second one does not.
    await c.backup.send(new ListBackupVaultsCommand({}));
    const backup = await failure(c.backup.send(new ListBackupVaultsCommand({})));
    expect(backup).toBeInstanceOf(BackupServiceException);
    expect((backup as Error).name).toBe("ThrottlingException");

    await c.kms.send(new ListKeysCommand({})).catch(() => undefined);
    const kms = await failure(c.kms.send(new ListKeysCommand({})));
    expect(kms).toBeInstanceOf(KMSServiceException);
    expect((kms as Error).name).toBe("ThrottlingException");

    await c.organizations.send(new DescribeOrganizationCommand({}));
    const orgs = await failure(c.organizations.send(new DescribeOrganizationCommand({})));
    expect(orgs).toBeInstanceOf(TooManyRequestsException);
    expect((orgs as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);

    await c.sts.send(new GetCallerIdentityCommand({}));
    const sts = await failure(c.sts.send(new GetCallerIdentityCommand({})));
    expect(sts).toBeInstanceOf(STSServiceException);
    expect((sts as Error).name).toBe("Throttling");

    // Another account, and another region of the same account, have their own budgets.
    await clients(s.url, { accessKeyId: "AKIASANDBOX222222222" }).backup.send(new ListBackupVaultsCommand({}));
    await clients(s.url, { region: "eu-west-1" }).backup.send(new ListBackupVaultsCommand({}));
    expect(s.stats().errors.ThrottlingException).toBeGreaterThanOrEqual(2);
  });

  it("lets the SDK's retries ride out throttling", async () => {
    const s = await start({ rateLimit: 20 });
    const c = clients(s.url, { maxAttempts: 10 });
    const all = await Promise.all(Array.from({ length: 40 }, () => c.backup.send(new ListBackupVaultsCommand({}))));
    expect(all).toHaveLength(40);
    expect(s.stats().errors.ThrottlingException ?? 0).toBeGreaterThan(0);
  });
});

describe("random faults", () => {
  it("throttle-rate 1 throttles every request", async () => {
    const s = await start({ throttleRate: 1, seed: 7 });
    const err = await failure(clients(s.url).kms.send(new ListKeysCommand({})));
    expect((err as Error).name).toBe("ThrottlingException");
  });

  it("error-rate 1 fails every request with a 5xx the SDK retries", async () => {
    const s = await start({ errorRate: 1, seed: 42 });
    const err = await failure(clients(s.url, { maxAttempts: 3 }).sts.send(new GetCallerIdentityCommand({})));
    expect(["InternalFailure", "ServiceUnavailable"]).toContain((err as Error).name);
    const meta = (err as STSServiceException).$metadata;
    expect([500, 503]).toContain(meta.httpStatusCode);
    expect(meta.attempts).toBe(3);
    expect(s.stats().byOperation["sts:GetCallerIdentity"]).toBe(3);
  });

  it("error-rate 0.5 with a seed fails some requests and not others", async () => {
    const s = await start({ errorRate: 0.5, seed: 1234 });
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => failure(clients(s.url).sts.send(new GetCallerIdentityCommand({})))));
    const failed = outcomes.filter((o) => o !== undefined).length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(30);
  });
});

describe("latency and settings", () => {
  it("holds each request for at least the configured latency", async () => {
    const s = await start({ latencyMs: 150 });
    const t0 = Date.now();
    await clients(s.url).sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it("hands the consistency delay and job duration to the services", async () => {
    let seen: unknown;
    const s = await start({
      consistencyDelayMs: 1234,
      jobDurationMs: 5678,
      services: { kms: { operations: { ListKeys: (ctx) => ((seen = ctx.settings), { Keys: [] }) } } },
    });
    await clients(s.url).kms.send(new ListKeysCommand({}));
    expect(seen).toEqual({ consistencyDelayMs: 1234, jobDurationMs: 5678 });
  });
});
