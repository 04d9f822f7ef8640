// Writing the organization settings [S2] from the management account: trusted access for AWS Backup and the
// cross-account backup setting. They are turned off only when the config asks for it (enabled = false); a
// delete (the declaration removed, or destroy) leaves them as they are and says so, since other stacks and
// copy jobs may rely on them.
import { UpdateGlobalSettingsCommand } from "@aws-sdk/client-backup";
import { DisableAWSServiceAccessCommand, EnableAWSServiceAccessCommand } from "@aws-sdk/client-organizations";
import type { Attributes } from "../../model/resource.js";
import { trustNotYetActive } from "./propagation.js";
import { BACKUP_SERVICE_PRINCIPAL } from "./read-org.js";
import { str } from "./write-context.js";
import type { ApplyResult, Write } from "./write-context.js";

export async function writeOrgTrust(w: Write, after: Attributes): Promise<ApplyResult> {
  const principal = str(after.service_principal) || BACKUP_SERVICE_PRINCIPAL;
  const org = w.pool.organizations();
  if (after.enabled === false) await org.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: principal }));
  else await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal }));
  return { id: principal, attributes: after };
}

export async function writeCrossAccountSetting(w: Write, after: Attributes): Promise<ApplyResult> {
  const enabled = after.enabled !== false;
  const backup = w.pool.backup(w.change.accountId, w.change.region);
  // Right after trusted access is enabled, the setting may be refused for a while.
  await w.wait(() => backup.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: String(enabled) } })), trustNotYetActive);
  return { id: "isCrossAccountBackupEnabled", attributes: after };
}

export function leaveOrgSetting(w: Write): ApplyResult {
  const what = w.change.type === "org_trust" ? "trusted access for AWS Backup" : "the cross-account backup setting";
  w.ctx.notify({ type: "warning", message: `${w.address}: ${what} is left on (it is turned off only when the configuration says enabled = false)` });
  return {};
}
