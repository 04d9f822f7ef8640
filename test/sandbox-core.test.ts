// The sandbox's protocol layer, end to end through the real AWS SDK v3 clients: routing, decoding, output
// encoding, and errors arriving as the SDK's typed exceptions for each of the three protocols.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlreadyExistsException,
  BackupServiceException,
  CreateBackupPlanCommand,
  type CreateBackupPlanCommandInput,
  CreateBackupVaultCommand,
  CreateFrameworkCommand,
  DescribeBackupVaultCommand,
  InvalidParameterValueException,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  MissingParameterValueException,
  ResourceNotFoundException,
} from "@aws-sdk/client-backup";
import { DescribeKeyCommand, KMSServiceException, ListAliasesCommand, NotFoundException } from "@aws-sdk/client-kms";
import { AccessDeniedException, DescribeOrganizationCommand, InvalidInputException, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, MalformedPolicyDocumentException, STSServiceException } from "@aws-sdk/client-sts";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle } from "../src/sandbox/index.js";
import { ServiceError } from "../src/sandbox/service.js";
import { authorization, clients, form, json11, raw } from "./sandbox-core-clients.js";

let sb: SandboxHandle;
let seen: Record<string, unknown> = {};

beforeAll(async () => {
  sb = await startSandbox({
    log: () => undefined,
    services: {
      // Operations that echo what the protocol layer decoded, so the tests see it through the SDK.
      backup: {
        operations: {
          ListTags: (_ctx, input) => ({ Tags: { arn: input.ResourceArn } }),
          ListRecoveryPointsByBackupVault: (_ctx, input) => {
            seen = input;
            return { RecoveryPoints: [{ RecoveryPointArn: `vault:${input.BackupVaultName}`, CreationDate: input.ByCreatedBefore, BackupSizeInBytes: input.MaxResults }] };
          },
        },
      },
      kms: {
        operations: {
          DescribeKey: (_ctx, input) => {
            throw new ServiceError("NotFoundException", `Key '${input.KeyId}' does not exist`);
          },
        },
      },
      sts: {
        operations: {
          AssumeRole: (_ctx, input) => {
            if (input.Policy === "{") throw new ServiceError("MalformedPolicyDocumentException", "The policy is not in the valid JSON format.");
            seen = input;
            return { AssumedRoleUser: { AssumedRoleId: "AROAEXAMPLE:s", Arn: "arn:aws:sts::111111111111:assumed-role/R/s" }, PackedPolicySize: 7 };
          },
        },
      },
    },
  });
});

afterAll(async () => {
  await sb.stop();
});

describe("restJson1 (Backup)", () => {
  it("answers with epoch-second timestamps the SDK turns into Dates", async () => {
    const out = await clients(sb.url).backup.send(new ListBackupVaultsCommand({}));
    const def = out.BackupVaultList?.find((v) => v.BackupVaultName === "Default");
    expect(def?.BackupVaultArn).toBe("arn:aws:backup:us-east-1:111111111111:backup-vault:Default");
    expect(def?.CreationDate).toBeInstanceOf(Date);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("decodes a percent-encoded ARN label whole (split first, then decode)", async () => {
    const arn = "arn:aws:backup:us-east-1:111111111111:backup-vault:a/b c";
    const out = await clients(sb.url).backup.send(new ListTagsCommand({ ResourceArn: arn }));
    expect(out.Tags).toEqual({ arn });
  });

  it("decodes query members (ISO timestamps, integers) and labels, and encodes timestamps back", async () => {
    const when = new Date("2025-01-31T12:34:56Z");
    const out = await clients(sb.url).backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "vault-1", ByCreatedBefore: when, MaxResults: 7 }));
    expect(seen.ByCreatedBefore).toBeInstanceOf(Date);
    expect((seen.ByCreatedBefore as Date).toISOString()).toBe(when.toISOString());
    expect(out.RecoveryPoints?.[0]).toMatchObject({ RecoveryPointArn: "vault:vault-1", CreationDate: when, BackupSizeInBytes: 7 });
  });

  it("raises the modelled exception classes", async () => {
    const { backup } = clients(sb.url);
    await expect(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: "does-not-exist" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "core-typed", CreatorRequestId: "a" }));
    const dup = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "core-typed", CreatorRequestId: "b" })).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(AlreadyExistsException);
    expect((dup as AlreadyExistsException).$metadata.httpStatusCode).toBe(400);
  });

  it("validates input against the model with Backup's parameter errors", async () => {
    const { backup } = clients(sb.url);
    const bad = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "has space" })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidParameterValueException);
    expect((bad as Error).message).toContain("backupVaultName");
    // The SDK does not check required members; the sandbox does, as AWS does.
    const missing = await backup.send(new CreateBackupPlanCommand({} as CreateBackupPlanCommandInput)).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingParameterValueException);
    expect((missing as Error).message).toContain("BackupPlan");
  });

  it("answers a real but unemulated operation with an error, not a crash", async () => {
    const err = await clients(sb.url).backup.send(new CreateFrameworkCommand({ FrameworkName: "f", FrameworkControls: [] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupServiceException);
    expect((err as Error).name).toBe("UnknownOperationException");
  });

  it("answers an unknown path with an AWS-shaped 404", async () => {
    const res = await raw(sb.url, { method: "GET", path: "/no/such/route", headers: { Authorization: authorization("backup") } });
    expect(res.status).toBe(404);
    expect(res.headers["x-amzn-errortype"]).toBe("UnknownOperationException");
    expect(res.headers["x-amzn-requestid"]).toBeTruthy();
    expect(JSON.parse(res.body).Message).toMatch(/No operation matches GET/);
  });
});

describe("awsJson1_1 (KMS, Organizations)", () => {
  it("raises a modelled KMS exception from __type", async () => {
    const err = await clients(sb.url).kms.send(new DescribeKeyCommand({ KeyId: "alias/none" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundException);
    expect((err as NotFoundException).message).toBe("Key 'alias/none' does not exist");
    expect((err as NotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it("sends KMS ValidationException for model constraint violations", async () => {
    const err = await clients(sb.url).kms.send(new ListAliasesCommand({ Limit: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KMSServiceException);
    expect((err as Error).name).toBe("ValidationException");
    expect((err as Error).message).toBe("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it("serves Organizations reads and maps validation to InvalidInputException with a Reason", async () => {
    const { organizations } = clients(sb.url);
    const org = await organizations.send(new DescribeOrganizationCommand({}));
    expect(org.Organization?.Id).toBe("o-a1b2c3d4e5");
    const err = await organizations.send(new ListAccountsCommand({ MaxResults: 50 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputException);
    expect((err as InvalidInputException).Reason).toBe("MAX_VALUE_EXCEEDED");
  });

  it("maps the caller's access key to its account (a member cannot list accounts)", async () => {
    const err = await clients(sb.url, { accessKeyId: "AKIASANDBOX222222222" }).organizations.send(new ListAccountsCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccessDeniedException);
    expect((err as AccessDeniedException).$metadata.httpStatusCode).toBe(403);
  });

  it("answers an unknown X-Amz-Target with UnknownOperationException", async () => {
    const res = await raw(sb.url, { headers: json11("kms", "NoSuchThing"), body: "{}" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe("UnknownOperationException");
    expect(res.headers["x-amzn-requestid"]).toBeTruthy();
  });
});

describe("awsQuery (STS)", () => {
  it("tells the truth about the caller, before and after AssumeRole", async () => {
    const { sts } = clients(sb.url, { accessKeyId: "AKIASOMETHINGELSE000" });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:root" });
  });

  it("decodes .member.N lists and nested structures from the form", async () => {
    const out = await clients(sb.url).sts.send(
      new AssumeRoleCommand({
        RoleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
        RoleSessionName: "echo",
        Tags: [{ Key: "k1", Value: "v1" }, { Key: "k2", Value: "v2" }],
        PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
        DurationSeconds: 900,
      }),
    );
    expect(out.PackedPolicySize).toBe(7);
    expect(out.AssumedRoleUser?.Arn).toBe("arn:aws:sts::111111111111:assumed-role/R/s");
    expect(seen.Tags).toEqual([{ Key: "k1", Value: "v1" }, { Key: "k2", Value: "v2" }]);
    expect(seen.PolicyArns).toEqual([{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }]);
    expect(seen.DurationSeconds).toBe(900);
  });

  it("uses the awsQueryError code so the SDK raises the modelled class", async () => {
    const err = await clients(sb.url).sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222222222222:role/R", RoleSessionName: "s1", Policy: "{" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedPolicyDocumentException);
  });

  it("sends ValidationError for model constraint violations", async () => {
    const err = await clients(sb.url).sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222222222222:role/R", RoleSessionName: "x" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(STSServiceException);
    expect((err as Error).name).toBe("ValidationError");
    expect((err as Error).message).toContain("'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
  });

  it("answers an unknown Action with InvalidAction in an XML ErrorResponse", async () => {
    const res = await raw(sb.url, { headers: form(), body: "Action=NoSuchAction&Version=2011-06-15" });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("text/xml");
    expect(res.body).toMatch(/<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });
});

describe("identity", () => {
  it("rejects unsigned requests per protocol", async () => {
    const backup = await raw(sb.url, { method: "GET", path: "/backup-vaults" });
    expect(backup.status).toBe(403);
    expect(backup.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
    const kms = await raw(sb.url, { headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.ListKeys" }, body: "{}" });
    expect(JSON.parse(kms.body).__type).toBe("MissingAuthenticationTokenException");
    const sts = await raw(sb.url, { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(sts.status).toBe(403);
    expect(sts.body).toContain("<Code>MissingAuthenticationToken</Code>");
  });

  it("rejects a malformed Authorization header as an incomplete signature", async () => {
    const res = await raw(sb.url, { headers: { ...json11("organizations", "DescribeOrganization"), Authorization: "AWS4-HMAC-SHA256 Credential=AKIA/bad" }, body: "{}" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe("IncompleteSignatureException");
    const sts = await raw(sb.url, { headers: { ...form(), Authorization: "Basic dXNlcjpwYXNz" }, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(sts.body).toContain("<Code>IncompleteSignature</Code>");
  });

  it("routes by the credential scope's service", async () => {
    // A KMS-shaped request signed for organizations is an Organizations request (unknown target there).
    const res = await raw(sb.url, { headers: { ...json11("kms", "ListKeys"), Authorization: authorization("organizations") }, body: "{}" });
    expect(JSON.parse(res.body)).toMatchObject({ __type: "UnknownOperationException" });
    const s3 = await raw(sb.url, { method: "GET", path: "/", headers: { Authorization: authorization("s3") } });
    expect(s3.status).toBe(400);
    expect(s3.headers["x-amzn-requestid"]).toBeTruthy();
  });
});
