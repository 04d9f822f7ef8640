// Organizations errors: the modelled shapes with their @httpError status, and the access rules every
// operation starts with (who may call what, [M] §3.0 of the behaviour sheet).
import type { OperationContext } from "../../service.js";
import type { OrgState } from "./state.js";
import { ServiceError } from "../../service.js";
import { own, seedOrgPolicies } from "./state.js";

const STATUS: Record<string, number> = {
  AWSOrganizationsNotInUseException: 404,
  AccessDeniedException: 403,
  AccountAlreadyRegisteredException: 409,
  AccountNotFoundException: 404,
  AccountNotRegisteredException: 409,
  ChildNotFoundException: 404,
  ConstraintViolationException: 409,
  DuplicatePolicyAttachmentException: 409,
  DuplicatePolicyException: 409,
  InvalidInputException: 400,
  MalformedPolicyDocumentException: 400,
  OrganizationalUnitNotFoundException: 404,
  ParentNotFoundException: 404,
  PolicyInUseException: 409,
  PolicyNotAttachedException: 409,
  PolicyNotFoundException: 404,
  PolicyTypeAlreadyEnabledException: 409,
  PolicyTypeNotAvailableForOrganizationException: 409,
  PolicyTypeNotEnabledException: 409,
  RootNotFoundException: 404,
  TargetNotFoundException: 404,
};

/** Organizations error shapes carry `Message` (and `Reason` on a few); the protocol layer puts `message` there. */
export function orgError(code: string, message: string, reason?: string): ServiceError {
  return new ServiceError(code, message, STATUS[code] ?? 400, reason ? { Reason: reason } : {});
}

function notInUse(): ServiceError {
  return orgError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
}

function accessDenied(): ServiceError {
  return orgError("AccessDeniedException", "You don't have permissions to access this resource.");
}

/** Any account of the organization (DescribeOrganization). */
export function orgOfMember(ctx: OperationContext): OrgState {
  const org = ctx.world.org;
  if (!own(org.accounts, ctx.caller.accountId)) throw notInUse();
  seedOrgPolicies(org);
  return org;
}

/** The management account, or a member that is a delegated administrator for some service (read operations). */
export function orgForReader(ctx: OperationContext): OrgState {
  const org = orgOfMember(ctx);
  const account = ctx.caller.accountId;
  if (account === org.managementAccountId) return org;
  if (Object.keys(own(org.delegatedAdministrators, account) ?? {}).length > 0) return org;
  throw accessDenied();
}

/** The management account only (every write). */
export function orgForManagement(ctx: OperationContext): OrgState {
  const org = orgOfMember(ctx);
  if (ctx.caller.accountId !== org.managementAccountId) throw accessDenied();
  return org;
}

/** Features that need an organization with all features enabled (SCPs, trusted access). */
export function requireAllFeatures(org: OrgState, code: string, message: string, reason?: string): void {
  if ((org.featureSet ?? "ALL") !== "ALL") throw orgError(code, message, reason);
}
