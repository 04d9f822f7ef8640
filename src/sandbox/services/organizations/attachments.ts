// Attaching policies to the root, OUs and accounts, and the two listings of those attachments.
import type { OperationHandler } from "../../service.js";
import type { OrgPolicy, OrgState } from "./state.js";
import { policySummary, targetSummary, targetTypeOf } from "./entities.js";
import { orgError, orgForManagement, orgForReader } from "./errors.js";
import { policyOrThrow, policyTypeOf } from "./policies.js";
import { RCP_FULL_AWS_ACCESS_POLICY_ID } from "./state.js";
import { orgPage } from "./structure.js";

/** Policies of one type per target: 5 SCPs or RCPs [D], 10 of the management policy types [D]. */
function maxAttachmentsOf(type: string): number {
  return type === "SERVICE_CONTROL_POLICY" || type === "RESOURCE_CONTROL_POLICY" ? 5 : 10;
}

function targetOrThrow(org: OrgState, id: unknown): string {
  const targetId = String(id ?? "");
  if (!targetTypeOf(org, targetId)) throw orgError("TargetNotFoundException", "We can't find a root, OU, or account with the TargetId that you specified.");
  return targetId;
}

function attachedOfType(org: OrgState, targetId: string, type: string): OrgPolicy[] {
  return Object.values(org.policies).filter((p) => p.type === type && p.targets.includes(targetId));
}

export const attachmentOperations: Record<string, OperationHandler> = {
  AttachPolicy(ctx, input) {
    const org = orgForManagement(ctx);
    const policy = policyOrThrow(org, input.PolicyId);
    const targetId = targetOrThrow(org, input.TargetId);
    if (!org.enabledPolicyTypes.includes(policy.type)) throw orgError("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
    if (policy.targets.includes(targetId)) throw orgError("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.");
    if (attachedOfType(org, targetId, policy.type).length >= maxAttachmentsOf(policy.type)) {
      throw orgError("ConstraintViolationException", `You have attached the maximum number of policies of type ${policy.type} to the target.`, "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED");
    }
    policy.targets.push(targetId);
  },

  DetachPolicy(ctx, input) {
    const org = orgForManagement(ctx);
    const policy = policyOrThrow(org, input.PolicyId);
    const targetId = targetOrThrow(org, input.TargetId);
    if (!policy.targets.includes(targetId)) throw orgError("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.");
    if (policy.id === RCP_FULL_AWS_ACCESS_POLICY_ID) throw orgError("InvalidInputException", "You can't detach this AWS Managed Policy.", "NON_DETACHABLE_POLICY");
    // "Every root, OU, and account must have at least one SCP attached" [M], while SCPs are enabled.
    if (policy.type === "SERVICE_CONTROL_POLICY" && org.enabledPolicyTypes.includes(policy.type) && attachedOfType(org, targetId, policy.type).length <= 1) {
      throw orgError("ConstraintViolationException", "You cannot remove the last service control policy from a root, OU, or account: every one must have at least one SCP attached. Attach another SCP first.", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED");
    }
    policy.targets = policy.targets.filter((t) => t !== targetId);
  },

  ListTargetsForPolicy(ctx, input) {
    const org = orgForReader(ctx);
    const policy = policyOrThrow(org, input.PolicyId);
    const targets = policy.targets.map((t) => targetSummary(org, t)).filter((t) => t !== undefined);
    const page = orgPage(targets, input);
    return { Targets: page.items, NextToken: page.nextToken };
  },

  ListPoliciesForTarget(ctx, input) {
    const org = orgForReader(ctx);
    const targetId = targetOrThrow(org, input.TargetId);
    const type = policyTypeOf(input.Filter);
    const page = orgPage(attachedOfType(org, targetId, type), input);
    return { Policies: page.items.map(policySummary), NextToken: page.nextToken };
  },
};
