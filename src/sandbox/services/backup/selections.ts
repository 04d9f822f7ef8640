// Backup selections: Create/Get/List/DeleteBackupSelection (BEHAVIOUR.md §2.13–2.14). A selection belongs to
// one active plan and is immutable: there is no update, a change is a delete and a create.
import { randomUUID } from "node:crypto";
import type { OperationHandler } from "../../service.js";
import type { BackupSelectionRecord } from "./state.js";
import { paginate } from "../../paging.js";
import { alreadyExists, invalidParameter, limitExceeded, missingParameter, notFound } from "./errors.js";
import { byCodePoint, checkCreatorRequestId, isIamRoleArn } from "./identifiers.js";
import { findPlan } from "./plans.js";
import { backupRegion } from "./region.js";

const SELECTION_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
const CONDITION_OPERATORS = ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"];
/** The documented limits on ARNs per selection: 500 without wildcards, 30 when any uses one. */
const MAX_ARNS = 500;
const MAX_WILDCARD_ARNS = 30;

type Doc = Record<string, any>;

function isObject(v: unknown): v is Doc {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function arnList(v: unknown, member: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((a) => typeof a !== "string" || a.length === 0)) throw invalidParameter(`${member} must be a list of ARNs.`, { Context: member });
  const wildcard = v.some((a: string) => a.includes("*"));
  const max = wildcard ? MAX_WILDCARD_ARNS : MAX_ARNS;
  if (v.length > max) throw limitExceeded(`${member} has ${v.length} ARNs; a selection can list at most ${max}${wildcard ? " when wildcards are used" : ""}.`);
  return [...v];
}

function conditionList(v: unknown, member: string, needType: boolean): Doc[] {
  if (!Array.isArray(v)) throw invalidParameter(`${member} must be a list of conditions.`, { Context: member });
  return v.map((c) => {
    if (!isObject(c) || typeof c.ConditionKey !== "string" || typeof c.ConditionValue !== "string") {
      throw invalidParameter(`Each entry of ${member} needs a ConditionKey and a ConditionValue.`, { Context: member });
    }
    if (needType && c.ConditionType !== "STRINGEQUALS") throw invalidParameter(`${member}: ConditionType must be STRINGEQUALS.`, { Context: member });
    return needType ? { ConditionType: c.ConditionType, ConditionKey: c.ConditionKey, ConditionValue: c.ConditionValue } : { ConditionKey: c.ConditionKey, ConditionValue: c.ConditionValue };
  });
}

/** Validates a `BackupSelection` and returns it as stored (only the model's members). */
export function selectionDocument(s: unknown): Doc {
  if (s === undefined || s === null) throw missingParameter("BackupSelection");
  if (!isObject(s)) throw invalidParameter("BackupSelection must be an object.");
  if (s.SelectionName === undefined) throw missingParameter("SelectionName");
  if (typeof s.SelectionName !== "string" || !SELECTION_NAME.test(s.SelectionName)) {
    throw invalidParameter(`Selection name ${String(s.SelectionName)} is not valid. It must contain 1 to 50 alphanumeric or '-_.' characters.`);
  }
  if (s.IamRoleArn === undefined) throw missingParameter("IamRoleArn");
  if (!isIamRoleArn(s.IamRoleArn)) {
    throw invalidParameter(`IamRoleArn ${String(s.IamRoleArn)} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).`, { Context: "IamRoleArn" });
  }
  const resources = arnList(s.Resources, "Resources");
  const notResources = arnList(s.NotResources, "NotResources");
  const listOfTags = s.ListOfTags === undefined ? undefined : conditionList(s.ListOfTags, "ListOfTags", true);
  let conditions: Doc | undefined;
  if (s.Conditions !== undefined) {
    if (!isObject(s.Conditions)) throw invalidParameter("Conditions must be an object.", { Context: "Conditions" });
    conditions = {};
    for (const [op, list] of Object.entries(s.Conditions)) {
      if (!CONDITION_OPERATORS.includes(op)) throw invalidParameter(`Conditions: unknown operator ${op}; use ${CONDITION_OPERATORS.join(", ")}.`, { Context: "Conditions" });
      conditions[op] = conditionList(list, `Conditions.${op}`, false);
    }
  }
  return {
    SelectionName: s.SelectionName,
    IamRoleArn: s.IamRoleArn,
    ...(resources ? { Resources: resources } : {}),
    ...(listOfTags ? { ListOfTags: listOfTags } : {}),
    ...(notResources ? { NotResources: notResources } : {}),
    ...(conditions ? { Conditions: conditions } : {}),
  };
}

function findSelection(region: ReturnType<typeof backupRegion>, planId: string, selectionId: unknown): BackupSelectionRecord {
  const selection = typeof selectionId === "string" ? region.selections[selectionId] : undefined;
  if (!selection || selection.planId !== planId) throw notFound(`Backup selection ${String(selectionId)} does not exist in backup plan ${planId}.`, String(selectionId));
  return selection;
}

const createBackupSelection: OperationHandler = (ctx, input) => {
  const creatorRequestId = checkCreatorRequestId(input.CreatorRequestId);
  const region = backupRegion(ctx);
  // The model gives CreateBackupSelection no ResourceNotFoundException: an unknown plan is a bad parameter [I].
  const plan = region.plans[String(input.BackupPlanId)];
  if (!plan || plan.deletedAt !== undefined) throw invalidParameter(`Backup plan ${String(input.BackupPlanId)} does not exist.`, { Context: "BackupPlanId" });
  const document = selectionDocument(input.BackupSelection);
  const ofPlan = Object.values(region.selections).filter((s) => s.planId === plan.id);
  const output = (s: BackupSelectionRecord) => ({ SelectionId: s.id, BackupPlanId: s.planId, CreationDate: new Date(s.createdAt) });
  const retried = creatorRequestId === undefined ? undefined : ofPlan.find((s) => s.creatorRequestId === creatorRequestId);
  if (retried) return output(retried);
  const twin = ofPlan.find((s) => JSON.stringify(s.selection) === JSON.stringify(document));
  if (twin) {
    throw alreadyExists(`Backup selection ${document.SelectionName} with the same selection document already exists in backup plan ${plan.id}`, {
      Arn: plan.arn,
      ...(twin.creatorRequestId !== undefined ? { CreatorRequestId: twin.creatorRequestId } : {}),
    });
  }
  const selection: BackupSelectionRecord = {
    id: randomUUID(),
    planId: plan.id,
    ...(creatorRequestId !== undefined ? { creatorRequestId } : {}),
    createdAt: ctx.now,
    selection: document,
  };
  region.selections[selection.id] = selection;
  return output(selection);
};

const getBackupSelection: OperationHandler = (ctx, input) => {
  const plan = findPlan(ctx, input.BackupPlanId);
  const s = findSelection(backupRegion(ctx), plan.id, input.SelectionId);
  return {
    BackupSelection: structuredClone(s.selection),
    SelectionId: s.id,
    BackupPlanId: s.planId,
    CreationDate: new Date(s.createdAt),
    ...(s.creatorRequestId !== undefined ? { CreatorRequestId: s.creatorRequestId } : {}),
  };
};

const listBackupSelections: OperationHandler = (ctx, input) => {
  const plan = findPlan(ctx, input.BackupPlanId);
  const all = Object.values(backupRegion(ctx).selections)
    .filter((s) => s.planId === plan.id)
    .sort((a, b) => a.createdAt - b.createdAt || byCodePoint(a.id, b.id));
  const page = paginate(all, input.NextToken, input.MaxResults, 1000);
  return {
    BackupSelectionsList: page.items.map((s) => ({
      SelectionId: s.id,
      SelectionName: s.selection.SelectionName,
      BackupPlanId: s.planId,
      CreationDate: new Date(s.createdAt),
      ...(s.creatorRequestId !== undefined ? { CreatorRequestId: s.creatorRequestId } : {}),
      IamRoleArn: s.selection.IamRoleArn,
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

const deleteBackupSelection: OperationHandler = (ctx, input) => {
  const plan = findPlan(ctx, input.BackupPlanId);
  const region = backupRegion(ctx);
  delete region.selections[findSelection(region, plan.id, input.SelectionId).id];
};

export const selectionOperations: Record<string, OperationHandler> = {
  CreateBackupSelection: createBackupSelection,
  GetBackupSelection: getBackupSelection,
  ListBackupSelections: listBackupSelections,
  DeleteBackupSelection: deleteBackupSelection,
};
