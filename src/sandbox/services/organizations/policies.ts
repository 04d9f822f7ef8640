// Organizations policies: create, read, update, delete, list, and enabling policy types at the root.
import type { OperationHandler } from "../../service.js";
import type { OrgPolicy, OrgState, PolicyType } from "./state.js";
import { randomBytes } from "node:crypto";
import { customerPolicyArn, policySummary, rootSummary } from "./entities.js";
import { orgError, orgForManagement, orgForReader, requireAllFeatures } from "./errors.js";
import { validatePolicyContent } from "./policy-content.js";
import { allTargetIds, awsManagedPolicyFor, own, POLICY_TYPES } from "./state.js";
import { orgPage } from "./structure.js";

/** Customer policies per type in one organization (AWS's quota is 1,000 [D]). */
const MAX_POLICIES_PER_TYPE = 1000;

function newPolicyId(org: OrgState): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (;;) {
    const id = `p-${Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join("")}`;
    if (!org.policies[id]) return id;
  }
}

export function policyTypeOf(value: unknown): PolicyType {
  if (!POLICY_TYPES.includes(value as PolicyType)) {
    throw orgError("InvalidInputException", `You specified an invalid policy type string: ${String(value)}.`, "INVALID_ENUM_POLICY_TYPE");
  }
  return value as PolicyType;
}

export function policyOrThrow(org: OrgState, id: unknown): OrgPolicy {
  const policy = own(org.policies, String(id ?? ""));
  if (!policy) throw orgError("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.");
  return policy;
}

function immutable(): never {
  throw orgError("InvalidInputException", "You specified a policy that is managed by AWS and can't be modified.", "IMMUTABLE_POLICY");
}

function assertUniqueName(org: OrgState, type: string, name: string, exceptId?: string): void {
  if (Object.values(org.policies).some((p) => p.type === type && p.name === name && p.id !== exceptId)) {
    throw orgError("DuplicatePolicyException", "A policy with the same name already exists.");
  }
}

function policyOutput(p: OrgPolicy): Record<string, unknown> {
  return { Policy: { PolicySummary: policySummary(p), Content: p.content } };
}

function tagsOf(input: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of Array.isArray(input) ? input : []) {
    const key = String(t?.Key ?? "");
    if (key in tags) throw orgError("InvalidInputException", "Tag keys must be unique among the tags attached to the same entity.", "DUPLICATE_TAG_KEY");
    if (key.toLowerCase().startsWith("aws:")) throw orgError("InvalidInputException", "You specified a tag key that is a system tag.", "INVALID_SYSTEM_TAGS_PARAMETER");
    tags[key] = String(t?.Value ?? "");
  }
  return tags;
}

function rootOrThrow(org: OrgState, rootId: unknown): void {
  if (rootId !== org.rootId) throw orgError("RootNotFoundException", "We can't find a root with the RootId that you specified.");
}

export const policyOperations: Record<string, OperationHandler> = {
  CreatePolicy(ctx, input) {
    const org = orgForManagement(ctx);
    const type = policyTypeOf(input.Type);
    requireAllFeatures(org, "PolicyTypeNotAvailableForOrganizationException", "You can't use the specified policy type with the feature set currently enabled for this organization.");
    const name = String(input.Name ?? "");
    if (name.length === 0) throw orgError("InvalidInputException", "You must include a value for all required parameters: Name.", "INPUT_REQUIRED");
    validatePolicyContent(type, input.Content);
    assertUniqueName(org, type, name);
    if (Object.values(org.policies).filter((p) => p.type === type && !p.awsManaged).length >= MAX_POLICIES_PER_TYPE) {
      throw orgError("ConstraintViolationException", "You have reached the maximum number of policies of this type in the organization.", "POLICY_NUMBER_LIMIT_EXCEEDED");
    }
    const id = newPolicyId(org);
    const policy: OrgPolicy = {
      id, arn: customerPolicyArn(org, type, id), name, description: String(input.Description ?? ""), type,
      content: String(input.Content), awsManaged: false, tags: tagsOf(input.Tags), targets: [],
    };
    org.policies[id] = policy;
    return policyOutput(policy);
  },

  UpdatePolicy(ctx, input) {
    const org = orgForManagement(ctx);
    const policy = policyOrThrow(org, input.PolicyId);
    if (policy.awsManaged) immutable();
    if (input.Name !== undefined) assertUniqueName(org, policy.type, String(input.Name), policy.id);
    if (input.Content !== undefined) validatePolicyContent(policy.type, input.Content);
    if (input.Name !== undefined) policy.name = String(input.Name);
    if (input.Description !== undefined) policy.description = String(input.Description);
    if (input.Content !== undefined) policy.content = String(input.Content);
    return policyOutput(policy);
  },

  DescribePolicy(ctx, input) {
    return policyOutput(policyOrThrow(orgForReader(ctx), input.PolicyId));
  },

  DeletePolicy(ctx, input) {
    const org = orgForManagement(ctx);
    const policy = policyOrThrow(org, input.PolicyId);
    if (policy.awsManaged) immutable();
    if (policy.targets.length > 0) {
      throw orgError("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.");
    }
    delete org.policies[policy.id];
  },

  ListPolicies(ctx, input) {
    const org = orgForReader(ctx);
    const type = policyTypeOf(input.Filter);
    const all = Object.values(org.policies).filter((p) => p.type === type).sort((a, b) => Number(b.awsManaged) - Number(a.awsManaged));
    const page = orgPage(all, input);
    return { Policies: page.items.map(policySummary), NextToken: page.nextToken };
  },

  EnablePolicyType(ctx, input) {
    const org = orgForManagement(ctx);
    rootOrThrow(org, input.RootId);
    const type = policyTypeOf(input.PolicyType);
    requireAllFeatures(org, "PolicyTypeNotAvailableForOrganizationException", "You can't use the specified policy type with the feature set currently enabled for this organization.");
    if (org.enabledPolicyTypes.includes(type)) throw orgError("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.");
    org.enabledPolicyTypes.push(type);
    // AWS attaches its full-access policy to the root, every OU and every account when SCPs (or RCPs) are enabled.
    const managed = awsManagedPolicyFor(type);
    if (managed) {
      const policy = (org.policies[managed.id] ??= managed);
      policy.targets = allTargetIds(org);
    }
    return { Root: rootSummary(org) };
  },

  DisablePolicyType(ctx, input) {
    const org = orgForManagement(ctx);
    rootOrThrow(org, input.RootId);
    const type = policyTypeOf(input.PolicyType);
    if (!org.enabledPolicyTypes.includes(type)) throw orgError("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
    org.enabledPolicyTypes = org.enabledPolicyTypes.filter((t) => t !== type);
    // Disabling a type detaches every policy of that type from every target.
    for (const p of Object.values(org.policies)) if (p.type === type) p.targets = [];
    return { Root: rootSummary(org) };
  },
};
