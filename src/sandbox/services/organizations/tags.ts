// Tags on Organizations resources: policies (stored on the policy), the root, OUs and accounts.
import type { OperationHandler } from "../../service.js";
import type { OrgState } from "./state.js";
import { targetTypeOf } from "./entities.js";
import { orgError, orgForManagement, orgForReader } from "./errors.js";
import { own } from "./state.js";
import { orgPage } from "./structure.js";

/** Tags per resource: 50 [D]. */
const MAX_TAGS = 50;

/** The live tag map of a taggable resource id (created empty for a root, OU or account on first use). */
function tagsOf(org: OrgState, id: unknown, forWrite: boolean): Record<string, string> {
  const resourceId = String(id ?? "");
  const policy = own(org.policies, resourceId);
  if (policy) {
    if (forWrite && policy.awsManaged) throw orgError("InvalidInputException", "You specified a policy that is managed by AWS and can't be modified.", "IMMUTABLE_POLICY");
    return policy.tags;
  }
  if (!targetTypeOf(org, resourceId)) throw orgError("TargetNotFoundException", "We can't find a root, OU, account, or policy with the ResourceId that you specified.");
  const all = (org.resourceTags ??= {});
  return (all[resourceId] ??= {});
}

export const tagOperations: Record<string, OperationHandler> = {
  TagResource(ctx, input) {
    const org = orgForManagement(ctx);
    const tags = tagsOf(org, input.ResourceId, true);
    const next = { ...tags };
    for (const t of Array.isArray(input.Tags) ? input.Tags : []) {
      const key = String(t?.Key ?? "");
      if (key.toLowerCase().startsWith("aws:")) throw orgError("InvalidInputException", "You specified a tag key that is a system tag.", "INVALID_SYSTEM_TAGS_PARAMETER");
      next[key] = String(t?.Value ?? "");
    }
    if (Object.keys(next).length > MAX_TAGS) throw orgError("ConstraintViolationException", `A resource can have at most ${MAX_TAGS} tags.`, "MAX_TAG_LIMIT_EXCEEDED");
    Object.assign(tags, next);
  },

  UntagResource(ctx, input) {
    const org = orgForManagement(ctx);
    const tags = tagsOf(org, input.ResourceId, true);
    for (const k of Array.isArray(input.TagKeys) ? input.TagKeys : []) delete tags[String(k)];
  },

  ListTagsForResource(ctx, input) {
    const org = orgForReader(ctx);
    const tags = tagsOf(org, input.ResourceId, false);
    const page = orgPage(Object.entries(tags).map(([Key, Value]) => ({ Key, Value })), input);
    return { Tags: page.items, NextToken: page.nextToken };
  },
};
