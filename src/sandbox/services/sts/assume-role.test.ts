import { describe, expect, it } from "vitest";
import { callerForAccessKey, stsService } from "./index.js";
import { failure, invoker, MANAGEMENT, OUTSIDE, PROD, T0, VAULT } from "../organizations/test-world.js";

const roleArn = (account: string, role = "OrganizationAccountAccessRole") => `arn:aws:iam::${account}:role/${role}`;

describe("AssumeRole", () => {
  it("issues ASIA credentials that map to the member account's role", async () => {
    const inv = invoker(stsService);
    const out = await inv.call(MANAGEMENT, "AssumeRole", { RoleArn: roleArn(PROD), RoleSessionName: "plan" });
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials.Expiration).toEqual(new Date(T0 + 3600_000));
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/OrganizationAccountAccessRole/plan`);
    expect(out.AssumedRoleUser.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:plan$/);
    const issued = inv.world.identity.issued[out.Credentials.AccessKeyId];
    expect(issued).toMatchObject({ accountId: PROD, roleArn: roleArn(PROD), sessionName: "plan", secretAccessKey: out.Credentials.SecretAccessKey });
    expect(callerForAccessKey(inv.world, out.Credentials.AccessKeyId)).toEqual({
      accessKeyId: out.Credentials.AccessKeyId, accountId: PROD, arn: out.AssumedRoleUser.Arn, roleArn: roleArn(PROD),
    });
  });

  it("denies outside accounts, unknown roles and callers the role does not trust", async () => {
    const inv = invoker(stsService);
    for (const [who, arn] of [[MANAGEMENT, roleArn(OUTSIDE)], [MANAGEMENT, roleArn(PROD, "Admin")], [MANAGEMENT, roleArn(MANAGEMENT)], [VAULT, roleArn(PROD)]] as const) {
      const err = await failure(inv.call(who, "AssumeRole", { RoleArn: arn, RoleSessionName: "s1" }));
      expect(err).toEqual({ code: "AccessDenied", httpStatus: 403, fields: {}, message: `User: arn:aws:iam::${who}:root is not authorized to perform: sts:AssumeRole on resource: ${arn}` });
    }
  });

  it("denies roles of suspended accounts", async () => {
    const inv = invoker(stsService);
    inv.world.org.accounts[PROD]!.status = "SUSPENDED";
    expect(await failure(inv.call(MANAGEMENT, "AssumeRole", { RoleArn: roleArn(PROD), RoleSessionName: "s1" }))).toMatchObject({ code: "AccessDenied" });
  });

  it("validates the session name, the duration and the role ARN", async () => {
    const inv = invoker(stsService);
    const call = (input: Record<string, unknown>) => failure(inv.call(MANAGEMENT, "AssumeRole", { RoleArn: roleArn(PROD), RoleSessionName: "ok", ...input }));
    expect(await call({ RoleSessionName: "a" })).toMatchObject({ code: "ValidationError", httpStatus: 400 });
    expect(await call({ RoleSessionName: "has space" })).toMatchObject({ code: "ValidationError" });
    expect(await call({ DurationSeconds: 899 })).toMatchObject({ code: "ValidationError" });
    expect(await call({ DurationSeconds: 7200 })).toMatchObject({ code: "ValidationError", message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." });
    expect(await call({ RoleArn: "arn:aws:iam::12345:role/x" })).toMatchObject({ code: "ValidationError", message: "Request ARN is invalid" });
    expect(await call({ Policy: "{nope" })).toMatchObject({ code: "MalformedPolicyDocumentException" });
    const ok = await inv.call(MANAGEMENT, "AssumeRole", { RoleArn: roleArn(PROD), RoleSessionName: "s9", DurationSeconds: 900 });
    expect(ok.Credentials.Expiration).toEqual(new Date(T0 + 900_000));
  });

  it("limits role chaining to one hour and refuses expired credentials", async () => {
    const inv = invoker(stsService);
    const first = await inv.call(MANAGEMENT, "AssumeRole", { RoleArn: roleArn(PROD), RoleSessionName: "one" });
    const chained = callerForAccessKey(inv.world, first.Credentials.AccessKeyId);
    const back = await inv.call(chained, "AssumeRole", { RoleArn: roleArn(PROD), RoleSessionName: "two" });
    expect(back.AssumedRoleUser.Arn).toContain("/two");
    inv.now = T0 + 3600_000;
    expect(await failure(inv.call(chained, "GetCallerIdentity"))).toMatchObject({ code: "ExpiredTokenException" });
  });
});

describe("GetCallerIdentity", () => {
  it("tells the truth for root keys and assumed roles", async () => {
    const inv = invoker(stsService);
    expect(await inv.call(VAULT, "GetCallerIdentity")).toEqual({ UserId: VAULT, Account: VAULT, Arn: `arn:aws:iam::${VAULT}:root` });
    const out = await inv.call(MANAGEMENT, "AssumeRole", { RoleArn: roleArn(PROD), RoleSessionName: "plan" });
    const who = await inv.call(callerForAccessKey(inv.world, out.Credentials.AccessKeyId), "GetCallerIdentity");
    expect(who).toEqual({ UserId: out.AssumedRoleUser.AssumedRoleId, Account: PROD, Arn: out.AssumedRoleUser.Arn });
  });
});
