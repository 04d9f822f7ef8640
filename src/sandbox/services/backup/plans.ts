// Backup plans: Create/Get/Update/Delete/ListBackupPlans and ListBackupPlanVersions (BEHAVIOUR.md §2.8–2.12).
// Every update stores a new version with a new VersionId; deleting a plan marks it deleted and keeps its
// versions, which GetBackupPlan?versionId= and ListBackupPlans?includeDeleted=true still show.
import { randomUUID } from "node:crypto";
import type { OperationContext, OperationHandler } from "../../service.js";
import type { BackupPlanRecord, BackupPlanVersion } from "./state.js";
import { paginate } from "../../paging.js";
import { alreadyExists, invalidRequest, notFound } from "./errors.js";
import { byCodePoint, checkCreatorRequestId, checkTags, newVersionId, planArn } from "./identifiers.js";
import { documentKey, planDocument } from "./plan-document.js";
import { backupRegion } from "./region.js";

export function latestVersion(plan: BackupPlanRecord): BackupPlanVersion {
  return plan.versions[plan.versions.length - 1]!;
}

/** A plan of the caller's account-region; deleted plans only when asked for. */
export function findPlan(ctx: OperationContext, id: unknown, includeDeleted = false): BackupPlanRecord {
  const plan = typeof id === "string" ? backupRegion(ctx).plans[id] : undefined;
  if (!plan || (plan.deletedAt !== undefined && !includeDeleted)) {
    throw notFound(`Backup plan ${String(id)} does not exist in account ${ctx.caller.accountId} in ${ctx.region}.`, String(id));
  }
  return plan;
}

function advanced(version: BackupPlanVersion): Record<string, unknown> {
  const settings = version.plan.AdvancedBackupSettings;
  return settings ? { AdvancedBackupSettings: settings } : {};
}

/** CreateBackupPlan's and UpdateBackupPlan's output. */
function writeOutput(plan: BackupPlanRecord, version: BackupPlanVersion): Record<string, unknown> {
  return { BackupPlanId: plan.id, BackupPlanArn: plan.arn, CreationDate: new Date(version.createdAt), VersionId: version.versionId, ...advanced(version) };
}

/** One `BackupPlansListMember` (ListBackupPlans and ListBackupPlanVersions). */
function listMember(plan: BackupPlanRecord, version: BackupPlanVersion): Record<string, unknown> {
  const isLatest = version === latestVersion(plan);
  return {
    BackupPlanArn: plan.arn,
    BackupPlanId: plan.id,
    CreationDate: new Date(version.createdAt),
    ...(plan.deletedAt !== undefined && isLatest ? { DeletionDate: new Date(plan.deletedAt) } : {}),
    VersionId: version.versionId,
    BackupPlanName: version.plan.BackupPlanName,
    ...(plan.creatorRequestId !== undefined ? { CreatorRequestId: plan.creatorRequestId } : {}),
    ...(plan.lastExecutionAt !== undefined ? { LastExecutionDate: new Date(plan.lastExecutionAt) } : {}),
    ...advanced(version),
  };
}

function activePlans(ctx: OperationContext): BackupPlanRecord[] {
  return Object.values(backupRegion(ctx).plans).filter((p) => p.deletedAt === undefined);
}

const createBackupPlan: OperationHandler = (ctx, input) => {
  const creatorRequestId = checkCreatorRequestId(input.CreatorRequestId);
  // "If the request includes a CreatorRequestId that matches an existing backup plan, that plan is returned." [M]
  const retried = creatorRequestId === undefined ? undefined : activePlans(ctx).find((p) => p.creatorRequestId === creatorRequestId);
  if (retried) return writeOutput(retried, latestVersion(retried));
  const region = backupRegion(ctx);
  const tags = checkTags(input.BackupPlanTags, "BackupPlanTags");
  const document = planDocument(input.BackupPlan, region.vaults);
  const key = documentKey(document);
  const twin = activePlans(ctx).find((p) => documentKey(latestVersion(p).plan) === key);
  if (twin) {
    throw alreadyExists("Backup plan with the same plan document already exists", {
      Arn: twin.arn,
      ...(twin.creatorRequestId !== undefined ? { CreatorRequestId: twin.creatorRequestId } : {}),
    });
  }
  const id = randomUUID();
  const version: BackupPlanVersion = { versionId: newVersionId(), plan: document, createdAt: ctx.now };
  const plan: BackupPlanRecord = {
    id,
    arn: planArn(ctx.caller.accountId, ctx.region, id),
    ...(creatorRequestId !== undefined ? { creatorRequestId } : {}),
    createdAt: ctx.now,
    tags,
    versions: [version],
  };
  region.plans[id] = plan;
  return writeOutput(plan, version);
};

const updateBackupPlan: OperationHandler = (ctx, input) => {
  const plan = findPlan(ctx, input.BackupPlanId);
  const document = planDocument(input.BackupPlan, backupRegion(ctx).vaults, latestVersion(plan).plan);
  const version: BackupPlanVersion = { versionId: newVersionId(), plan: document, createdAt: ctx.now };
  plan.versions.push(version);
  return writeOutput(plan, version);
};

const getBackupPlan: OperationHandler = (ctx, input) => {
  const wanted = typeof input.VersionId === "string" && input.VersionId !== "" ? input.VersionId : undefined;
  // Without VersionId a deleted plan is gone; a version of it can still be read by its id [I].
  const plan = findPlan(ctx, input.BackupPlanId, wanted !== undefined);
  const version = wanted === undefined ? latestVersion(plan) : plan.versions.find((v) => v.versionId === wanted);
  if (!version) throw notFound(`Backup plan ${plan.id} has no version ${wanted}.`, wanted);
  const isLatest = version === latestVersion(plan);
  return {
    BackupPlan: structuredClone(version.plan),
    BackupPlanId: plan.id,
    BackupPlanArn: plan.arn,
    VersionId: version.versionId,
    ...(plan.creatorRequestId !== undefined ? { CreatorRequestId: plan.creatorRequestId } : {}),
    CreationDate: new Date(version.createdAt),
    ...(plan.deletedAt !== undefined && isLatest ? { DeletionDate: new Date(plan.deletedAt) } : {}),
    ...(plan.lastExecutionAt !== undefined ? { LastExecutionDate: new Date(plan.lastExecutionAt) } : {}),
    ...advanced(version),
  };
};

const deleteBackupPlan: OperationHandler = (ctx, input) => {
  const plan = findPlan(ctx, input.BackupPlanId);
  if (Object.values(backupRegion(ctx).selections).some((s) => s.planId === plan.id)) {
    throw invalidRequest("Related backup plan selections must be deleted prior to backup plan deletion", { Context: plan.id });
  }
  plan.deletedAt = ctx.now;
  return { BackupPlanId: plan.id, BackupPlanArn: plan.arn, DeletionDate: new Date(plan.deletedAt), VersionId: latestVersion(plan).versionId };
};

const listBackupPlans: OperationHandler = (ctx, input) => {
  const plans = Object.values(backupRegion(ctx).plans)
    .filter((p) => input.IncludeDeleted === true || p.deletedAt === undefined)
    .sort((a, b) => a.createdAt - b.createdAt || byCodePoint(a.id, b.id));
  const page = paginate(plans, input.NextToken, input.MaxResults, 1000);
  return { BackupPlansList: page.items.map((p) => listMember(p, latestVersion(p))), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};

const listBackupPlanVersions: OperationHandler = (ctx, input) => {
  const plan = findPlan(ctx, input.BackupPlanId, true);
  const newestFirst = [...plan.versions].reverse();
  const page = paginate(newestFirst, input.NextToken, input.MaxResults, 1000);
  return { BackupPlanVersionsList: page.items.map((v) => listMember(plan, v)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};

export const planOperations: Record<string, OperationHandler> = {
  CreateBackupPlan: createBackupPlan,
  UpdateBackupPlan: updateBackupPlan,
  GetBackupPlan: getBackupPlan,
  DeleteBackupPlan: deleteBackupPlan,
  ListBackupPlans: listBackupPlans,
  ListBackupPlanVersions: listBackupPlanVersions,
};
