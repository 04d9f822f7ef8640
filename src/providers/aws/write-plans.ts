// Writing backup plans and selections. Both are created with a deterministic CreatorRequestId (AWS returns the
// existing object for a retried token); a plan changes in place with UpdateBackupPlan (a new version), a
// selection never changes in place (delete + create). Tags carry ownership; the applied hash includes the plan
// id, known only after the create, so the tag is rewritten once the plan exists.
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  GetBackupSelectionCommand,
  ListBackupSelectionsCommand,
  TagResourceCommand,
  UpdateBackupPlanCommand,
} from "@aws-sdk/client-backup";
import type { BackupPlanAttributes, BackupSelectionAttributes } from "../../model/attributes.js";
import { attributesHash, canonicalJson, PLAN_VERSION_TAG } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import { errorField, errorMessage, errorName, isNotFound } from "./aws-errors.js";
import { creatorRequestId } from "./marks.js";
import { dependentsNotYetGone } from "./propagation.js";
import { allPages } from "./read-context.js";
import { listBackupTags } from "./read-vaults.js";
import { planInput, selectionAttributes, selectionInput } from "./shapes.js";
import { syncBackupTags } from "./write-vaults.js";
import { ApplyError, record, str } from "./write-context.js";
import type { ApplyResult, Write } from "./write-context.js";

function planArnOf(w: Write, id: string): string {
  return `arn:aws:backup:${w.change.region}:${w.change.accountId}:backup-plan:${id}`;
}

const asPlan = (a: Attributes): BackupPlanAttributes => a as unknown as BackupPlanAttributes;
const asSelection = (a: Attributes): BackupSelectionAttributes => a as unknown as BackupSelectionAttributes;

export async function createPlan(w: Write, after: Attributes): Promise<ApplyResult> {
  const token = creatorRequestId(w.stack, w.address);
  let out;
  try {
    out = await w.backup.send(new CreateBackupPlanCommand({
      BackupPlan: planInput(asPlan(after)),
      BackupPlanTags: { ...record(after.tags), ...w.ownershipTags(after) },
      CreatorRequestId: token,
    }));
  } catch (e) {
    if (errorName(e) === "AlreadyExistsException" && errorField(e, "CreatorRequestId") !== token) {
      throw new ApplyError(w.address, `an identical backup plan already exists in ${w.where} (${String(errorField(e, "Arn") ?? "")}) and is not managed by stack ${w.stack}; adopt it or change this plan`);
    }
    throw e;
  }
  const id = out.BackupPlanId ?? "";
  const arn = out.BackupPlanArn ?? planArnOf(w, id);
  const applied: Attributes = { ...after, id };
  await w.backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { ...w.ownershipTags(applied), ...versionTag(out.VersionId) } }));
  return { id, attributes: applied };
}

/** The version the write produced, for the reader (PLAN_VERSION_TAG); none when AWS did not say. */
function versionTag(versionId: string | undefined): Record<string, string> {
  return versionId ? { [PLAN_VERSION_TAG]: versionId } : {};
}

const documentOf = (a: Attributes): string => canonicalJson({ name: a.name, windows_vss: a.windows_vss, rules: a.rules });

export async function updatePlan(w: Write, before: Attributes, after: Attributes, id: string, adopting: boolean): Promise<ApplyResult> {
  const applied: Attributes = { ...after, id };
  // AWS has been seen to refuse an update that changes nothing [O]: only tags may have changed. Then the
  // version tag (not a user tag, so never removed here) still names the plan's version, or no longer does if
  // the document changed behind the stack's back: the reader then reads the document.
  let version: string | undefined;
  if (documentOf(before) !== documentOf(after)) {
    version = (await w.backup.send(new UpdateBackupPlanCommand({ BackupPlanId: id, BackupPlan: planInput(asPlan(after)) }))).VersionId;
  }
  const arn = planArnOf(w, id);
  const beforeTags = adopting ? await listBackupTags(w.backup, arn) : record(before.tags);
  await syncBackupTags(w, arn, beforeTags, { ...record(after.tags), ...w.ownershipTags(applied), ...versionTag(version) });
  return { id, attributes: applied };
}

export async function deletePlan(w: Write, id: string): Promise<void> {
  try {
    await w.wait(() => w.backup.send(new DeleteBackupPlanCommand({ BackupPlanId: id })), dependentsNotYetGone);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
}

/** A retried create whose selection exists under the same name and document (AlreadyExists): that one. */
async function twinSelection(w: Write, planId: string, wanted: BackupSelectionAttributes): Promise<string | undefined> {
  const list = await allPages((t) => w.backup.send(new ListBackupSelectionsCommand({ BackupPlanId: planId, NextToken: t })), (p) => p.BackupSelectionsList, (p) => p.NextToken);
  for (const entry of list.filter((s) => s.SelectionName === wanted.name)) {
    const got = await w.backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: entry.SelectionId }));
    if (got.BackupSelection && canonicalJson(selectionAttributes(got.BackupSelection, planId)) === canonicalJson({ ...wanted, plan_id: planId })) return entry.SelectionId;
  }
  return undefined;
}

export async function createSelection(w: Write, after: Attributes): Promise<ApplyResult> {
  const wanted = asSelection(after);
  const planId = str(wanted.plan_id);
  if (!planId) throw new ApplyError(w.address, "the selection's backup plan id is not known; apply the plan first");
  // The content is part of the token: a replacement never collides with the selection it replaces.
  const token = creatorRequestId(w.stack, w.address, attributesHash(after));
  try {
    const out = await w.backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selectionInput(wanted), CreatorRequestId: token }));
    return { id: out.SelectionId ?? "", attributes: after };
  } catch (e) {
    if (errorName(e) !== "AlreadyExistsException") throw e;
    const twin = await twinSelection(w, planId, wanted);
    if (!twin) throw new ApplyError(w.address, `${errorMessage(e)}; remove the existing selection or change this one`);
    return { id: twin, attributes: after };
  }
}

export async function deleteSelection(w: Write, before: Attributes, id: string): Promise<void> {
  try {
    await w.backup.send(new DeleteBackupSelectionCommand({ BackupPlanId: str(before.plan_id), SelectionId: id }));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
