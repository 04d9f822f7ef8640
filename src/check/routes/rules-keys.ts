// The keys of a route: the destination vault exists and, across accounts, is encrypted with an enabled customer
// managed key [S3]; the key protecting the source recovery points (the source vault's for the types Backup
// fully manages; the sandbox and this check assume the same key for the others) and each `share_keys` key let
// the destination account use them [S5]; and types Backup does not fully manage never cross accounts under an
// AWS managed key [C3].
import { evaluateRequest } from "../policy/index.js";
import { AWS_MANAGED_BACKUP_KEY } from "../../model/attributes.js";
import { destinationVault, documentOf, evaluated, fail, keyOf, ok, sourceVault, statementName, unknown, vaultName, type RouteContext, type RuleOutcome } from "./outcome.js";
import { familiesToCheck, type ResourceFamily } from "./resource-types.js";
import { keyUseRequests } from "./requests.js";
import type { WorldKey } from "./types.js";

const READ_FIX = "Give crossvault read access to the account (its role or profile) and check again.";

/** [S3] (and, for a copy within one account, only that the destination exists). */
export function checkDestinationVault(ctx: RouteContext): RuleOutcome[] {
  const d = ctx.route.destination;
  if (!d) {
    return [fail({ rule: "S3", message: `the destination ${ctx.route.destinationArn} is not a backup vault ARN`, fix: "Use arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME." })];
  }
  if (ctx.crossAccount && d.vault === "Default") return []; // [X1] says why
  const vault = destinationVault(ctx);
  if (!vault.ok) return [unknown("S3", `the destination vault ${vaultName({ ...d, name: d.vault })} could not be read (${vault.reason})`, READ_FIX)];
  if (vault.value === null) {
    return [fail({
      rule: "S3",
      message: `the destination vault ${vaultName({ ...d, name: d.vault })} does not exist`,
      fix: `Declare the vault (vault "${d.vault}" { account = ..., kms_key = ... }) or create it in account ${d.accountId} before copying into it.`,
    })];
  }
  if (!ctx.crossAccount) return [ok("S3")];
  const v = vault.value;
  const where = v.address ?? `vault ${vaultName(v)}`;
  const cmkFix = `Encrypt ${where} with a customer managed KMS key (kms_key = kms_key.NAME; the vault is replaced, so copy into a new vault if this one holds recovery points).`;
  if (v.keyRef === AWS_MANAGED_BACKUP_KEY) {
    return [fail({ rule: "S3", policy: where, message: `${where} is encrypted with the AWS managed key aws/backup, which cannot be shared with other accounts`, fix: cmkFix })];
  }
  const key = keyOf(ctx.world, v.keyRef);
  if (!key.ok) return [unknown("S3", `the key ${v.keyRef} of ${where} could not be read (${key.reason})`, READ_FIX)];
  if (key.value === null) return [fail({ rule: "S3", policy: where, message: `the key ${v.keyRef} of ${where} does not exist`, fix: cmkFix })];
  if (key.value.manager === "AWS") return [fail({ rule: "S3", policy: where, message: `${where} is encrypted with the AWS managed key ${key.value.arn}, which cannot be shared with other accounts`, fix: cmkFix })];
  if (key.value.state !== "Enabled") {
    return [fail({ rule: "S3", policy: key.value.address ?? key.value.arn, message: `the key ${key.value.arn} of ${where} is ${key.value.state}`, fix: "Enable the key (or cancel its deletion), or give the vault another customer managed key." })];
  }
  return [ok("S3")];
}

function keyLabel(key: WorldKey): string {
  return `key policy of ${key.address ?? key.arn}`;
}

/** [S5] One key against the destination account, for each service that uses it on the destination's behalf. */
function keyShared(ctx: RouteContext, key: WorldKey, families: ResourceFamily[], what: string): RuleOutcome {
  const destination = ctx.route.destination!.accountId;
  const share = key.shares[destination];
  const shareFix = share
    ? `Run \`crossvault apply\`: ${share} writes the statements that let account ${destination} use the key.`
    : `Share the key with account ${destination}: its policy must allow kms:DescribeKey, kms:Decrypt and kms:CreateGrant (for AWS resources) to arn:aws:iam::${destination}:root; crossvault writes these statements for the keys of declared source vaults and for share_keys.`;
  if (key.state !== "Enabled") {
    return fail({ rule: "S5", policy: key.address ?? key.arn, message: `${what} (${key.arn}) is ${key.state}: the destination account cannot use it`, fix: "Enable the key (or cancel its deletion)." });
  }
  const label = keyLabel(key);
  const services = new Map(families.map((f) => [f.keyService, f]));
  let allow: RuleOutcome["allow"];
  for (const family of services.values()) {
    for (const request of keyUseRequests(ctx.world, destination, key.arn, ctx.route.source.region, family)) {
      const result = evaluated(() => evaluateRequest({ request, resourceAccountId: key.accountId, identity: null, resource: [{ label, document: documentOf(key.policy ?? []) }] }));
      if ("error" in result) return unknown("S5", `${label} cannot be evaluated: ${result.error}`, "Fix the key policy, or check the route by hand.", label);
      const decision = result.value;
      if (decision.decision === "allow") {
        allow ??= decision.deciding ? { policy: share ?? label, statement: statementName(decision.deciding) } : undefined;
        continue;
      }
      if (decision.decision === "explicit-deny" && decision.deciding) {
        return fail({
          rule: "S5", policy: label, statement: statementName(decision.deciding),
          message: `${label} denies ${request.action} to account ${destination}: ${what} cannot be used for the copy`,
          fix: `Remove or narrow the denying statement so account ${destination} may use the key.`,
        });
      }
      return fail({
        rule: "S5", policy: share ?? label,
        message: `${label} does not allow account ${destination} to use ${request.action}: ${what} is not shared with the destination`,
        fix: shareFix,
      });
    }
  }
  return ok("S5", allow);
}

/** [S5] and [C3] for the source key and each share_keys key. */
export function checkSourceKeys(ctx: RouteContext): RuleOutcome[] {
  if (!ctx.crossAccount) return [];
  const { route, carried } = ctx;
  const destination = route.destination!.accountId;
  const source = sourceVault(ctx);
  const where = vaultName({ ...route.source, name: route.source.vault });
  if (!source.ok) return [unknown("S5", `the source vault ${where} could not be read (${source.reason})`, READ_FIX)];
  if (source.value === null) {
    return [fail({ rule: "S6", message: `the source vault ${where} does not exist: rule ${route.rule} backs up into it`, fix: `Declare the vault, or create vault ${route.source.vault} in account ${route.source.accountId} (${route.source.region}).` })];
  }
  const out: RuleOutcome[] = [];
  const families = familiesToCheck(carried);
  const notFullyManaged = carried.families.filter((f) => !f.fullyManaged).map((f) => f.type);
  const vaultLabel = source.value.address ?? `vault ${where}`;
  const ref = source.value.keyRef;
  const key = ref === AWS_MANAGED_BACKUP_KEY ? ({ ok: true, value: { manager: "AWS" as const } } as const) : keyOf(ctx.world, ref);
  if (!key.ok) out.push(unknown("S5", `the key ${ref} of ${vaultLabel} could not be read (${key.reason})`, READ_FIX));
  else if (key.value === null) out.push(fail({ rule: "S5", policy: vaultLabel, message: `the key ${ref} of ${vaultLabel} does not exist`, fix: `Give ${vaultLabel} an existing customer managed key.` }));
  else if (key.value.manager === "AWS") {
    if (notFullyManaged.length > 0) {
      out.push(fail({
        rule: "C3", policy: vaultLabel,
        message: `${vaultLabel} is encrypted with an AWS managed key and the route carries ${notFullyManaged.join(", ")}, which AWS Backup does not fully manage: cross-account copies of those types under an AWS managed key are not supported`,
        fix: `Encrypt the source with a customer managed key (kms_key on ${vaultLabel}, and the resources' own keys via share_keys), or copy only fully managed types (S3, EFS, DynamoDB with advanced backup).`,
      }));
    } else out.push(ok("C3"));
  } else if (key.value.accountId !== destination) {
    out.push(keyShared(ctx, key.value as WorldKey, families, `the key of ${vaultLabel}`));
  }

  for (const shareRef of route.shareKeys) {
    const shared = keyOf(ctx.world, shareRef);
    if (!shared.ok) out.push(unknown("S5", `share_keys key ${shareRef} could not be read (${shared.reason})`, READ_FIX));
    else if (shared.value === null) out.push(fail({ rule: "S5", message: `share_keys key ${shareRef} does not exist`, fix: "Name an existing key in share_keys." }));
    else if (shared.value.manager === "AWS") {
      out.push(fail({ rule: "C3", policy: shared.value.arn, message: `share_keys key ${shared.value.arn} is an AWS managed key: its policy cannot be changed, so it can never be shared with account ${destination}`, fix: "Re-encrypt those resources with a customer managed key and list that key in share_keys." }));
    } else if (shared.value.accountId !== destination) {
      out.push(keyShared(ctx, shared.value, families, `share_keys key ${shared.value.arn}`));
    }
  }
  return out;
}
