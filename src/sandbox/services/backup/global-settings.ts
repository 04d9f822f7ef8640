// AWS Backup global settings: DescribeGlobalSettings and UpdateGlobalSettings (BEHAVIOUR.md §2.15–2.16).
// The settings are organization-wide and kept on the management account; only it may change them. Changes go
// through the Eventual history so that copy jobs see the older value for the consistency delay [X2].
import type { OperationContext, OperationHandler } from "../../service.js";
import { accountState, setEventual } from "../../world.js";
import { BackupErrorCode, invalidParameter, invalidRequest, missingParameter } from "./errors.js";

/** The flags current AWS documents; keys the model's documentation predates are accepted too. */
export const GLOBAL_SETTING_KEYS = ["isCrossAccountBackupEnabled", "isMpaEnabled", "isDelegatedAdministratorEnabled"];

function organizationOf(ctx: OperationContext): { managementAccountId: string } {
  const org = ctx.world.org;
  const member = ctx.caller.accountId === org.managementAccountId || org.accounts[ctx.caller.accountId] !== undefined;
  if (!member) {
    throw invalidRequest("Your account is not a member of an organization.", { Code: BackupErrorCode.notInOrganization });
  }
  return { managementAccountId: org.managementAccountId };
}

const describeGlobalSettings: OperationHandler = (ctx) => {
  const { managementAccountId } = organizationOf(ctx);
  const backup = accountState(ctx.world, managementAccountId, ctx.now).backup;
  return {
    GlobalSettings: { ...backup.globalSettings.current },
    ...(backup.globalSettingsUpdatedAt !== undefined ? { LastUpdateTime: new Date(backup.globalSettingsUpdatedAt) } : {}),
  };
};

const updateGlobalSettings: OperationHandler = (ctx, input) => {
  const { managementAccountId } = organizationOf(ctx);
  if (ctx.caller.accountId !== managementAccountId) {
    throw invalidRequest(
      `Account ${ctx.caller.accountId} is not the management account of the organization; only the management account (${managementAccountId}) can update global settings.`,
    );
  }
  const given = input.GlobalSettings;
  if (given === undefined || given === null) throw missingParameter("GlobalSettings");
  if (typeof given !== "object" || Array.isArray(given) || Object.keys(given).length === 0) {
    throw invalidParameter("GlobalSettings must name at least one setting, for example isCrossAccountBackupEnabled.", { Context: "GlobalSettings" });
  }
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    if (!GLOBAL_SETTING_KEYS.includes(key)) {
      throw invalidParameter(`Unknown global setting ${key}; the settings are ${GLOBAL_SETTING_KEYS.join(", ")}.`, { Context: key });
    }
    if (value !== "true" && value !== "false") throw invalidParameter(`Global setting ${key} must be "true" or "false"; got ${JSON.stringify(value)}.`, { Context: key });
  }
  const backup = accountState(ctx.world, managementAccountId, ctx.now).backup;
  setEventual(backup.globalSettings, { ...backup.globalSettings.current, ...(given as Record<string, string>) }, ctx.now);
  backup.globalSettingsUpdatedAt = ctx.now;
};

export const globalSettingsOperations: Record<string, OperationHandler> = {
  DescribeGlobalSettings: describeGlobalSettings,
  UpdateGlobalSettings: updateGlobalSettings,
};
