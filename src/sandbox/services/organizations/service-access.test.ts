import { describe, expect, it } from "vitest";
import { valueAt } from "../../world.js";
import { organizationsService } from "./index.js";
import { failure, invoker, MANAGEMENT, PROD, T0 } from "./test-world.js";

describe("trusted access", () => {
  it("records enabling and disabling as eventual changes", async () => {
    const inv = invoker(organizationsService);
    inv.now = T0 + 1000;
    await inv.call(MANAGEMENT, "EnableAWSServiceAccess", { ServicePrincipal: "backup.amazonaws.com" });
    inv.now = T0 + 5000;
    await inv.call(MANAGEMENT, "EnableAWSServiceAccess", { ServicePrincipal: "backup.amazonaws.com" });
    const listed = await inv.call(MANAGEMENT, "ListAWSServiceAccessForOrganization");
    expect(listed.EnabledServicePrincipals).toEqual([{ ServicePrincipal: "backup.amazonaws.com", DateEnabled: new Date(T0 + 1000) }]);
    inv.now = T0 + 9000;
    await inv.call(MANAGEMENT, "DisableAWSServiceAccess", { ServicePrincipal: "backup.amazonaws.com" });
    const access = inv.world.org.serviceAccess;
    expect(valueAt(access, T0 + 500)).toEqual({});
    expect(valueAt(access, T0 + 8000)).toEqual({ "backup.amazonaws.com": T0 + 1000 });
    expect(access.current).toEqual({});
  });

  it("is management-only and knows service principals", async () => {
    const inv = invoker(organizationsService);
    expect(await failure(inv.call(PROD, "EnableAWSServiceAccess", { ServicePrincipal: "backup.amazonaws.com" }))).toMatchObject({ code: "AccessDeniedException" });
    expect(await failure(inv.call(MANAGEMENT, "EnableAWSServiceAccess", { ServicePrincipal: "backup" }))).toMatchObject({ code: "InvalidInputException", fields: { Reason: "UNRECOGNIZED_SERVICE_PRINCIPAL" } });
  });

  it("registers delegated administrators only with trusted access, and lists them", async () => {
    const inv = invoker(organizationsService);
    const register = () => inv.call(MANAGEMENT, "RegisterDelegatedAdministrator", { AccountId: PROD, ServicePrincipal: "backup.amazonaws.com" });
    expect(await failure(register())).toMatchObject({ code: "ConstraintViolationException", fields: { Reason: "SERVICE_ACCESS_NOT_ENABLED" } });
    await inv.call(MANAGEMENT, "EnableAWSServiceAccess", { ServicePrincipal: "backup.amazonaws.com" });
    await register();
    expect(await failure(register())).toMatchObject({ code: "AccountAlreadyRegisteredException" });
    const listed = await inv.call(PROD, "ListDelegatedAdministrators", { ServicePrincipal: "backup.amazonaws.com" });
    expect(listed.DelegatedAdministrators).toMatchObject([{ Id: PROD, Name: "prod" }]);
    await inv.call(MANAGEMENT, "DeregisterDelegatedAdministrator", { AccountId: PROD, ServicePrincipal: "backup.amazonaws.com" });
    expect(await failure(inv.call(PROD, "ListAccounts"))).toMatchObject({ code: "AccessDeniedException" });
  });
});
