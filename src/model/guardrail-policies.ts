// The service control policies of the four guardrail kinds, in the seed's forms ([G1] [G2] [G3] [X3], §6.5 of
// the behaviour sheet), built in normal form (policy-normal.ts), and how to recognise a kind from a document
// read back from AWS. Pure: derive builds them, the reader recognises them, the route check evaluates them.
//
// Least privilege: each policy denies one action, on every resource, under the seed's condition. Two choices
// differ from the documentation's examples, on purpose:
// - [G2] and [G3] use `ForAnyValue:ArnNotLike` / `ForAnyValue:StringNotLike` where the examples have
//   `ForAllValues:`. With ForAllValues a request whose list (backup:CopyTargets, backup:CopyTargetOrgPaths)
//   mixes an allowed target and a foreign one is not denied (not *every* target is outside); ForAnyValue
//   denies as soon as *one* is. (ForAllValues would also deny a request without the key, such as a target
//   with no org path; a destination outside the organization is refused by AWS anyway [S1].)
// - [G2] denies on Resource "*" where the example names EC2 snapshots (`arn:aws:ec2:*:*:snapshot/*`): the
//   resource of CopyFromBackupVault is the recovery point, and only EBS/EC2 recovery points are snapshots, so
//   the example leaves the copies of every other resource type unrestricted.
import type { GuardrailKind } from "../config/model.js";
import type { PolicyStatement, ScpDocument } from "./attributes.js";
import { normalizePolicyDocument, sortedSet } from "./policy-normal.js";

/** The Sid of each kind's statement: names the deciding statement in route verdicts, and tells kinds apart. */
export const GUARDRAIL_SIDS: Readonly<Record<GuardrailKind, string>> = {
  require_destination_tag: "DenyCopyIntoUntaggedVaults",
  restrict_copy_targets: "DenyCopyToUnlistedVaults",
  restrict_copy_target_ous: "DenyCopyOutsideAllowedOrgPaths",
  deny_leave_organization: "DenyLeaveOrganization",
};

/** The seed rule each kind implements. */
export const GUARDRAIL_RULES: Readonly<Record<GuardrailKind, string>> = {
  require_destination_tag: "[G1]",
  restrict_copy_targets: "[G2]",
  restrict_copy_target_ous: "[G3]",
  deny_leave_organization: "[X3]",
};

/** AWS's limit on the text of one SCP. */
export const SCP_MAX_CHARACTERS = 5120;

export const SCP_VERSION = "2012-10-17";

/** What a kind's policy is made of (only the part of its kind is read). */
export interface GuardrailParameters {
  /** [G1] the tag every destination vault must carry. */
  tagKey?: string;
  /** [G2] vault ARNs or ARN patterns copies may go to. */
  allowedVaultArns?: readonly string[];
  /** [G3] org path patterns (`o-.../r-.../ou-.../*`) copies may go to. */
  allowedOrgPaths?: readonly string[];
}

function deny(kind: GuardrailKind, action: string, condition?: PolicyStatement["Condition"]): PolicyStatement {
  return { Sid: GUARDRAIL_SIDS[kind], Effect: "Deny", Action: [action], Resource: ["*"], ...(condition ? { Condition: condition } : {}) };
}

/** The statement of one guardrail kind, in normal form. */
export function guardrailStatement(kind: GuardrailKind, p: GuardrailParameters): PolicyStatement {
  switch (kind) {
    case "require_destination_tag":
      // [G1] a vault without the tag (the key is Null) may not receive copies.
      return deny(kind, "backup:CopyIntoBackupVault", { Null: { [`aws:ResourceTag/${p.tagKey ?? "DestinationBackupVault"}`]: ["true"] } });
    case "restrict_copy_targets":
      return deny(kind, "backup:CopyFromBackupVault", { "ForAnyValue:ArnNotLike": { "backup:CopyTargets": sortedSet(p.allowedVaultArns ?? []) } });
    case "restrict_copy_target_ous":
      return deny(kind, "backup:CopyFromBackupVault", { "ForAnyValue:StringNotLike": { "backup:CopyTargetOrgPaths": sortedSet(p.allowedOrgPaths ?? []) } });
    case "deny_leave_organization":
      return deny(kind, "organizations:LeaveOrganization");
  }
}

export function guardrailPolicy(kind: GuardrailKind, p: GuardrailParameters): ScpDocument {
  return { Version: SCP_VERSION, Statement: [guardrailStatement(kind, p)] };
}

/** The text written to AWS (and counted against SCP_MAX_CHARACTERS). */
export function policyText(policy: ScpDocument): string {
  return JSON.stringify(policy);
}

/**
 * The kind of a policy document (object or JSON text) whose statements are exactly one kind's statement Sid;
 * undefined for anything else (another owner's SCP, one of ours edited behind crossvault's back).
 */
export function guardrailKindOf(document: unknown): GuardrailKind | undefined {
  const text = typeof document === "string" ? document : JSON.stringify(document ?? null);
  const normal = normalizePolicyDocument(text);
  if ("error" in normal) return undefined;
  const sids = [...new Set(normal.statements.map((s) => s.Sid))];
  if (sids.length !== 1) return undefined;
  const match = (Object.entries(GUARDRAIL_SIDS) as Array<[GuardrailKind, string]>).find(([, sid]) => sid === sids[0]);
  return match?.[0];
}
