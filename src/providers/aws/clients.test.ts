import { ListBackupVaultsCommand } from "@aws-sdk/client-backup";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountScope, ClientPool, sharedCredentials } from "./clients.js";

type Provider = Parameters<typeof sharedCredentials>[0];

function counting(result: (n: number) => Promise<Awaited<ReturnType<Provider>>>): { provider: Provider; calls: () => number } {
  let n = 0;
  return { provider: (() => result(++n)) as Provider, calls: () => n };
}

describe("sharedCredentials", () => {
  it("fetches once for concurrent and later callers while the credentials are fresh", async () => {
    let now = 0;
    const src = counting(async (n) => ({ accessKeyId: `ASIA${n}`, secretAccessKey: "s", expiration: new Date(3_600_000) }));
    const shared = sharedCredentials(src.provider, () => now);
    const [a, b] = await Promise.all([shared({}), shared({})]);
    expect(a.accessKeyId).toBe("ASIA1");
    expect(b.accessKeyId).toBe("ASIA1");
    now = 3_000_000;
    expect((await shared({})).accessKeyId).toBe("ASIA1");
    // Within five minutes of expiry: a new fetch.
    now = 3_400_000;
    expect((await shared({})).accessKeyId).toBe("ASIA2");
    expect(src.calls()).toBe(2);
  });

  it("does not keep a failure: a role that becomes assumable is tried again", async () => {
    const src = counting(async (n) => {
      if (n === 1) throw Object.assign(new Error("not authorized"), { name: "AccessDenied" });
      return { accessKeyId: "ASIAOK", secretAccessKey: "s" };
    });
    const shared = sharedCredentials(src.provider);
    await expect(shared({})).rejects.toThrow("not authorized");
    expect((await shared({})).accessKeyId).toBe("ASIAOK");
  });
});

describe("ClientPool", () => {
  const settings = { managementAccountId: "111111111111", assumeRoleName: "OrganizationAccountAccessRole", homeRegion: "us-east-1", maxAttempts: 3, retryMode: "standard" as const, sessionName: "t" };

  it("says how each account is reached", () => {
    const pool = new ClientPool(settings, [{ accountId: "222222222222", roleArn: "arn:aws:iam::222222222222:role/Custom" }, { accountId: "333333333333", profile: "vault" }]);
    expect(pool.describeAccess("111111111111")).toBe("the default credential chain");
    expect(pool.describeAccess("222222222222")).toBe("role arn:aws:iam::222222222222:role/Custom");
    expect(pool.describeAccess("333333333333")).toBe("profile vault");
    expect(pool.describeAccess("444444444444")).toBe("role arn:aws:iam::444444444444:role/OrganizationAccountAccessRole");
  });

  it("caches one client per account, region and service", () => {
    const pool = new ClientPool(settings, []);
    expect(pool.backup("222222222222", "eu-west-1")).toBe(pool.backup("222222222222", "eu-west-1"));
    expect(pool.backup("222222222222", "eu-west-1")).not.toBe(pool.backup("222222222222", "us-east-1"));
    expect(pool.kms("222222222222", "eu-west-1")).not.toBe(pool.kms("333333333333", "eu-west-1"));
    pool.destroy();
  });
});

describe("one SDK client per service and region, signed per account", () => {
  // A loopback endpoint that answers every Backup call with an empty list and records who signed it.
  const seen: Array<{ accessKeyId: string; region: string }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization));
    seen.push({ accessKeyId: m?.[1] ?? "", region: m?.[2] ?? "" });
    req.resume().on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ BackupVaultList: [] }));
    });
  });
  const saved = { ...process.env };
  let dir = "";

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    dir = mkdtempSync(path.join(tmpdir(), "crossvault-clients-"));
    const credentials = path.join(dir, "credentials");
    writeFileSync(credentials, ["[a]", "aws_access_key_id = AKIAACCOUNTA", "aws_secret_access_key = a", "[b]", "aws_access_key_id = AKIAACCOUNTB", "aws_secret_access_key = b", ""].join("\n"));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: path.join(dir, "none"),
      AWS_ACCESS_KEY_ID: "AKIAMANAGEMENT", AWS_SECRET_ACCESS_KEY: "m",
    });
    delete process.env.AWS_PROFILE;
  });

  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("signs concurrent calls of different accounts each with its own credentials", async () => {
    const pool = new ClientPool({ managementAccountId: "111111111111", assumeRoleName: "R", homeRegion: "us-east-1", maxAttempts: 1, retryMode: "standard", sessionName: "t" }, [
      { accountId: "222222222222", profile: "a" },
      { accountId: "333333333333", profile: "b" },
    ]);
    const expected = ["AKIAMANAGEMENT", "AKIAACCOUNTA", "AKIAACCOUNTB"];
    const accounts = ["111111111111", "222222222222", "333333333333"];
    const regions = ["eu-west-1", "us-east-1"];
    seen.length = 0;
    // Interleaved: 60 calls in flight at once over 3 accounts x 2 regions.
    const calls = Array.from({ length: 60 }, (_, i) => ({ account: i % 3, region: regions[Math.floor(i / 3) % 2]! }));
    await Promise.all(calls.map((c) => pool.backup(accounts[c.account]!, c.region).send(new ListBackupVaultsCommand({}))));
    // The account's view per account x region is cached; the SDK client under it is one per region.
    expect(pool.backup("222222222222", "eu-west-1")).toBe(pool.backup("222222222222", "eu-west-1"));
    expect(Object.getPrototypeOf(pool.backup("222222222222", "eu-west-1"))).toBe(Object.getPrototypeOf(pool.backup("333333333333", "eu-west-1")));
    pool.destroy();
    const tally = (key: string, region: string): number => seen.filter((s) => s.accessKeyId === key && s.region === region).length;
    for (const [i, key] of expected.entries()) for (const region of regions) expect(tally(key, region)).toBe(calls.filter((c) => c.account === i && c.region === region).length);
    expect(seen).toHaveLength(60);
  });

  it("refuses a call made outside an account's scope", async () => {
    await expect(new AccountScope().credentials({})).rejects.toThrow("outside an account's scope");
  });
});
