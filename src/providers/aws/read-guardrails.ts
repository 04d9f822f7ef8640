// Reading service control policies from the management account: ListRoots (is the SCP type enabled?) and one
// ListPolicies, then per policy DescribePolicy, ListTargetsForPolicy and (for customer policies)
// ListTagsForResource, all on the management account's Organizations lane. Every SCP, with its targets and
// document, becomes a fact for the copy-route check; the stack's own (tagged with it) and same-named foreign
// ones become live `guardrail` resources; the policy type becomes the live org_trust resource derive asks for.
import {
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
} from "@aws-sdk/client-organizations";
import type { OrganizationsClient, PolicySummary, Root } from "@aws-sdk/client-organizations";
import { asAttributes } from "../../model/attributes.js";
import { guardrailKindOf } from "../../model/guardrail-policies.js";
import { identityOf, policyTypeIdentity } from "../../model/identity.js";
import type { OrgFacts, ScpFact } from "../../model/org.js";
import { ADDRESS_TAG, APPLIED_HASH_TAG, STACK_TAG, userTags } from "../../model/ownership.js";
import { normalizePolicyDocument } from "../../model/policy-normal.js";
import type { Attributes, AttrValue, LiveResource } from "../../model/resource.js";
import type { ClientPool } from "./clients.js";
import type { RequestLimiter } from "./limiter.js";
import { allPages, fingerprintOf, organizationLane, type Caller, type ReadScope, type ScpPolicy } from "./read-context.js";

export const SCP_TYPE = "SERVICE_CONTROL_POLICY";

/** Organizations' largest page: fewer calls for an organization with many policies or targets. */
const PAGE = 20;

/** The SCP facts the route check reads (merged into OrgFacts by the engine). */
export type ScpFacts = Required<Pick<OrgFacts, "scps" | "scpEnabled">>;

export interface GuardrailRead {
  resources: LiveResource[];
  facts: ScpFacts;
}

// Organizations tag values allow letters, digits, spaces and `_.:/=+-@` only: an address such as
// `guardrail.x["ou-1"]` is stored base64-encoded (whose alphabet is within those), marked by a prefix.
const TAG_SAFE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ENCODED = "base64:";

export function toOrgTagValue(value: string): string {
  return TAG_SAFE.test(value) && !value.startsWith(ENCODED) ? value : `${ENCODED}${Buffer.from(value, "utf8").toString("base64")}`;
}

export function fromOrgTagValue(value: string): string {
  return value.startsWith(ENCODED) ? Buffer.from(value.slice(ENCODED.length), "base64").toString("utf8") : value;
}

/** Tags of an Organizations resource (policy, root, OU or account). */
export async function listOrgTags(org: OrganizationsClient, resourceId: string, call: Caller): Promise<Record<string, string>> {
  const tags = await allPages(
    (t) => call(() => org.send(new ListTagsForResourceCommand({ ResourceId: resourceId, NextToken: t }))),
    (p) => p.Tags,
    (p) => p.NextToken,
  );
  return Object.fromEntries(tags.map((t) => [t.Key ?? "", t.Value ?? ""]));
}

export async function listPolicyTargets(org: OrganizationsClient, policyId: string, call: Caller): Promise<string[]> {
  const targets = await allPages(
    (t) => call(() => org.send(new ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken: t, MaxResults: PAGE }))),
    (p) => p.Targets,
    (p) => p.NextToken,
  );
  return targets.map((t) => t.TargetId ?? "").filter((id) => id !== "").sort();
}

export async function listScps(org: OrganizationsClient, call: Caller): Promise<PolicySummary[]> {
  return allPages((t) => call(() => org.send(new ListPoliciesCommand({ Filter: SCP_TYPE, NextToken: t, MaxResults: PAGE }))), (p) => p.Policies, (p) => p.NextToken);
}

/** ENABLED, or on its way there (EnablePolicyType is asynchronous): asking again would be refused. */
export function scpEnabledAt(root: Root | undefined): boolean {
  return (root?.PolicyTypes ?? []).some((t) => t.Type === SCP_TYPE && (t.Status === "ENABLED" || t.Status === "PENDING_ENABLE"));
}

/** The document as the route check evaluates it: parsed JSON, or the text when it is not JSON. */
function parsedDocument(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

/** The `policy` attribute: the document in normal form (attributes.ts), or its text when it does not parse. */
export function policyAttribute(content: string): AttrValue {
  const normal = normalizePolicyDocument(content);
  if ("error" in normal) return content;
  const version = (normal.raw as Record<string, unknown>).Version;
  return asAttributes({ ...(typeof version === "string" ? { Version: version } : {}), Statement: normal.statements });
}

async function readPolicy(org: OrganizationsClient, summary: PolicySummary, call: Caller): Promise<ScpPolicy> {
  const id = summary.Id ?? "";
  const [described, targets, tags] = await Promise.all([
    call(() => org.send(new DescribePolicyCommand({ PolicyId: id }))),
    listPolicyTargets(org, id, call),
    // AWS's own policies carry no tags of anyone's.
    summary.AwsManaged ? Promise.resolve({}) : listOrgTags(org, id, call),
  ]);
  return { summary, content: described.Policy?.Content ?? "", targets, tags };
}

function guardrailResource(p: ScpPolicy, scope: ReadScope, desiredAddress: ReadonlyMap<string, string>): LiveResource | undefined {
  const name = p.summary.Name ?? "";
  const identity = identityOf("guardrail", { accountId: scope.managementAccountId, region: "global", name });
  const ours = p.tags[STACK_TAG] === scope.stack;
  // Someone else's SCP matters only when it takes a name the configuration wants.
  if (!ours && !desiredAddress.has(identity)) return undefined;
  const kind = guardrailKindOf(p.content);
  const attributes: Attributes = {
    name,
    description: p.summary.Description ?? "",
    ...(kind ? { kind } : {}),
    policy: policyAttribute(p.content),
    targets: p.targets,
    tags: userTags(p.tags),
  };
  const taggedAddress = ours && p.tags[ADDRESS_TAG] ? fromOrgTagValue(p.tags[ADDRESS_TAG]) : undefined;
  return {
    address: taggedAddress ?? desiredAddress.get(identity) ?? `guardrail[${JSON.stringify(name)}]`,
    type: "guardrail", accountId: scope.managementAccountId, region: "global", identity, id: p.summary.Id ?? "",
    attributes,
    ownership: ours ? "ours" : "foreign",
    ...(ours && p.tags[APPLIED_HASH_TAG] ? { appliedHash: p.tags[APPLIED_HASH_TAG] } : {}),
    fingerprint: fingerprintOf({ name, description: p.summary.Description ?? "", content: p.content, targets: p.targets, tags: p.tags }),
  };
}

/** Every SCP of the organization with its document, targets and tags: needs nothing from the desired state. */
export async function fetchScps(org: OrganizationsClient, call: Caller): Promise<ScpPolicy[]> {
  const summaries = await listScps(org, call);
  return Promise.all(summaries.map((s) => readPolicy(org, s, call)));
}

/**
 * Every SCP as facts, and the live resources the stack's plan compares with. `fetched`: the SCPs when they
 * are already being read (the read-ahead).
 */
export async function readGuardrails(org: OrganizationsClient, scope: ReadScope, call: Caller, fetched?: Promise<ScpPolicy[]>): Promise<GuardrailRead> {
  const [root, policies] = await Promise.all([
    scope.root
      ? Promise.resolve({ Id: scope.root.id, enabled: scope.root.scpEnabled })
      : allPages((t) => call(() => org.send(new ListRootsCommand({ NextToken: t }))), (p) => p.Roots, (p) => p.NextToken).then((roots) => ({ Id: roots[0]?.Id, enabled: scpEnabledAt(roots[0]) })),
    fetched ?? fetchScps(org, call),
  ]);
  const enabled = root.enabled;

  const desiredAddress = new Map(scope.desired.filter((d) => d.type === "guardrail").map((d) => [d.identity, d.address]));
  const resources = policies.flatMap((p) => guardrailResource(p, scope, desiredAddress) ?? []);
  // The policy type is a live resource only when derive asks for it: no one owns it, nothing else compares it.
  const typeIdentity = policyTypeIdentity(scope.managementAccountId, SCP_TYPE);
  const typeDesired = scope.desired.find((d) => d.identity === typeIdentity);
  if (typeDesired) {
    resources.push({
      address: typeDesired.address, type: "org_trust", accountId: scope.managementAccountId, region: "global", identity: typeIdentity,
      id: root?.Id ?? "", attributes: asAttributes({ policy_type: SCP_TYPE, enabled }), ownership: "unmanaged", fingerprint: fingerprintOf({ enabled }),
    });
  }
  const scps: ScpFact[] = policies.map((p) => ({
    id: p.summary.Id ?? "", name: p.summary.Name ?? "", document: parsedDocument(p.content), targets: p.targets, aws_managed: p.summary.AwsManaged === true,
  }));
  return { resources, facts: { scps, scpEnabled: enabled } };
}

/** What readLive shares with this reader: where results go and how failures are reported. */
export interface GuardrailReadTarget {
  pool: ClientPool;
  scope: ReadScope;
  limiter: RequestLimiter;
  resources: LiveResource[];
  /** Places read completely; `MGMT/global` is added on success. */
  readPlaces: Set<string>;
  failed(accountId: string, region: string, what: string, e: unknown): void;
  /** The SCPs when the read-ahead is already fetching them. */
  fetched?: Promise<ScpPolicy[]>;
}

/** readGuardrails for readLive: results into its collections; a failure is an unreadable entry, facts undefined. */
export async function readGuardrailsInto(t: GuardrailReadTarget): Promise<ScpFacts | undefined> {
  const mgmt = t.scope.managementAccountId;
  const lane = organizationLane(mgmt);
  try {
    const read = await readGuardrails(t.pool.organizations(), t.scope, (fn) => t.limiter.run(lane, fn), t.fetched);
    t.resources.push(...read.resources);
    t.readPlaces.add(lane);
    return read.facts;
  } catch (e) {
    // A partial read would plan creating SCPs that exist: report none of it.
    t.failed(mgmt, "global", "the service control policies", e);
    return undefined;
  }
}
