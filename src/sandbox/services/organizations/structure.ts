// Read operations over the organization's structure: the organization, its root, OUs, accounts and parents.
import type { OperationHandler } from "../../service.js";
import { paginate, type Page } from "../../paging.js";
import { ServiceError } from "../../service.js";
import { accountSummary, ouSummary, rootSummary, accountArn } from "./entities.js";
import { orgError, orgForReader, orgOfMember } from "./errors.js";
import { own } from "./state.js";

/** Organizations pages hold at most 20 entries (the model's MaxResults range); a bad token is INVALID_NEXT_TOKEN. */
export function orgPage<T>(all: readonly T[], input: Record<string, any>): Page<T> {
  try {
    return paginate(all, input.NextToken, input.MaxResults, 20);
  } catch (e) {
    if (e instanceof ServiceError) throw orgError("InvalidInputException", "The requested operation failed because you provided invalid values for one or more of the request parameters: the NextToken is not valid.", "INVALID_NEXT_TOKEN");
    throw e;
  }
}

function parentOrThrow(org: ReturnType<typeof orgForReader>, parentId: unknown): string {
  const id = String(parentId ?? "");
  if (id !== org.rootId && !own(org.ous, id)) throw orgError("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
  return id;
}

export const structureOperations: Record<string, OperationHandler> = {
  DescribeOrganization(ctx) {
    const org = orgOfMember(ctx);
    const management = org.accounts[org.managementAccountId];
    return {
      Organization: {
        Id: org.organizationId,
        Arn: org.arn,
        FeatureSet: org.featureSet ?? "ALL",
        MasterAccountArn: accountArn(org, org.managementAccountId),
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: management?.email,
        // Deprecated in the model: lists only SCPs, and only when enabled.
        AvailablePolicyTypes: org.enabledPolicyTypes.filter((t) => t === "SERVICE_CONTROL_POLICY").map((Type) => ({ Type, Status: "ENABLED" })),
      },
    };
  },

  DescribeAccount(ctx, input) {
    const org = orgForReader(ctx);
    const account = own(org.accounts, String(input.AccountId ?? ""));
    if (!account) throw orgError("AccountNotFoundException", "We can't find an AWS account with the AccountId that you specified, or the account whose credentials you used to make this request isn't a member of an organization.");
    return { Account: accountSummary(org, account) };
  },

  ListAccounts(ctx, input) {
    const org = orgForReader(ctx);
    const page = orgPage(Object.values(org.accounts), input);
    return { Accounts: page.items.map((a) => accountSummary(org, a)), NextToken: page.nextToken };
  },

  ListRoots(ctx, input) {
    const org = orgForReader(ctx);
    const page = orgPage([org.rootId], input);
    return { Roots: page.items.map(() => rootSummary(org)), NextToken: page.nextToken };
  },

  ListOrganizationalUnitsForParent(ctx, input) {
    const org = orgForReader(ctx);
    const parentId = parentOrThrow(org, input.ParentId);
    const page = orgPage(Object.values(org.ous).filter((ou) => ou.parentId === parentId), input);
    return { OrganizationalUnits: page.items.map((ou) => ouSummary(org, ou)), NextToken: page.nextToken };
  },

  ListAccountsForParent(ctx, input) {
    const org = orgForReader(ctx);
    const parentId = parentOrThrow(org, input.ParentId);
    const page = orgPage(Object.values(org.accounts).filter((a) => a.parentId === parentId), input);
    return { Accounts: page.items.map((a) => accountSummary(org, a)), NextToken: page.nextToken };
  },

  ListChildren(ctx, input) {
    const org = orgForReader(ctx);
    const parentId = parentOrThrow(org, input.ParentId);
    const type = input.ChildType === "ACCOUNT" || input.ChildType === "ORGANIZATIONAL_UNIT" ? input.ChildType : undefined;
    if (!type) throw orgError("InvalidInputException", `You specified an invalid value for ChildType: ${String(input.ChildType)}.`, "INVALID_ENUM");
    const ids = type === "ACCOUNT"
      ? Object.values(org.accounts).filter((a) => a.parentId === parentId).map((a) => a.id)
      : Object.values(org.ous).filter((ou) => ou.parentId === parentId).map((ou) => ou.id);
    const page = orgPage(ids, input);
    return { Children: page.items.map((Id) => ({ Id, Type: type })), NextToken: page.nextToken };
  },

  DescribeOrganizationalUnit(ctx, input) {
    const org = orgForReader(ctx);
    const ou = own(org.ous, String(input.OrganizationalUnitId ?? ""));
    if (!ou) throw orgError("OrganizationalUnitNotFoundException", "We can't find an OU with the OrganizationalUnitId that you specified.");
    return { OrganizationalUnit: ouSummary(org, ou) };
  },

  ListParents(ctx, input) {
    const org = orgForReader(ctx);
    const childId = String(input.ChildId ?? "");
    const parentId = own(org.accounts, childId)?.parentId ?? own(org.ous, childId)?.parentId;
    if (parentId === undefined) throw orgError("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
    const page = orgPage([parentId], input);
    return { Parents: page.items.map((Id) => ({ Id, Type: Id === org.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT" })), NextToken: page.nextToken };
  },
};
