// End to end: the KMS API of the sandbox through the real AWS SDK client over HTTP.
import {
  AlreadyExistsException, CancelKeyDeletionCommand, CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DeleteAliasCommand,
  DescribeKeyCommand, DisabledException, DisableKeyCommand, DryRunOperationException, EnableKeyCommand, EnableKeyRotationCommand,
  GetKeyPolicyCommand, GetKeyRotationStatusCommand, InvalidAliasNameException, InvalidArnException, InvalidMarkerException, KMSClient,
  KMSInvalidStateException, KMSServiceException, ListAliasesCommand, ListGrantsCommand, ListKeysCommand, ListResourceTagsCommand,
  MalformedPolicyDocumentException, NotFoundException, PutKeyPolicyCommand, RetireGrantCommand, ScheduleKeyDeletionCommand, TagException,
  TagResourceCommand, UnsupportedOperationException, UntagResourceCommand, UpdateAliasCommand, paginateListAliases,
} from "@aws-sdk/client-kms";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findKeyByArn } from "../src/sandbox/services/kms/index.js";
import { valueAt } from "../src/sandbox/world.js";
import { startSandbox, type SandboxHandle } from "../src/sandbox/index.js";

const REGION = "eu-west-1";
const PROD = "222222222222";
const VAULT = "333333333333";

let sandbox: SandboxHandle;
let prod: KMSClient;
let vault: KMSClient;
const clients: KMSClient[] = [];

function client(accessKeyId: string, sessionToken?: string): KMSClient {
  const c = new KMSClient({ endpoint: sandbox.url, region: REGION, maxAttempts: 1, credentials: { accessKeyId, secretAccessKey: "sandbox", sessionToken } });
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

async function assumed(account: string): Promise<KMSClient> {
  const sts = new STSClient({ endpoint: sandbox.url, region: REGION, maxAttempts: 1, credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" } });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: "kms-e2e" }));
  sts.destroy();
  return client(out.Credentials!.AccessKeyId!, out.Credentials!.SessionToken);
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  prod = await assumed(PROD);
  vault = await assumed(VAULT);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox?.stop();
});

describe("KMS over HTTP", () => {
  it("creates a key with AWS's defaults and describes it by id, ARN, alias and alias ARN", async () => {
    const created = (await prod.send(new CreateKeyCommand({ Description: "vault key", Tags: [{ TagKey: "crossvault:stack", TagValue: "e2e" }] }))).KeyMetadata!;
    expect(created).toMatchObject({
      AWSAccountId: PROD, Enabled: true, KeyState: "Enabled", KeyUsage: "ENCRYPT_DECRYPT", KeySpec: "SYMMETRIC_DEFAULT", KeyManager: "CUSTOMER", Origin: "AWS_KMS",
      EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"], MultiRegion: false,
    });
    expect(created.CreationDate).toBeInstanceOf(Date);
    expect(created.Arn).toBe(`arn:aws:kms:${REGION}:${PROD}:key/${created.KeyId}`);
    await prod.send(new CreateAliasCommand({ AliasName: "alias/cv-vault", TargetKeyId: created.KeyId! }));
    for (const KeyId of [created.KeyId!, created.Arn!, "alias/cv-vault", `arn:aws:kms:${REGION}:${PROD}:alias/cv-vault`]) {
      expect((await prod.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyId).toBe(created.KeyId);
    }
    const tags = await prod.send(new ListResourceTagsCommand({ KeyId: created.KeyId! }));
    expect(tags.Tags).toEqual([{ TagKey: "crossvault:stack", TagValue: "e2e" }]);
    expect(tags.Truncated).toBe(false);
    const missing = await caught(prod.send(new DescribeKeyCommand({ KeyId: "alias/none" })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing.message).toBe(`Alias arn:aws:kms:${REGION}:${PROD}:alias/none is not found.`);
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect(await caught(prod.send(new DescribeKeyCommand({ KeyId: "arn:aws:kms:broken" })))).toBeInstanceOf(InvalidArnException);
  });

  it("reads and replaces key policies, with the lockout check and the eventual history", async () => {
    const key = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    const policy = await prod.send(new GetKeyPolicyCommand({ KeyId: key.KeyId! }));
    expect(policy.PolicyName).toBe("default");
    const doc = JSON.parse(policy.Policy!);
    expect(doc.Statement[0]).toMatchObject({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: "kms:*" });
    doc.Statement.push({ Sid: "crossvault-share", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VAULT}:root` }, Action: ["kms:DescribeKey", "kms:Decrypt", "kms:CreateGrant"], Resource: "*" });
    await prod.send(new PutKeyPolicyCommand({ KeyId: key.Arn!, Policy: JSON.stringify(doc) }));
    expect(JSON.parse((await prod.send(new GetKeyPolicyCommand({ KeyId: key.KeyId!, PolicyName: "default" }))).Policy!).Statement).toHaveLength(2);
    const state = findKeyByArn(sandbox.world(), key.Arn!)!;
    expect(state.policy.history).toHaveLength(2);
    expect(valueAt(state.policy, state.policy.history[0]!.at)).toBe(policy.Policy);

    expect(await caught(prod.send(new PutKeyPolicyCommand({ KeyId: key.KeyId!, Policy: "{oops" })))).toBeInstanceOf(MalformedPolicyDocumentException);
    const lockout = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VAULT}:root` }, Action: "kms:*", Resource: "*" }] });
    const locked = await caught(prod.send(new PutKeyPolicyCommand({ KeyId: key.KeyId!, Policy: lockout })));
    expect(locked).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(locked.message).toBe("The new key policy will not allow you to update the key policy in the future.");

    // The destination account now sees the shared key by ARN, and only by ARN.
    expect((await vault.send(new DescribeKeyCommand({ KeyId: key.Arn! }))).KeyMetadata?.AWSAccountId).toBe(PROD);
    expect(await caught(vault.send(new DescribeKeyCommand({ KeyId: key.KeyId! })))).toBeInstanceOf(NotFoundException);
    const notShared = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    const denied = await caught(vault.send(new DescribeKeyCommand({ KeyId: notShared.Arn! })));
    expect(denied).toBeInstanceOf(KMSServiceException);
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain(`is not authorized to perform: kms:DescribeKey on resource: ${notShared.Arn}`);
  });

  it("protects the AWS managed aws/backup key", async () => {
    const backup = (await prod.send(new DescribeKeyCommand({ KeyId: "alias/aws/backup" }))).KeyMetadata!;
    expect(backup.KeyManager).toBe("AWS");
    const put = await caught(prod.send(new PutKeyPolicyCommand({ KeyId: backup.KeyId!, Policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*" }] }) })));
    expect(put.name).toBe("AccessDeniedException");
    expect((await caught(vault.send(new DescribeKeyCommand({ KeyId: backup.Arn! })))).name).toBe("AccessDeniedException");
    expect(await caught(prod.send(new CreateAliasCommand({ AliasName: "alias/aws/mine", TargetKeyId: backup.KeyId! })))).toBeInstanceOf(KMSServiceException);
  });

  it("creates, updates, lists (paginated) and deletes aliases", async () => {
    const a = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    await prod.send(new CreateAliasCommand({ AliasName: "alias/cv-a", TargetKeyId: a.Arn! }));
    expect(await caught(prod.send(new CreateAliasCommand({ AliasName: "alias/cv-a", TargetKeyId: b.KeyId! })))).toBeInstanceOf(AlreadyExistsException);
    expect(await caught(prod.send(new CreateAliasCommand({ AliasName: "cv-b", TargetKeyId: b.KeyId! })))).toBeInstanceOf(InvalidAliasNameException);
    await prod.send(new UpdateAliasCommand({ AliasName: "alias/cv-a", TargetKeyId: b.KeyId! }));
    expect((await prod.send(new ListAliasesCommand({ KeyId: b.KeyId! }))).Aliases?.map((x) => x.AliasName)).toEqual(["alias/cv-a"]);
    const names: string[] = [];
    for await (const page of paginateListAliases({ client: prod, pageSize: 1 }, {})) names.push(...(page.Aliases ?? []).map((x) => x.AliasName!));
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["alias/aws/backup", "alias/cv-a", "alias/cv-vault"]));
    expect(await caught(prod.send(new ListAliasesCommand({ Marker: "nope" })))).toBeInstanceOf(InvalidMarkerException);
    await prod.send(new DeleteAliasCommand({ AliasName: "alias/cv-a" }));
    expect(await caught(prod.send(new DeleteAliasCommand({ AliasName: "alias/cv-a" })))).toBeInstanceOf(NotFoundException);
  });

  it("tags and untags keys, refusing reserved keys", async () => {
    const key = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    await prod.send(new TagResourceCommand({ KeyId: key.KeyId!, Tags: [{ TagKey: "a", TagValue: "1" }, { TagKey: "b", TagValue: "2" }] }));
    await prod.send(new UntagResourceCommand({ KeyId: key.Arn!, TagKeys: ["a"] }));
    expect((await prod.send(new ListResourceTagsCommand({ KeyId: key.KeyId! }))).Tags).toEqual([{ TagKey: "b", TagValue: "2" }]);
    expect(await caught(prod.send(new TagResourceCommand({ KeyId: key.KeyId!, Tags: [{ TagKey: "aws:x", TagValue: "1" }] })))).toBeInstanceOf(TagException);
  });

  it("schedules and cancels key deletion, and lists keys", async () => {
    const key = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    const scheduled = await prod.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: key.Arn, KeyState: "PendingDeletion", PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate!.getTime() - key.CreationDate!.getTime()).toBeGreaterThanOrEqual(7 * 86_400_000 - 5000);
    expect((await prod.send(new DescribeKeyCommand({ KeyId: key.KeyId! }))).KeyMetadata).toMatchObject({ Enabled: false, KeyState: "PendingDeletion" });
    expect(await caught(prod.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId! })))).toBeInstanceOf(KMSInvalidStateException);
    expect(await caught(prod.send(new CreateAliasCommand({ AliasName: "alias/doomed", TargetKeyId: key.KeyId! })))).toBeInstanceOf(KMSInvalidStateException);
    const short = await caught(prod.send(new ScheduleKeyDeletionCommand({ KeyId: (await prod.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!, PendingWindowInDays: 3 })));
    expect(short.name).toBe("ValidationException");
    expect((await prod.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId! }))).KeyId).toBe(key.Arn);
    expect((await prod.send(new DescribeKeyCommand({ KeyId: key.KeyId! }))).KeyMetadata?.KeyState).toBe("Disabled");
    await prod.send(new EnableKeyCommand({ KeyId: key.KeyId! }));
    const listed = await prod.send(new ListKeysCommand({ Limit: 1000 }));
    expect(listed.Truncated).toBe(false);
    expect(listed.Keys?.map((k) => k.KeyArn)).toContain(key.Arn);
  });

  it("creates, lists and retires grants, including from another account the key policy allows", async () => {
    const key = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    const grantee = `arn:aws:iam::${VAULT}:role/OrganizationAccountAccessRole`;
    const grant = await prod.send(new CreateGrantCommand({ KeyId: key.KeyId!, GranteePrincipal: grantee, Operations: ["Decrypt", "GenerateDataKey"], Name: "copy" }));
    expect(grant.GrantId).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await prod.send(new ListGrantsCommand({ KeyId: key.KeyId! }))).Grants!;
    expect(listed).toMatchObject([{ GrantId: grant.GrantId, Name: "copy", GranteePrincipal: grantee, Operations: ["Decrypt", "GenerateDataKey"] }]);
    expect(await caught(prod.send(new CreateGrantCommand({ KeyId: key.KeyId!, GranteePrincipal: grantee, Operations: ["Decrypt"], DryRun: true })))).toBeInstanceOf(DryRunOperationException);
    expect((await caught(vault.send(new CreateGrantCommand({ KeyId: key.Arn!, GranteePrincipal: grantee, Operations: ["Decrypt"] })))).name).toBe("AccessDeniedException");
    // The grantee may retire only grants that name it as retiring principal or include RetireGrant.
    expect((await caught(vault.send(new RetireGrantCommand({ GrantToken: grant.GrantToken! })))).name).toBe("AccessDeniedException");
    const retirable = await prod.send(new CreateGrantCommand({ KeyId: key.KeyId!, GranteePrincipal: grantee, RetiringPrincipal: grantee, Operations: ["Decrypt"] }));
    await vault.send(new RetireGrantCommand({ GrantToken: retirable.GrantToken! }));
    await prod.send(new RetireGrantCommand({ KeyId: key.Arn!, GrantId: grant.GrantId! }));
    expect((await prod.send(new ListGrantsCommand({ KeyId: key.KeyId! }))).Grants).toEqual([]);
    await prod.send(new DisableKeyCommand({ KeyId: key.KeyId! }));
    expect(await caught(prod.send(new CreateGrantCommand({ KeyId: key.KeyId!, GranteePrincipal: grantee, Operations: ["Decrypt"] })))).toBeInstanceOf(DisabledException);
  });

  it("enables key rotation on symmetric keys only", async () => {
    const key = (await prod.send(new CreateKeyCommand({}))).KeyMetadata!;
    await prod.send(new EnableKeyRotationCommand({ KeyId: key.KeyId! }));
    const status = await prod.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId! }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, KeyId: key.Arn, RotationPeriodInDays: 365 });
    expect(status.NextRotationDate).toBeInstanceOf(Date);
    const signing = (await prod.send(new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }))).KeyMetadata!;
    expect(signing.SigningAlgorithms).toEqual(["ECDSA_SHA_256"]);
    expect(await caught(prod.send(new EnableKeyRotationCommand({ KeyId: signing.KeyId! })))).toBeInstanceOf(UnsupportedOperationException);
  });
});
