// Resource tags: TagResource, UntagResource and ListTags (BEHAVIOUR.md §2.17) on backup vaults, backup plans
// and recovery points of the caller's account-region. Other services' ARNs are rejected, except the ARN of a
// recovery point AWS Backup itself keeps (an EBS snapshot's, an RDS snapshot's), which AWS tags too.
import type { OperationContext, OperationHandler } from "../../service.js";
import { paginate } from "../../paging.js";
import { invalidParameter, missingParameter, notFound } from "./errors.js";
import { byCodePoint, checkTags, parseArn } from "./identifiers.js";
import { backupRegion } from "./region.js";

/** The tag map of the resource an ARN names (the live object: callers mutate it). */
function tagsOf(ctx: OperationContext, arn: unknown): Record<string, string> {
  if (typeof arn !== "string" || arn === "") throw missingParameter("ResourceArn");
  const parts = parseArn(arn);
  if (!parts) throw invalidParameter(`${arn} is not a valid ARN.`, { Context: "ResourceArn" });
  const region = backupRegion(ctx);
  const missing = () => notFound(`Resource ${arn} does not exist in account ${ctx.caller.accountId} in ${ctx.region}.`, arn);
  const recoveryPoint = () => {
    for (const vault of Object.values(region.vaults)) {
      const rp = Object.values(vault.recoveryPoints).find((p) => p.arn === arn);
      if (rp) return rp;
    }
    return undefined;
  };
  if (parts.service !== "backup") {
    const rp = recoveryPoint();
    if (!rp) throw invalidParameter(`${arn} is not an AWS Backup resource ARN; only backup vaults, backup plans and recovery points can be tagged.`, { Context: "ResourceArn" });
    return (rp.tags ??= {});
  }
  if (parts.accountId !== ctx.caller.accountId || parts.region !== ctx.region) throw missing();
  const [type, ...rest] = parts.resource.split(":");
  const id = rest.join(":");
  if (type === "backup-vault") {
    const vault = region.vaults[id];
    if (!vault) throw missing();
    return vault.tags;
  }
  if (type === "backup-plan") {
    const plan = region.plans[id];
    if (!plan || plan.deletedAt !== undefined) throw missing();
    return plan.tags;
  }
  if (type === "recovery-point") {
    const rp = recoveryPoint();
    if (!rp) throw missing();
    return (rp.tags ??= {});
  }
  throw missing();
}

const tagResource: OperationHandler = (ctx, input) => {
  const tags = tagsOf(ctx, input.ResourceArn);
  if (input.Tags === undefined || input.Tags === null) throw missingParameter("Tags");
  Object.assign(tags, checkTags(input.Tags, "Tags", tags));
};

const untagResource: OperationHandler = (ctx, input) => {
  const tags = tagsOf(ctx, input.ResourceArn);
  if (!Array.isArray(input.TagKeyList)) throw missingParameter("TagKeyList");
  for (const key of input.TagKeyList) delete tags[String(key)];
};

const listTags: OperationHandler = (ctx, input) => {
  const entries = Object.entries(tagsOf(ctx, input.ResourceArn)).sort(([a], [b]) => byCodePoint(a, b));
  const page = paginate(entries, input.NextToken, input.MaxResults, 1000);
  return { Tags: Object.fromEntries(page.items), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};

export const tagOperations: Record<string, OperationHandler> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTags: listTags,
};
