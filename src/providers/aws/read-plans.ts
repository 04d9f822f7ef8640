// Reading backup plans and their selections: one ListBackupPlans per account-region, then tags, the plan
// document and its selections only for candidates (plans whose name the config uses, or whose CreatorRequestId
// marks this stack). Plan names are not unique in AWS: every same-named plan is a candidate, and tags decide.
// A selection is read in detail only when its list entry cannot vouch for it: selections are immutable, and one
// whose CreatorRequestId is the token crossvault derives from the desired selection's address and attributes was
// created from exactly those attributes, so the list entry alone proves it matches (one call fewer per plan).
import { GetBackupPlanCommand, GetBackupSelectionCommand, ListBackupPlansCommand, ListBackupSelectionsCommand } from "@aws-sdk/client-backup";
import type { BackupClient, BackupPlansListMember, BackupSelection, BackupSelectionsListMember } from "@aws-sdk/client-backup";
import { asAttributes, type BackupPlanAttributes } from "../../model/attributes.js";
import { identityOf } from "../../model/identity.js";
import { ADDRESS_TAG, APPLIED_HASH_TAG, attributesHash, PLAN_VERSION_TAG, STACK_TAG, userTags } from "../../model/ownership.js";
import type { LiveResource, Ownership } from "../../model/resource.js";
import { isNotFound } from "./aws-errors.js";
import { creatorRequestId, isStackToken } from "./marks.js";
import { allPages, type Caller, type LaneRead } from "./read-context.js";
import { listBackupTags } from "./read-vaults.js";
import { planAttributes, selectionAttributes } from "./shapes.js";

/** `backup_plan.daily["prod"]` + `tagged` -> `backup_selection.daily["prod"].tagged` (as derive names them). */
function selectionAddress(planAddress: string, selectionName: string): string {
  return `backup_selection.${planAddress.replace(/^backup_plan\./, "")}.${selectionName}`;
}

/** Every backup plan of the account-region: one ListBackupPlans call per 1,000. */
export function listPlans(backup: BackupClient, call: Caller): Promise<BackupPlansListMember[]> {
  return allPages((token) => call(() => backup.send(new ListBackupPlansCommand({ NextToken: token, MaxResults: 1000 }))), (p) => p.BackupPlansList, (p) => p.NextToken);
}

export async function readPlans(r: LaneRead): Promise<void> {
  const list = await (r.lists?.plans ?? listPlans(r.backup, (fn) => r.call(fn)));
  const candidates = list.filter((p) => r.named.planNames.has(p.BackupPlanName ?? "") || isStackToken(r.stack, p.CreatorRequestId));
  const found = (await Promise.all(candidates.map((p) => readPlan(r, p)))).filter((x): x is LiveResource => x !== undefined);
  // Diff pairs by identity, first come first served: the stack's own plan goes before a foreign namesake.
  found.sort((a, b) => (a.ownership === b.ownership ? 0 : a.ownership === "ours" ? -1 : 1));
  const seen = new Set<string>();
  for (const plan of found) {
    // A foreign namesake beside a plan of ours is no conflict (names are not unique): leave it out.
    if (plan.ownership !== "ours" && seen.has(plan.identity)) continue;
    seen.add(plan.identity);
    r.resources.push(plan);
  }
}

/**
 * The attributes of one of the stack's plans when its document cannot have changed since the stack applied it:
 * the plan still has the VersionId the stack's last write recorded (every document change makes a new one), and
 * the desired attributes, with the plan's id and its user tags as read, hash to the applied hash the same write
 * recorded. Then they are what the plan holds, exactly, and GetBackupPlan is not needed. Anything else (a
 * config edit, tags or document changed behind the stack's back, no version recorded) reads the document.
 */
function vouchedPlan(r: LaneRead, entry: BackupPlansListMember, identity: string, tags: Record<string, string>): BackupPlanAttributes | undefined {
  const version = tags[PLAN_VERSION_TAG];
  if (tags[STACK_TAG] !== r.stack || !version || version !== entry.VersionId || !tags[APPLIED_HASH_TAG]) return undefined;
  const desired = r.desired(identity);
  if (desired?.type !== "backup_plan" || !entry.BackupPlanId) return undefined;
  const candidate = { ...desired.attributes, id: entry.BackupPlanId, tags: userTags(tags) };
  return attributesHash(candidate) === tags[APPLIED_HASH_TAG] ? (candidate as unknown as BackupPlanAttributes) : undefined;
}

async function readPlan(r: LaneRead, entry: BackupPlansListMember): Promise<LiveResource | undefined> {
  const id = entry.BackupPlanId ?? "";
  const name = entry.BackupPlanName ?? "";
  const named = r.named.planNames.has(name);
  const identity = identityOf("backup_plan", { accountId: r.accountId, region: r.region, name });
  let tags: Record<string, string>;
  let attributes: BackupPlanAttributes;
  let fingerprint: string;
  try {
    // Tags first, even for a plan the config names: they may prove the document unchanged (vouchedPlan).
    tags = await listBackupTags(r.backup, entry.BackupPlanArn ?? "", (fn) => r.call(fn));
    if (tags[STACK_TAG] !== r.stack && !named) return undefined;
    const vouched = vouchedPlan(r, entry, identity, tags);
    if (vouched) {
      attributes = vouched;
      fingerprint = r.fingerprint({ version: entry.VersionId, token: entry.CreatorRequestId, tags });
    } else {
      const plan = await r.call(() => r.backup.send(new GetBackupPlanCommand({ BackupPlanId: id })));
      attributes = planAttributes(plan.BackupPlan ?? { BackupPlanName: name, Rules: [] }, id, tags);
      fingerprint = r.fingerprint({ document: plan.BackupPlan, version: plan.VersionId, token: plan.CreatorRequestId, tags });
    }
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const ours = tags[STACK_TAG] === r.stack;
  const ownership: Ownership = ours ? "ours" : "foreign";
  const address = (ours ? tags[ADDRESS_TAG] : undefined) ?? r.desiredAddress(identity) ?? `backup_plan.${name}`;
  const resource: LiveResource = {
    address, type: "backup_plan", accountId: r.accountId, region: r.region, identity, id,
    attributes: asAttributes(attributes),
    ownership,
    ...(ours && tags[APPLIED_HASH_TAG] ? { appliedHash: tags[APPLIED_HASH_TAG] } : {}),
    ...(!ours && tags[STACK_TAG] ? { otherStack: tags[STACK_TAG] } : {}),
    fingerprint,
  };
  // Selections belong to their plan: read for the stack's plans, and for a plan the user adopts.
  if (ours || r.named.adoptPlanNames.has(name)) {
    const foreignSelections = await readSelections(r, id, name, address, ownership);
    if (foreignSelections.length > 0) resource.facts = { ...resource.facts, foreignSelections };
  }
  return resource;
}

/**
 * The plan's selections, as live resources with the plan's ownership; returns the names of those in a plan of
 * the stack that are someone else's: neither created by the stack (selections have no tags; the creation token
 * says who made one) nor named by the config (a selection adopted with its plan keeps its old token).
 */
async function readSelections(r: LaneRead, planId: string, planName: string, planAddress: string, ownership: Ownership): Promise<string[]> {
  const foreign: string[] = [];
  const list = await allPages(
    (token) => r.call(() => r.backup.send(new ListBackupSelectionsCommand({ BackupPlanId: planId, NextToken: token, MaxResults: 1000 }))),
    (p) => p.BackupSelectionsList,
    (p) => p.NextToken,
  );
  await Promise.all(
    list.map(async (entry) => {
      const selectionId = entry.SelectionId ?? "";
      const listed = identityOf("backup_selection", { accountId: r.accountId, region: r.region, plan: planName, name: entry.SelectionName ?? "" });
      if (ownership === "ours" && !isStackToken(r.stack, entry.CreatorRequestId) && !r.desired(listed)) {
        foreign.push(entry.SelectionName || selectionId);
        return;
      }
      const vouched = vouchedSelection(r, entry, planId, listed);
      if (vouched) {
        r.resources.push({ ...vouched, ownership, fingerprint: r.fingerprint({ selection: selectionId, token: entry.CreatorRequestId, vouched: true }) });
        return;
      }
      let out;
      try {
        out = await r.call(() => r.backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: selectionId })));
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      const selection: BackupSelection = out.BackupSelection ?? { SelectionName: "", IamRoleArn: "" };
      const name = selection.SelectionName ?? "";
      const identity = identityOf("backup_selection", { accountId: r.accountId, region: r.region, plan: planName, name });
      r.resources.push({
        address: r.desiredAddress(identity) ?? selectionAddress(planAddress, name),
        type: "backup_selection", accountId: r.accountId, region: r.region, identity, id: selectionId,
        attributes: asAttributes(selectionAttributes(selection, planId)),
        ownership,
        fingerprint: r.fingerprint({ selection, token: out.CreatorRequestId }),
      });
    }),
  );
  return foreign.sort();
}

/**
 * The live selection behind a list entry, without reading it, when its token proves it was created from the
 * desired selection's attributes (what createSelection hashes: the desired attributes with the plan's id).
 */
function vouchedSelection(r: LaneRead, entry: BackupSelectionsListMember, planId: string, identity: string): Omit<LiveResource, "ownership" | "fingerprint"> | undefined {
  const desired = r.desired(identity);
  if (!desired || !entry.CreatorRequestId) return undefined;
  const attributes = { ...desired.attributes, plan_id: planId };
  if (entry.CreatorRequestId !== creatorRequestId(r.stack, desired.address, attributesHash(attributes))) return undefined;
  return { address: desired.address, type: "backup_selection", accountId: r.accountId, region: r.region, identity, id: entry.SelectionId ?? "", attributes };
}
