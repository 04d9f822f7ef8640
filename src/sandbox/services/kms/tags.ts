// Key tags: TagResource, UntagResource, ListResourceTags, and the tag rules CreateKey shares.
import type { OperationHandler } from "../../service.js";
import { kmsError, kmsPage, resolveKey } from "./key-lookup.js";

/** Tags per key: 50 [D]. */
const MAX_TAGS = 50;

/** Merges request tags (`[{TagKey, TagValue}]`) into `into`; reserved `aws:` keys are a TagException. */
export function applyTags(into: Record<string, string>, tags: unknown): Record<string, string> {
  const next = { ...into };
  for (const t of Array.isArray(tags) ? tags : []) {
    const key = String(t?.TagKey ?? "");
    if (key.length === 0) throw kmsError("TagException", "Tag keys must not be empty.");
    if (key.toLowerCase().startsWith("aws:")) throw kmsError("TagException", `Tag key ${key} uses the reserved prefix aws:.`);
    next[key] = String(t?.TagValue ?? "");
  }
  if (Object.keys(next).length > MAX_TAGS) throw kmsError("LimitExceededException", `A KMS key can have at most ${MAX_TAGS} tags.`);
  return next;
}

function pendingDeletion(arn: string): never {
  throw kmsError("KMSInvalidStateException", `${arn} is pending deletion.`);
}

export const tagOperations: Record<string, OperationHandler> = {
  TagResource(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:TagResource" });
    if (key.keyState === "PendingDeletion") pendingDeletion(key.arn);
    key.tags = applyTags(key.tags, input.Tags);
  },

  UntagResource(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:UntagResource" });
    if (key.keyState === "PendingDeletion") pendingDeletion(key.arn);
    for (const k of Array.isArray(input.TagKeys) ? input.TagKeys : []) {
      if (String(k).toLowerCase().startsWith("aws:")) throw kmsError("TagException", `Tag key ${String(k)} uses the reserved prefix aws:.`);
      delete key.tags[String(k)];
    }
  },

  ListResourceTags(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:ListResourceTags" });
    const page = kmsPage(Object.entries(key.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), input, 50, 50);
    return { Tags: page.items, NextMarker: page.NextMarker, Truncated: page.Truncated };
  },
};
