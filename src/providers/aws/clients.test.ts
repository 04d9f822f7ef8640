import { describe, expect, it } from "vitest";
import { ClientPool, sharedCredentials } from "./clients.js";

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
