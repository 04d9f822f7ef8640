// Trusted access (EnableAWSServiceAccess and friends) and delegated administrators. Trusted access changes go
// through the eventual value so copy jobs see them only after the consistency delay [X2].
import type { OperationHandler } from "../../service.js";
import type { OrgState } from "./state.js";
import { setEventual } from "../../world.js";
import { accountSummary } from "./entities.js";
import { orgError, orgForManagement, orgForReader, requireAllFeatures } from "./errors.js";
import { own } from "./state.js";
import { orgPage } from "./structure.js";

/** AWS knows its own principals; the sandbox recognises any `{service}.amazonaws.com` name [I]. */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

function principalOf(value: unknown): string {
  const principal = String(value ?? "");
  if (!SERVICE_PRINCIPAL.test(principal)) throw orgError("InvalidInputException", `You specified a service principal that isn't recognized: ${principal}.`, "UNRECOGNIZED_SERVICE_PRINCIPAL");
  return principal;
}

function requireTrustFeatures(org: OrgState): void {
  requireAllFeatures(org, "ConstraintViolationException", "The organization must have all features enabled to use trusted access.", "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE");
}

/** The AWS Backup console allows up to 5 delegated administrators; other services differ, the sandbox uses 5 [D]. */
const MAX_DELEGATED_ADMINISTRATORS = 5;

export const serviceAccessOperations: Record<string, OperationHandler> = {
  EnableAWSServiceAccess(ctx, input) {
    const org = orgForManagement(ctx);
    const principal = principalOf(input.ServicePrincipal);
    requireTrustFeatures(org);
    // Enabling an enabled principal succeeds and keeps the original date [I].
    if (org.serviceAccess.current[principal] !== undefined) return;
    setEventual(org.serviceAccess, { ...org.serviceAccess.current, [principal]: ctx.now }, ctx.now);
  },

  DisableAWSServiceAccess(ctx, input) {
    const org = orgForManagement(ctx);
    const principal = principalOf(input.ServicePrincipal);
    requireTrustFeatures(org);
    if (org.serviceAccess.current[principal] === undefined) return;
    const next = { ...org.serviceAccess.current };
    delete next[principal];
    setEventual(org.serviceAccess, next, ctx.now);
  },

  ListAWSServiceAccessForOrganization(ctx, input) {
    const org = orgForReader(ctx);
    const all = Object.entries(org.serviceAccess.current).map(([ServicePrincipal, at]) => ({ ServicePrincipal, DateEnabled: new Date(at) }));
    const page = orgPage(all, input);
    return { EnabledServicePrincipals: page.items, NextToken: page.nextToken };
  },

  RegisterDelegatedAdministrator(ctx, input) {
    const org = orgForManagement(ctx);
    const principal = principalOf(input.ServicePrincipal);
    const accountId = String(input.AccountId ?? "");
    const account = own(org.accounts, accountId);
    if (!account) throw orgError("AccountNotFoundException", "We can't find an AWS account with the AccountId that you specified.");
    if (accountId === org.managementAccountId) {
      throw orgError("ConstraintViolationException", "You can't register the management account of the organization as a delegated administrator.", "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR");
    }
    if (account.status === "SUSPENDED") throw orgError("ConstraintViolationException", "You cannot register a suspended account as a delegated administrator.", "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR");
    if (org.serviceAccess.current[principal] === undefined) {
      throw orgError("ConstraintViolationException", `You attempted to register a delegated administrator before you enabled service access for ${principal}. Call EnableAWSServiceAccess first.`, "SERVICE_ACCESS_NOT_ENABLED");
    }
    const admins = (org.delegatedAdministrators ??= {});
    if (own(admins, accountId)?.[principal] !== undefined) throw orgError("AccountAlreadyRegisteredException", "The specified account is already a delegated administrator for this AWS service.");
    if (Object.values(admins).filter((services) => services[principal] !== undefined).length >= MAX_DELEGATED_ADMINISTRATORS) {
      throw orgError("ConstraintViolationException", "You attempted to register more delegated administrators than allowed for the service principal.", "MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED");
    }
    (admins[accountId] ??= {})[principal] = ctx.now;
  },

  DeregisterDelegatedAdministrator(ctx, input) {
    const org = orgForManagement(ctx);
    const principal = principalOf(input.ServicePrincipal);
    const accountId = String(input.AccountId ?? "");
    if (!own(org.accounts, accountId)) throw orgError("AccountNotFoundException", "We can't find an AWS account with the AccountId that you specified.");
    const services = own(org.delegatedAdministrators, accountId);
    if (services?.[principal] === undefined) throw orgError("AccountNotRegisteredException", "The specified account is not a delegated administrator for this AWS service.");
    delete services[principal];
    if (Object.keys(services).length === 0) delete org.delegatedAdministrators![accountId];
  },

  ListDelegatedServicesForAccount(ctx, input) {
    const org = orgForReader(ctx);
    const accountId = String(input.AccountId ?? "");
    if (!own(org.accounts, accountId)) throw orgError("AccountNotFoundException", "We can't find an AWS account with the AccountId that you specified.");
    const services = own(org.delegatedAdministrators, accountId);
    if (!services || Object.keys(services).length === 0) throw orgError("AccountNotRegisteredException", "The specified account is not a delegated administrator for any AWS service.");
    const page = orgPage(Object.entries(services).map(([ServicePrincipal, at]) => ({ ServicePrincipal, DelegationEnabledDate: new Date(at) })), input);
    return { DelegatedServices: page.items, NextToken: page.nextToken };
  },

  ListDelegatedAdministrators(ctx, input) {
    const org = orgForReader(ctx);
    const filter = input.ServicePrincipal === undefined ? undefined : principalOf(input.ServicePrincipal);
    const all = Object.entries(org.delegatedAdministrators ?? {})
      .filter(([id, services]) => org.accounts[id] && (filter === undefined ? Object.keys(services).length > 0 : services[filter] !== undefined))
      .map(([id, services]) => {
        const dates = filter === undefined ? Object.values(services) : [services[filter]!];
        return { ...accountSummary(org, org.accounts[id]!), DelegationEnabledDate: new Date(Math.min(...dates)) };
      });
    const page = orgPage(all, input);
    return { DelegatedAdministrators: page.items, NextToken: page.nextToken };
  },
};
