import { describe, expect, it } from "vitest";
import { accountState, valueAt } from "../../world.js";
import { MANAGEMENT, OUTSIDER, PROD, T0, sandboxCaller } from "./resource-test-context.js";

describe("global settings", () => {
  it("the management account turns cross-account backup on; every member reads the organization's value", () => {
    const c = sandboxCaller();
    const before = c.as(PROD).call("DescribeGlobalSettings");
    expect(before.GlobalSettings.isCrossAccountBackupEnabled).toBe("false");
    expect(before.LastUpdateTime).toBeUndefined();
    c.as(MANAGEMENT).at(T0 + 5000).call("UpdateGlobalSettings", { GlobalSettings: { isCrossAccountBackupEnabled: "true" } });
    const after = c.as(PROD).call("DescribeGlobalSettings");
    expect(after).toEqual({ GlobalSettings: { isCrossAccountBackupEnabled: "true", isMpaEnabled: "false", isDelegatedAdministratorEnabled: "false" }, LastUpdateTime: new Date(T0 + 5000) });
  });

  it("keeps the history so copy jobs can read the value as it was before the change [X2]", () => {
    const c = sandboxCaller();
    c.as(MANAGEMENT).at(T0 + 1000).call("UpdateGlobalSettings", { GlobalSettings: { isCrossAccountBackupEnabled: "true" } });
    c.as(MANAGEMENT).at(T0 + 9000).call("UpdateGlobalSettings", { GlobalSettings: { isCrossAccountBackupEnabled: "false" } });
    const settings = accountState(c.world, MANAGEMENT, T0).backup.globalSettings;
    expect(valueAt(settings, T0 + 500).isCrossAccountBackupEnabled).toBe("false");
    expect(valueAt(settings, T0 + 5000).isCrossAccountBackupEnabled).toBe("true");
    expect(valueAt(settings, T0 + 9000).isCrossAccountBackupEnabled).toBe("false");
    expect(settings.current.isCrossAccountBackupEnabled).toBe("false");
  });

  it("a member account may not update them; an outside account gets ERROR_9601 for both calls", () => {
    const c = sandboxCaller();
    const e = c.as(PROD).fail("UpdateGlobalSettings", { GlobalSettings: { isCrossAccountBackupEnabled: "true" } });
    expect(e.code).toBe("InvalidRequestException");
    expect(c.as(PROD).call("DescribeGlobalSettings").GlobalSettings.isCrossAccountBackupEnabled).toBe("false");
    for (const op of ["DescribeGlobalSettings", "UpdateGlobalSettings"]) {
      const out = c.as(OUTSIDER).fail(op, { GlobalSettings: { isCrossAccountBackupEnabled: "true" } });
      expect(out.code).toBe("InvalidRequestException");
      expect(out.message).toBe("Your account is not a member of an organization.");
      expect(out.fields.Code).toBe("ERROR_9601");
    }
  });

  it("validates the settings", () => {
    const m = sandboxCaller().as(MANAGEMENT);
    expect(m.fail("UpdateGlobalSettings", {}).code).toBe("MissingParameterValueException");
    for (const bad of [{}, { isCrossAccountBackupEnabled: "yes" }, { somethingElse: "true" }]) {
      expect(m.fail("UpdateGlobalSettings", { GlobalSettings: bad }).code, JSON.stringify(bad)).toBe("InvalidParameterValueException");
    }
    expect(m.call("DescribeGlobalSettings").LastUpdateTime).toBeUndefined();
  });
});
