import { describe, expect, it } from "vitest";
import { kmsService } from "./index.js";
import { failure, invoker, PROD, T0 } from "../organizations/test-world.js";

describe("aliases", () => {
  it("creates, lists (with AWS aliases), updates and deletes", async () => {
    const inv = invoker(kmsService);
    const a = (await inv.call(PROD, "CreateKey", {})).KeyMetadata;
    const b = (await inv.call(PROD, "CreateKey", {})).KeyMetadata;
    await inv.call(PROD, "CreateAlias", { AliasName: "alias/vault", TargetKeyId: a.Arn });
    const listed = await inv.call(PROD, "ListAliases", {});
    expect(listed.Aliases.map((x: any) => x.AliasName)).toEqual(["alias/aws/backup", "alias/vault"]);
    expect(listed.Aliases[1]).toEqual({
      AliasName: "alias/vault", AliasArn: `arn:aws:kms:us-east-1:${PROD}:alias/vault`, TargetKeyId: a.KeyId, CreationDate: new Date(T0), LastUpdatedDate: new Date(T0),
    });
    expect(listed.Truncated).toBe(false);
    expect((await inv.call(PROD, "ListAliases", { KeyId: b.KeyId })).Aliases).toEqual([]);
    await inv.call(PROD, "UpdateAlias", { AliasName: "alias/vault", TargetKeyId: b.KeyId });
    expect((await inv.call(PROD, "ListAliases", { KeyId: b.Arn })).Aliases.map((x: any) => x.AliasName)).toEqual(["alias/vault"]);
    await inv.call(PROD, "DeleteAlias", { AliasName: "alias/vault" });
    expect(await failure(inv.call(PROD, "DeleteAlias", { AliasName: "alias/vault" }))).toMatchObject({ code: "NotFoundException" });
  });

  it("rejects taken names, reserved names, bad names and keys pending deletion", async () => {
    const inv = invoker(kmsService);
    const a = (await inv.call(PROD, "CreateKey", {})).KeyMetadata;
    await inv.call(PROD, "CreateAlias", { AliasName: "alias/x", TargetKeyId: a.KeyId });
    expect(await failure(inv.call(PROD, "CreateAlias", { AliasName: "alias/x", TargetKeyId: a.KeyId }))).toMatchObject({
      code: "AlreadyExistsException", httpStatus: 409, message: `An alias with the name arn:aws:kms:us-east-1:${PROD}:alias/x already exists`,
    });
    expect(await failure(inv.call(PROD, "CreateAlias", { AliasName: "alias/aws/mine", TargetKeyId: a.KeyId }))).toMatchObject({ code: "NotAuthorizedException" });
    expect(await failure(inv.call(PROD, "DeleteAlias", { AliasName: "alias/aws/backup" }))).toMatchObject({ code: "NotAuthorizedException" });
    expect(await failure(inv.call(PROD, "CreateAlias", { AliasName: "vault", TargetKeyId: a.KeyId }))).toMatchObject({ code: "InvalidAliasNameException" });
    expect(await failure(inv.call(PROD, "CreateAlias", { AliasName: "alias/y", TargetKeyId: "alias/x" }))).toMatchObject({ code: "NotFoundException" });
    await inv.call(PROD, "ScheduleKeyDeletion", { KeyId: a.KeyId });
    expect(await failure(inv.call(PROD, "CreateAlias", { AliasName: "alias/y", TargetKeyId: a.KeyId }))).toMatchObject({ code: "KMSInvalidStateException" });
    expect(await failure(inv.call(PROD, "UpdateAlias", { AliasName: "alias/nope", TargetKeyId: a.KeyId }))).toMatchObject({ code: "NotFoundException" });
  });

  it("keeps an alias on keys of the same type and usage", async () => {
    const inv = invoker(kmsService);
    const a = (await inv.call(PROD, "CreateKey", {})).KeyMetadata;
    const rsa = (await inv.call(PROD, "CreateKey", { KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" })).KeyMetadata;
    await inv.call(PROD, "CreateAlias", { AliasName: "alias/x", TargetKeyId: a.KeyId });
    expect(await failure(inv.call(PROD, "UpdateAlias", { AliasName: "alias/x", TargetKeyId: rsa.KeyId }))).toMatchObject({ code: "ValidationException" });
  });

  it("pages with Limit and Marker", async () => {
    const inv = invoker(kmsService);
    const a = (await inv.call(PROD, "CreateKey", {})).KeyMetadata;
    for (const n of ["a", "b", "c"]) await inv.call(PROD, "CreateAlias", { AliasName: `alias/${n}`, TargetKeyId: a.KeyId });
    const first = await inv.call(PROD, "ListAliases", { Limit: 2 });
    expect(first).toMatchObject({ Truncated: true });
    const second = await inv.call(PROD, "ListAliases", { Limit: 2, Marker: first.NextMarker });
    expect([...first.Aliases, ...second.Aliases].map((x: any) => x.AliasName)).toEqual(["alias/a", "alias/aws/backup", "alias/b", "alias/c"]);
    expect(second.Truncated).toBe(false);
  });
});
