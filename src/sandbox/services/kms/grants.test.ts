import { describe, expect, it } from "vitest";
import { kmsService } from "./index.js";
import { failure, invoker, PROD, T0, VAULT } from "../organizations/test-world.js";

const grantee = `arn:aws:iam::${VAULT}:role/Backup`;

describe("grants", () => {
  it("creates, lists and retires grants; a named retry returns the same grant", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    const input = { KeyId: m.KeyId, GranteePrincipal: grantee, Operations: ["Decrypt", "GenerateDataKey"], Name: "copy" };
    const g = await inv.call(PROD, "CreateGrant", input);
    expect(g.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect((await inv.call(PROD, "CreateGrant", input)).GrantId).toBe(g.GrantId);
    const other = await inv.call(PROD, "CreateGrant", { ...input, Name: undefined });
    expect(other.GrantId).not.toBe(g.GrantId);
    const listed = await inv.call(PROD, "ListGrants", { KeyId: m.Arn, GrantId: g.GrantId });
    expect(listed.Grants).toEqual([{
      KeyId: m.Arn, GrantId: g.GrantId, Name: "copy", CreationDate: new Date(T0), GranteePrincipal: grantee, RetiringPrincipal: undefined,
      IssuingAccount: `arn:aws:iam::${PROD}:root`, Operations: ["Decrypt", "GenerateDataKey"], Constraints: undefined,
    }]);
    await inv.call(PROD, "RetireGrant", { GrantToken: g.GrantToken });
    await inv.call(PROD, "RevokeGrant", { KeyId: m.KeyId, GrantId: other.GrantId });
    expect((await inv.call(PROD, "ListGrants", { KeyId: m.KeyId })).Grants).toEqual([]);
    expect(await failure(inv.call(PROD, "RetireGrant", { GrantToken: g.GrantToken }))).toMatchObject({ code: "InvalidGrantTokenException" });
  });

  it("refuses disabled keys, keys pending deletion, wrong operations, bad principals; DryRun says it would work", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    const create = (extra: Record<string, unknown> = {}) => inv.call(PROD, "CreateGrant", { KeyId: m.KeyId, GranteePrincipal: grantee, Operations: ["Decrypt"], ...extra });
    expect(await failure(create({ DryRun: true }))).toMatchObject({ code: "DryRunOperationException", httpStatus: 412 });
    expect(await failure(create({ Operations: ["Sign"] }))).toMatchObject({ code: "ValidationException" });
    expect(await failure(create({ GranteePrincipal: "someone" }))).toMatchObject({ code: "InvalidArnException" });
    await inv.call(PROD, "DisableKey", { KeyId: m.KeyId });
    expect(await failure(create())).toMatchObject({ code: "DisabledException", httpStatus: 409, message: `${m.Arn} is disabled.` });
    await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: m.KeyId });
    expect(await failure(create())).toMatchObject({ code: "KMSInvalidStateException" });
  });

  it("lets another account create a grant when the key policy allows it", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    const create = () => inv.call(VAULT, "CreateGrant", { KeyId: m.Arn, GranteePrincipal: grantee, Operations: ["Decrypt"] });
    expect(await failure(create())).toMatchObject({ code: "AccessDeniedException" });
    const policy = JSON.parse((await inv.call(PROD, "GetKeyPolicy", { KeyId: m.KeyId })).Policy);
    policy.Statement.push({ Effect: "Allow", Principal: { AWS: VAULT }, Action: "kms:CreateGrant", Resource: "*", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } });
    await inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: JSON.stringify(policy) });
    // A direct call is not "for an AWS resource", so the condition keeps it out.
    expect(await failure(create())).toMatchObject({ code: "AccessDeniedException" });
    policy.Statement[1].Condition = { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } };
    await inv.call(PROD, "PutKeyPolicy", { KeyId: m.KeyId, Policy: JSON.stringify(policy) });
    expect((await create()).GrantId).toMatch(/^[0-9a-f]{64}$/);
  });
});
