// Writing guardrails: service control policies in the management account, created with the stack's ownership
// tags, updated in place (content, description, tags) and attached to exactly the configured targets; and the
// SCP policy type enabled at the root. A create that finds a policy of the same name already tagged with the
// stack (an earlier attempt that crashed or timed out) carries on with it; one that is not the stack's is
// never touched. New targets are attached before old ones are detached, so a target is never left without
// the policy in between; AWS's FullAWSAccess keeps every target above its minimum of one SCP.
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import type { OrganizationsClient, PolicyType } from "@aws-sdk/client-organizations";
import { ADDRESS_TAG, canonicalJson, STACK_TAG } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import { errorField, errorMessage, errorName } from "./aws-errors.js";
import type { PropagationRule } from "./propagation.js";
import { direct } from "./read-context.js";
import { listOrgTags, listPolicyTargets, listScps, scpEnabledAt, SCP_TYPE, toOrgTagValue } from "./read-guardrails.js";
import { ApplyError, record, str } from "./write-context.js";
import type { ApplyResult, Write } from "./write-context.js";

/** Attaching right after EnablePolicyType (PENDING_ENABLE), or while another change to the policy settles. */
export const policyTypeNotYetEnabled: PropagationRule = (e) =>
  errorName(e) === "PolicyTypeNotEnabledException" ? "waiting for service control policies to be enabled at the root" : undefined;

export const organizationBusy: PropagationRule = (e) =>
  errorName(e) === "ConcurrentModificationException" || errorName(e) === "PolicyChangesInProgressException"
    ? "waiting for another change to the organization's policies to finish"
    : undefined;

function targetsOf(a: Attributes): string[] {
  return Array.isArray(a.targets) ? a.targets.filter((t): t is string => typeof t === "string") : [];
}

function contentOf(a: Attributes): string {
  return JSON.stringify(a.policy);
}

/** The stack's tags for what is applied, the address spelled as Organizations tag values allow. */
function wantedTags(w: Write, applied: Attributes): Record<string, string> {
  const tags = { ...record(applied.tags), ...w.ownershipTags(applied) };
  tags[ADDRESS_TAG] = toOrgTagValue(tags[ADDRESS_TAG] ?? w.address);
  return tags;
}

const tagList = (tags: Record<string, string>): Array<{ Key: string; Value: string }> => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** The id of the stack's policy with this name, undefined when there is none; refuses someone else's. */
async function findOurs(w: Write, org: OrganizationsClient, name: string): Promise<string | undefined> {
  const found = (await listScps(org, direct)).find((p) => p.Name === name);
  if (!found?.Id) return undefined;
  const tags = found.AwsManaged ? {} : await listOrgTags(org, found.Id, direct);
  if (tags[STACK_TAG] !== w.stack) {
    throw new ApplyError(w.address, `a service control policy named ${name} (${found.Id}) already exists and is not managed by stack ${w.stack}; it is left as it is: rename the guardrail`);
  }
  return found.Id;
}

/** Returns when the target already has the policy; throws anything else, in words where AWS's are not enough. */
function attachFailure(w: Write, e: unknown, target: string): void {
  const name = errorName(e);
  if (name === "DuplicatePolicyAttachmentException") return;
  if (name === "TargetNotFoundException") {
    throw new ApplyError(w.address, `${target} is not a root, OU or account of the organization; correct the guardrail's targets`);
  }
  if (name === "ConstraintViolationException" && errorField(e, "Reason") === "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED") {
    throw new ApplyError(w.address, `${target} already has the most service control policies AWS allows (5 by default); detach one there, or attach the guardrail to a parent OU instead`);
  }
  throw e;
}

async function attach(w: Write, org: OrganizationsClient, policyId: string, target: string): Promise<void> {
  try {
    await w.wait(() => org.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: target })), policyTypeNotYetEnabled, organizationBusy);
  } catch (e) {
    attachFailure(w, e, target);
  }
}

async function detach(w: Write, org: OrganizationsClient, policyId: string, target: string): Promise<void> {
  try {
    await w.wait(() => org.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: target })), organizationBusy);
  } catch (e) {
    const name = errorName(e);
    if (name === "PolicyNotAttachedException" || name === "TargetNotFoundException") return;
    if (name === "ConstraintViolationException" && errorField(e, "Reason") === "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED") {
      throw new ApplyError(w.address, `cannot detach the policy from ${target}: it is the only service control policy there (AWS requires one); attach FullAWSAccess (or another SCP) to ${target} first`);
    }
    throw e;
  }
}

/** Attaches what is wanted and not attached, then detaches what is attached and not wanted. */
async function syncTargets(w: Write, org: OrganizationsClient, policyId: string, attached: readonly string[], wanted: readonly string[]): Promise<void> {
  for (const t of wanted) if (!attached.includes(t)) await attach(w, org, policyId, t);
  for (const t of attached) if (!wanted.includes(t)) await detach(w, org, policyId, t);
}

async function syncTags(org: OrganizationsClient, policyId: string, before: Record<string, string>, wanted: Record<string, string>): Promise<void> {
  const removed = Object.keys(before).filter((k) => !(k in wanted));
  if (removed.length > 0) await org.send(new UntagResourceCommand({ ResourceId: policyId, TagKeys: removed }));
  await org.send(new TagResourceCommand({ ResourceId: policyId, Tags: tagList(wanted) }));
}

async function rewrite(w: Write, org: OrganizationsClient, policyId: string, after: Attributes): Promise<void> {
  await w.wait(
    () => org.send(new UpdatePolicyCommand({ PolicyId: policyId, Name: str(after.name), Description: str(after.description), Content: contentOf(after) })),
    organizationBusy,
  );
}

function rejectedContent(w: Write, e: unknown): never {
  const name = errorName(e);
  if (name === "MalformedPolicyDocumentException" || (name === "ConstraintViolationException" && errorField(e, "Reason") === "POLICY_CONTENT_LIMIT_EXCEEDED")) {
    throw new ApplyError(w.address, `AWS refused the service control policy: ${errorMessage(e)}`);
  }
  throw e;
}

export async function createGuardrail(w: Write, after: Attributes): Promise<ApplyResult> {
  const org = w.pool.organizations();
  const name = str(after.name);
  const tags = wantedTags(w, after);
  let id = await findOurs(w, org, name);
  if (!id) {
    try {
      const out = await org.send(new CreatePolicyCommand({ Name: name, Description: str(after.description), Content: contentOf(after), Type: SCP_TYPE, Tags: tagList(tags) }));
      id = out.Policy?.PolicySummary?.Id ?? "";
      await syncTargets(w, org, id, [], targetsOf(after));
      return { id, attributes: after };
    } catch (e) {
      // A retried create whose first attempt went through: that policy is ours (tagged at creation).
      if (id || errorName(e) !== "DuplicatePolicyException") rejectedContent(w, e);
      id = await findOurs(w, org, name);
      if (!id) throw e;
    }
  }
  // An earlier attempt got this far: finish it as an update of what it left.
  await rewrite(w, org, id, after);
  await syncTags(org, id, await listOrgTags(org, id, direct), tags);
  await syncTargets(w, org, id, await listPolicyTargets(org, id, direct), targetsOf(after));
  return { id, attributes: after };
}

export async function updateGuardrail(w: Write, before: Attributes, after: Attributes, policyId: string): Promise<ApplyResult> {
  const org = w.pool.organizations();
  const changed = ["name", "description"].some((k) => str(before[k]) !== str(after[k])) || canonicalJson(before.policy) !== canonicalJson(after.policy);
  if (changed) {
    try {
      await rewrite(w, org, policyId, after);
    } catch (e) {
      rejectedContent(w, e);
    }
  }
  // `before.tags` are the user's; what AWS holds also has the ownership tags (absent on a policy being adopted).
  await syncTags(org, policyId, record(before.tags), wantedTags(w, after));
  await syncTargets(w, org, policyId, targetsOf(before), targetsOf(after));
  return { id: policyId, attributes: after };
}

/** Detached from every target (listed now, not as planned), then deleted; never a policy of someone else. */
export async function deleteGuardrail(w: Write, policyId: string): Promise<void> {
  const org = w.pool.organizations();
  let tags: Record<string, string>;
  try {
    tags = await listOrgTags(org, policyId, direct);
  } catch (e) {
    if (errorName(e) === "TargetNotFoundException" || errorName(e) === "PolicyNotFoundException") return;
    throw e;
  }
  if (tags[STACK_TAG] !== w.stack) {
    throw new ApplyError(w.address, `service control policy ${policyId} is no longer tagged with stack ${w.stack}; it is left as it is (run plan again)`);
  }
  for (const t of await listPolicyTargets(org, policyId, direct)) await detach(w, org, policyId, t);
  try {
    await w.wait(() => org.send(new DeletePolicyCommand({ PolicyId: policyId })), organizationBusy);
  } catch (e) {
    if (errorName(e) !== "PolicyNotFoundException") throw e;
  }
}

/** SERVICE_CONTROL_POLICY enabled at the root. Turning it off is never crossvault's to do. */
export async function enablePolicyType(w: Write, after: Attributes): Promise<ApplyResult> {
  const org = w.pool.organizations();
  const type = (str(after.policy_type) || SCP_TYPE) as PolicyType;
  const roots = (await org.send(new ListRootsCommand({}))).Roots ?? [];
  const root = roots[0];
  if (!root?.Id) throw new ApplyError(w.address, "the organization has no root to enable service control policies at");
  if (after.enabled === false) {
    w.ctx.notify({ type: "warning", message: `${w.address}: ${type} is left as it is (crossvault never disables a policy type)` });
    return { id: root.Id, attributes: after };
  }
  if (!scpEnabledAt(root)) {
    try {
      await org.send(new EnablePolicyTypeCommand({ RootId: root.Id, PolicyType: type }));
    } catch (e) {
      if (errorName(e) !== "PolicyTypeAlreadyEnabledException") throw e;
    }
  }
  return { id: root.Id, attributes: after };
}
