// End to end: the Organizations API of the sandbox through the real AWS SDK client over HTTP.
import {
  AccessDeniedException, AttachPolicyCommand, AWSOrganizationsNotInUseException, ChildNotFoundException, ConstraintViolationException,
  CreatePolicyCommand, DeletePolicyCommand, DescribeAccountCommand, DescribeOrganizationCommand, DescribePolicyCommand, DetachPolicyCommand,
  DisableAWSServiceAccessCommand, DisablePolicyTypeCommand, DuplicatePolicyAttachmentException, DuplicatePolicyException,
  EnableAWSServiceAccessCommand, EnablePolicyTypeCommand, InvalidInputException, ListAccountsCommand, ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand, ListChildrenCommand, ListDelegatedAdministratorsCommand, ListOrganizationalUnitsForParentCommand,
  ListParentsCommand, ListPoliciesCommand, ListPoliciesForTargetCommand, ListRootsCommand, ListTagsForResourceCommand, ListTargetsForPolicyCommand,
  MalformedPolicyDocumentException, OrganizationsClient, ParentNotFoundException, PolicyInUseException, PolicyNotAttachedException,
  PolicyNotFoundException, PolicyTypeAlreadyEnabledException, PolicyTypeNotEnabledException, RegisterDelegatedAdministratorCommand,
  TagResourceCommand, TargetNotFoundException, UpdatePolicyCommand, paginateListAccounts,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scpLevelsFor } from "../src/sandbox/services/organizations/index.js";
import { startSandbox, type SandboxHandle } from "../src/sandbox/index.js";

const MANAGEMENT_KEY = "AKIAIOSFODNN7EXAMPLE";
const PROD = "222222222222";
const SCP = "SERVICE_CONTROL_POLICY";

let sandbox: SandboxHandle;
let management: OrganizationsClient;

function client(accessKeyId: string, sessionToken?: string): OrganizationsClient {
  return new OrganizationsClient({ endpoint: sandbox.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId, secretAccessKey: "sandbox", sessionToken } });
}

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

const doc = (effect: string, action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: effect, Action: action, Resource: "*" }] });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  management = client(MANAGEMENT_KEY);
});

afterAll(async () => {
  management?.destroy();
  await sandbox?.stop();
});

describe("Organizations over HTTP", () => {
  it("describes the organization to the management account and to a member on assumed-role credentials", async () => {
    const org = (await management.send(new DescribeOrganizationCommand({}))).Organization!;
    expect(org).toMatchObject({ Id: "o-a1b2c3d4e5", FeatureSet: "ALL", MasterAccountId: "111111111111" });
    const sts = new STSClient({ endpoint: sandbox.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: MANAGEMENT_KEY, secretAccessKey: "x" } });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`, RoleSessionName: "e2e" }));
    const member = client(assumed.Credentials!.AccessKeyId!, assumed.Credentials!.SessionToken);
    expect((await member.send(new DescribeOrganizationCommand({}))).Organization?.Id).toBe("o-a1b2c3d4e5");
    const denied = await caught(member.send(new ListAccountsCommand({})));
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied.$metadata.httpStatusCode).toBe(403);
    const outside = client("AKIASANDBOX999999999");
    expect(await caught(outside.send(new DescribeOrganizationCommand({})))).toBeInstanceOf(AWSOrganizationsNotInUseException);
    sts.destroy();
    member.destroy();
    outside.destroy();
  });

  it("lists accounts with a paginator, roots, OUs, children and parents", async () => {
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: management, pageSize: 2 }, {})) ids.push(...(page.Accounts ?? []).map((a) => a.Id!));
    expect(ids).toEqual(["111111111111", "222222222222", "333333333333", "444444444444"]);
    const account = (await management.send(new DescribeAccountCommand({ AccountId: PROD }))).Account!;
    expect(account.JoinedTimestamp).toBeInstanceOf(Date);
    const roots = (await management.send(new ListRootsCommand({}))).Roots!;
    expect(roots).toMatchObject([{ Id: "r-a1b2", Name: "Root", PolicyTypes: [{ Type: SCP, Status: "ENABLED" }] }]);
    const ous = (await management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: "ou-a1b2-work0001" }))).OrganizationalUnits!;
    expect(ous.map((o) => o.Name)).toEqual(["Prod", "Staging"]);
    const inProd = (await management.send(new ListAccountsForParentCommand({ ParentId: "ou-a1b2-prod0001" }))).Accounts!;
    expect(inProd.map((a) => a.Id)).toEqual([PROD]);
    const children = (await management.send(new ListChildrenCommand({ ParentId: "r-a1b2", ChildType: "ACCOUNT" }))).Children!;
    expect(children).toEqual([{ Id: "111111111111", Type: "ACCOUNT" }]);
    expect((await management.send(new ListParentsCommand({ ChildId: PROD }))).Parents).toEqual([{ Id: "ou-a1b2-prod0001", Type: "ORGANIZATIONAL_UNIT" }]);
    expect(await caught(management.send(new ListParentsCommand({ ChildId: "555555555555" })))).toBeInstanceOf(ChildNotFoundException);
    expect(await caught(management.send(new ListAccountsForParentCommand({ ParentId: "ou-a1b2-none0000" })))).toBeInstanceOf(ParentNotFoundException);
    const badToken = await caught(management.send(new ListAccountsCommand({ NextToken: "not-a-token" })));
    expect(badToken).toBeInstanceOf(InvalidInputException);
    expect(badToken.Reason).toBe("INVALID_NEXT_TOKEN");
  });

  it("enables, lists and disables trusted access, visible to copy jobs only after the delay", async () => {
    await management.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "backup.amazonaws.com" }));
    const listed = (await management.send(new ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals!;
    expect(listed.map((p) => p.ServicePrincipal)).toEqual(["backup.amazonaws.com"]);
    expect(listed[0]!.DateEnabled).toBeInstanceOf(Date);
    await management.send(new RegisterDelegatedAdministratorCommand({ AccountId: "333333333333", ServicePrincipal: "backup.amazonaws.com" }));
    const admins = (await management.send(new ListDelegatedAdministratorsCommand({}))).DelegatedAdministrators!;
    expect(admins.map((a) => a.Id)).toEqual(["333333333333"]);
    await management.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: "backup.amazonaws.com" }));
    expect((await management.send(new ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals).toEqual([]);
    expect(sandbox.world().org.serviceAccess.history.length).toBeGreaterThanOrEqual(3);
    const bad = await caught(management.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "not-a-service" })));
    expect(bad).toBeInstanceOf(InvalidInputException);
    expect(bad.Reason).toBe("UNRECOGNIZED_SERVICE_PRINCIPAL");
  });

  it("manages service control policies: create, describe, update, tag, attach, list, detach, delete", async () => {
    const created = (await management.send(new CreatePolicyCommand({
      Name: "deny-copy-untagged", Description: "G1", Type: SCP, Content: doc("Deny", "backup:CopyIntoBackupVault"), Tags: [{ Key: "crossvault:stack", Value: "e2e" }],
    }))).Policy!;
    const id = created.PolicySummary!.Id!;
    expect(id).toMatch(/^p-[0-9a-z]{8}$/);
    expect((await management.send(new DescribePolicyCommand({ PolicyId: id }))).Policy?.Content).toBe(doc("Deny", "backup:CopyIntoBackupVault"));
    expect((await management.send(new ListTagsForResourceCommand({ ResourceId: id }))).Tags).toEqual([{ Key: "crossvault:stack", Value: "e2e" }]);
    await management.send(new TagResourceCommand({ ResourceId: id, Tags: [{ Key: "owner", Value: "sec" }] }));
    const updated = (await management.send(new UpdatePolicyCommand({ PolicyId: id, Description: "G1 guardrail" }))).Policy!;
    expect(updated.PolicySummary).toMatchObject({ Name: "deny-copy-untagged", Description: "G1 guardrail", AwsManaged: false });

    expect(await caught(management.send(new CreatePolicyCommand({ Name: "deny-copy-untagged", Description: "", Type: SCP, Content: doc("Deny", "s3:*") })))).toBeInstanceOf(DuplicatePolicyException);
    expect(await caught(management.send(new CreatePolicyCommand({ Name: "broken", Description: "", Type: SCP, Content: "{" })))).toBeInstanceOf(MalformedPolicyDocumentException);
    const immutable = await caught(management.send(new UpdatePolicyCommand({ PolicyId: "p-FullAWSAccess", Name: "x" })));
    expect(immutable).toBeInstanceOf(InvalidInputException);
    expect(immutable.Reason).toBe("IMMUTABLE_POLICY");

    await management.send(new AttachPolicyCommand({ PolicyId: id, TargetId: "ou-a1b2-work0001" }));
    expect(await caught(management.send(new AttachPolicyCommand({ PolicyId: id, TargetId: "ou-a1b2-work0001" })))).toBeInstanceOf(DuplicatePolicyAttachmentException);
    expect(await caught(management.send(new AttachPolicyCommand({ PolicyId: id, TargetId: "555555555555" })))).toBeInstanceOf(TargetNotFoundException);
    const targets = (await management.send(new ListTargetsForPolicyCommand({ PolicyId: id }))).Targets!;
    expect(targets).toEqual([{ TargetId: "ou-a1b2-work0001", Arn: "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-work0001", Name: "Workloads", Type: "ORGANIZATIONAL_UNIT" }]);
    const onOu = (await management.send(new ListPoliciesForTargetCommand({ TargetId: "ou-a1b2-work0001", Filter: SCP }))).Policies!;
    expect(onOu.map((p) => p.Name)).toEqual(["FullAWSAccess", "deny-copy-untagged"]);
    expect(scpLevelsFor(sandbox.world().org, PROD).map((l) => l.policies.length)).toEqual([1, 2, 1, 1]);
    expect(await caught(management.send(new DeletePolicyCommand({ PolicyId: id })))).toBeInstanceOf(PolicyInUseException);

    const last = await caught(management.send(new DetachPolicyCommand({ PolicyId: "p-FullAWSAccess", TargetId: PROD })));
    expect(last).toBeInstanceOf(ConstraintViolationException);
    expect(last.Reason).toBe("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED");
    await management.send(new DetachPolicyCommand({ PolicyId: id, TargetId: "ou-a1b2-work0001" }));
    expect(await caught(management.send(new DetachPolicyCommand({ PolicyId: id, TargetId: "ou-a1b2-work0001" })))).toBeInstanceOf(PolicyNotAttachedException);
    await management.send(new DeletePolicyCommand({ PolicyId: id }));
    expect(await caught(management.send(new DescribePolicyCommand({ PolicyId: id })))).toBeInstanceOf(PolicyNotFoundException);
    const all = (await management.send(new ListPoliciesCommand({ Filter: SCP }))).Policies!;
    expect(all.map((p) => p.Id)).toEqual(["p-FullAWSAccess"]);
  });

  it("enables a policy type once, and attaching needs it enabled", async () => {
    const backupPolicy = (await management.send(new CreatePolicyCommand({ Name: "plans", Description: "", Type: "BACKUP_POLICY", Content: JSON.stringify({ plans: {} }) }))).Policy!;
    expect(await caught(management.send(new AttachPolicyCommand({ PolicyId: backupPolicy.PolicySummary!.Id!, TargetId: PROD })))).toBeInstanceOf(PolicyTypeNotEnabledException);
    const root = (await management.send(new EnablePolicyTypeCommand({ RootId: "r-a1b2", PolicyType: "BACKUP_POLICY" }))).Root!;
    expect(root.PolicyTypes?.map((t) => t.Type)).toEqual([SCP, "BACKUP_POLICY"]);
    expect(await caught(management.send(new EnablePolicyTypeCommand({ RootId: "r-a1b2", PolicyType: "BACKUP_POLICY" })))).toBeInstanceOf(PolicyTypeAlreadyEnabledException);
    await management.send(new AttachPolicyCommand({ PolicyId: backupPolicy.PolicySummary!.Id!, TargetId: PROD }));
    await management.send(new DisablePolicyTypeCommand({ RootId: "r-a1b2", PolicyType: "BACKUP_POLICY" }));
    expect((await management.send(new ListTargetsForPolicyCommand({ PolicyId: backupPolicy.PolicySummary!.Id! }))).Targets).toEqual([]);
  });

  it("refuses policy writes from a member account", async () => {
    const member = client("AKIASANDBOX222222222");
    expect(await caught(member.send(new CreatePolicyCommand({ Name: "x", Description: "", Type: SCP, Content: doc("Deny", "s3:*") })))).toBeInstanceOf(AccessDeniedException);
    expect(await caught(member.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "backup.amazonaws.com" })))).toBeInstanceOf(AccessDeniedException);
    member.destroy();
  });
});
