// End to end: the STS API of the sandbox through the real AWS SDK client over HTTP (awsQuery, XML).
import { AssumeRoleCommand, GetCallerIdentityCommand, MalformedPolicyDocumentException, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../src/sandbox/index.js";

const MANAGEMENT = "111111111111";
const PROD = "222222222222";
const role = (account: string, name = "OrganizationAccountAccessRole") => `arn:aws:iam::${account}:role/${name}`;

let sandbox: SandboxHandle;
const clients: STSClient[] = [];

function client(accessKeyId: string, secretAccessKey = "sandbox", sessionToken?: string): STSClient {
  const c = new STSClient({ endpoint: sandbox.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId, secretAccessKey, sessionToken } });
  clients.push(c);
  return c;
}

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox?.stop();
});

describe("STS over HTTP", () => {
  it("GetCallerIdentity tells the truth for long-term keys", async () => {
    expect(await client("AKIAIOSFODNN7EXAMPLE").send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: MANAGEMENT, Arn: `arn:aws:iam::${MANAGEMENT}:root`, UserId: MANAGEMENT });
    expect(await client("AKIASANDBOX222222222").send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: PROD, Arn: `arn:aws:iam::${PROD}:root` });
  });

  it("AssumeRole into a member account returns ASIA credentials that act as that role", async () => {
    const out = await client("AKIAIOSFODNN7EXAMPLE").send(new AssumeRoleCommand({ RoleArn: role(PROD), RoleSessionName: "crossvault-plan", DurationSeconds: 900 }));
    const creds = out.Credentials!;
    expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.Expiration).toBeInstanceOf(Date);
    expect(creds.Expiration!.getTime() - Date.now()).toBeGreaterThan(850_000);
    expect(out.AssumedRoleUser).toMatchObject({ Arn: `arn:aws:sts::${PROD}:assumed-role/OrganizationAccountAccessRole/crossvault-plan` });
    expect(out.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:crossvault-plan$/);
    expect(sandbox.world().identity.issued[creds.AccessKeyId!]).toMatchObject({ accountId: PROD, roleArn: role(PROD), sessionName: "crossvault-plan" });
    const who = await client(creds.AccessKeyId!, creds.SecretAccessKey, creds.SessionToken).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: PROD, Arn: out.AssumedRoleUser!.Arn, UserId: out.AssumedRoleUser!.AssumedRoleId });
  });

  it("answers AccessDenied for outside accounts and unknown roles, with AWS's message", async () => {
    const management = client("AKIAIOSFODNN7EXAMPLE");
    for (const arn of [role("999999999999"), role(PROD, "NoSuchRole"), role(MANAGEMENT)]) {
      const err = await caught(management.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "s1" })));
      expect(err).toBeInstanceOf(STSServiceException);
      expect(err.name).toBe("AccessDenied");
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toBe(`User: arn:aws:iam::${MANAGEMENT}:root is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
    }
  });

  it("validates the session name, the duration and session policies", async () => {
    const management = client("AKIAIOSFODNN7EXAMPLE");
    const tooShort = await caught(management.send(new AssumeRoleCommand({ RoleArn: role(PROD), RoleSessionName: "x" })));
    expect(tooShort.name).toBe("ValidationError");
    expect(tooShort.$metadata.httpStatusCode).toBe(400);
    const tooLong = await caught(management.send(new AssumeRoleCommand({ RoleArn: role(PROD), RoleSessionName: "ok", DurationSeconds: 43200 })));
    expect(tooLong.name).toBe("ValidationError");
    expect(tooLong.message).toBe("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    const policy = await caught(management.send(new AssumeRoleCommand({ RoleArn: role(PROD), RoleSessionName: "ok", Policy: "{not json" })));
    expect(policy).toBeInstanceOf(MalformedPolicyDocumentException);
  });

  it("refuses expired session credentials as AWS does", async () => {
    const out = await client("AKIAIOSFODNN7EXAMPLE").send(new AssumeRoleCommand({ RoleArn: role(PROD), RoleSessionName: "short", DurationSeconds: 900 }));
    await sandbox.advanceClock(901_000);
    const err = await caught(client(out.Credentials!.AccessKeyId!, out.Credentials!.SecretAccessKey, out.Credentials!.SessionToken).send(new GetCallerIdentityCommand({})));
    // AWS answers an expired session on any action with the unmodelled code ExpiredToken.
    expect(err).toBeInstanceOf(STSServiceException);
    expect(err.name).toBe("ExpiredToken");
    expect(err.message).toContain("expired");
  });
});
