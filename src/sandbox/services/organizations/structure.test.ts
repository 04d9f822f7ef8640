import { describe, expect, it } from "vitest";
import { organizationsService } from "./index.js";
import { failure, invoker, MANAGEMENT, OUTSIDE, PROD, VAULT } from "./test-world.js";

describe("organization structure", () => {
  it("describes the organization to any member, and refuses outside accounts", async () => {
    const inv = invoker(organizationsService);
    const out = await inv.call(PROD, "DescribeOrganization");
    expect(out.Organization).toMatchObject({
      Id: "o-a1b2c3d4e5", FeatureSet: "ALL", MasterAccountId: MANAGEMENT,
      MasterAccountArn: `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${MANAGEMENT}`,
      AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
    });
    const err = await failure(inv.call(OUTSIDE, "DescribeOrganization"));
    expect(err).toMatchObject({ code: "AWSOrganizationsNotInUseException", httpStatus: 404 });
  });

  it("lets only the management account (or a delegated administrator) list", async () => {
    const inv = invoker(organizationsService);
    expect((await inv.call(MANAGEMENT, "ListAccounts")).Accounts).toHaveLength(4);
    expect(await failure(inv.call(PROD, "ListAccounts"))).toMatchObject({ code: "AccessDeniedException", httpStatus: 403 });
    expect(await failure(inv.call(OUTSIDE, "ListAccounts"))).toMatchObject({ code: "AWSOrganizationsNotInUseException" });
    inv.world.org.delegatedAdministrators = { [PROD]: { "backup.amazonaws.com": 0 } };
    expect((await inv.call(PROD, "ListRoots")).Roots[0]).toMatchObject({ Id: "r-a1b2", Name: "Root" });
  });

  it("pages with NextToken and rejects a token that does not decode", async () => {
    const inv = invoker(organizationsService);
    const first = await inv.call(MANAGEMENT, "ListAccounts", { MaxResults: 3 });
    expect(first.Accounts).toHaveLength(3);
    const second = await inv.call(MANAGEMENT, "ListAccounts", { MaxResults: 3, NextToken: first.NextToken });
    expect(second.Accounts.map((a: any) => a.Id)).toEqual(["444444444444"]);
    expect(second.NextToken).toBeUndefined();
    const err = await failure(inv.call(MANAGEMENT, "ListAccounts", { NextToken: "garbage!" }));
    expect(err).toMatchObject({ code: "InvalidInputException", fields: { Reason: "INVALID_NEXT_TOKEN" } });
  });

  it("lists children and parents, with not-found errors for unknown ids", async () => {
    const inv = invoker(organizationsService);
    const ous = await inv.call(MANAGEMENT, "ListOrganizationalUnitsForParent", { ParentId: "r-a1b2" });
    expect(ous.OrganizationalUnits.map((o: any) => o.Name)).toEqual(["Workloads", "Security"]);
    const accounts = await inv.call(MANAGEMENT, "ListAccountsForParent", { ParentId: "ou-a1b2-secu0001" });
    expect(accounts.Accounts.map((a: any) => a.Id)).toEqual([VAULT]);
    expect((await inv.call(MANAGEMENT, "ListParents", { ChildId: PROD })).Parents).toEqual([{ Id: "ou-a1b2-prod0001", Type: "ORGANIZATIONAL_UNIT" }]);
    expect((await inv.call(MANAGEMENT, "ListParents", { ChildId: "ou-a1b2-work0001" })).Parents).toEqual([{ Id: "r-a1b2", Type: "ROOT" }]);
    expect(await failure(inv.call(MANAGEMENT, "ListParents", { ChildId: OUTSIDE }))).toMatchObject({ code: "ChildNotFoundException", httpStatus: 404 });
    expect(await failure(inv.call(MANAGEMENT, "ListAccountsForParent", { ParentId: "ou-a1b2-nope0000" }))).toMatchObject({ code: "ParentNotFoundException" });
  });

  it("describes an account, with its timestamp as a Date", async () => {
    const inv = invoker(organizationsService);
    const out = await inv.call(MANAGEMENT, "DescribeAccount", { AccountId: PROD });
    expect(out.Account).toMatchObject({ Id: PROD, Name: "prod", Status: "ACTIVE", JoinedMethod: "CREATED" });
    expect(out.Account.JoinedTimestamp).toBeInstanceOf(Date);
    expect(await failure(inv.call(MANAGEMENT, "DescribeAccount", { AccountId: OUTSIDE }))).toMatchObject({ code: "AccountNotFoundException" });
  });

  it("lists children by type and describes OUs; ids that only exist on Object's prototype are not found", async () => {
    const inv = invoker(organizationsService);
    expect((await inv.call(MANAGEMENT, "ListChildren", { ParentId: "ou-a1b2-work0001", ChildType: "ORGANIZATIONAL_UNIT" })).Children).toEqual([
      { Id: "ou-a1b2-prod0001", Type: "ORGANIZATIONAL_UNIT" }, { Id: "ou-a1b2-stag0001", Type: "ORGANIZATIONAL_UNIT" },
    ]);
    expect((await inv.call(MANAGEMENT, "DescribeOrganizationalUnit", { OrganizationalUnitId: "ou-a1b2-prod0001" })).OrganizationalUnit).toEqual({
      Id: "ou-a1b2-prod0001", Arn: `arn:aws:organizations::${MANAGEMENT}:ou/o-a1b2c3d4e5/ou-a1b2-prod0001`, Name: "Prod",
    });
    expect(await failure(inv.call(MANAGEMENT, "DescribeOrganizationalUnit", { OrganizationalUnitId: "constructor" }))).toMatchObject({ code: "OrganizationalUnitNotFoundException", httpStatus: 404 });
    expect(await failure(inv.call(MANAGEMENT, "DescribeAccount", { AccountId: "constructor" }))).toMatchObject({ code: "AccountNotFoundException" });
    expect(await failure(inv.call(MANAGEMENT, "DescribePolicy", { PolicyId: "constructor" }))).toMatchObject({ code: "PolicyNotFoundException" });
  });
});
