// The organization's side of a cross-account copy: both accounts in the organization [S1], trusted access for
// AWS Backup and the cross-account backup setting of the management account [S2], and a destination that is
// not the Default vault [X1] (its AWS managed key cannot be shared).
import { isMember } from "../../model/org.js";
import { fail, ok, unknown, type RouteContext, type RuleOutcome } from "./outcome.js";

const ORG_FIX = "Declare `organization { cross_account_backup = true }` and run `crossvault apply` (it needs the management account's credentials), or turn it on from the management account: AWS Backup console, Settings, Cross-account backup.";

export function checkMembership(ctx: RouteContext): RuleOutcome[] {
  if (!ctx.crossAccount) return [];
  const { org } = ctx.world;
  if (!org) return [unknown("S1", "the organization could not be read", "Give crossvault the management account's credentials and check again.")];
  const out: RuleOutcome[] = [];
  const ends: Array<[string, string]> = [["source", ctx.route.source.accountId], ["destination", ctx.route.destination!.accountId]];
  for (const [role, accountId] of ends) {
    if (isMember(org, accountId)) continue;
    out.push(fail({
      rule: "S1",
      message: `the ${role} account ${accountId} is not a member of organization ${org.organizationId}: both accounts of a cross-account copy must be in the same organization`,
      fix: role === "destination"
        ? `Copy into a vault of an account of ${org.organizationId}, or invite account ${accountId} into the organization.`
        : `Invite account ${accountId} into organization ${org.organizationId}, or back it up within its own account.`,
    }));
  }
  return out.length > 0 ? out : [ok("S1")];
}

export function checkOrganizationSettings(ctx: RouteContext): RuleOutcome[] {
  if (!ctx.crossAccount) return [];
  const { settings, org } = ctx.world;
  if (!settings.ok) return [unknown("S2", `trusted access and the cross-account backup setting could not be read (${settings.reason})`, "Give crossvault the management account's credentials and check again.")];
  const orgId = org?.organizationId ?? "the organization";
  const out: RuleOutcome[] = [];
  if (!settings.value.trustedAccess) {
    out.push(fail({ rule: "S2", policy: "org_trust", message: `trusted access for AWS Backup (backup.amazonaws.com) is not enabled in ${orgId}`, fix: ORG_FIX }));
  }
  if (!settings.value.crossAccountBackup) {
    out.push(fail({
      rule: "S2", policy: "cross_account_setting",
      message: `cross-account backup (isCrossAccountBackupEnabled) is off in the AWS Backup settings of management account ${org?.managementAccountId ?? "?"}`,
      fix: ORG_FIX,
    }));
  }
  return out.length > 0 ? out : [ok("S2")];
}

export function checkNotDefault(ctx: RouteContext): RuleOutcome[] {
  if (!ctx.crossAccount) return [];
  if (ctx.route.destination!.vault !== "Default") return [ok("X1")];
  return [fail({
    rule: "X1",
    message: `the destination ${ctx.route.destinationArn} is a Default vault: it is encrypted with an AWS managed key that cannot be shared, so it never receives cross-account copies`,
    fix: "Copy into a vault encrypted with a customer managed KMS key (declare a vault with kms_key and copy { to = vault.NAME }).",
  })];
}
