// The kms service (awsJson1_1): keys, key policies, aliases, tags, grants and rotation; the clock tick deletes keys
// whose deletion window is over. The pure queries other services need are re-exported here.
import type { ServiceImpl } from "../../service.js";
import { aliasOperations } from "./aliases.js";
import { grantOperations } from "./grants.js";
import { keyPolicyOperations } from "./key-policies.js";
import { deleteDueKeys, keyOperations } from "./keys.js";
import { rotationOperations } from "./rotation.js";
import { tagOperations } from "./tags.js";

export { findKeyByArn } from "./key-lookup.js";
export { defaultKeyPolicy, keyPolicyAllows, keyPolicyAllowsAccount, keyPolicyDecision } from "./key-policy.js";
export type { KmsPrincipal, KmsRequest, Decision } from "./key-policy.js";

export const kmsService: ServiceImpl = {
  service: "kms",
  operations: { ...keyOperations, ...keyPolicyOperations, ...aliasOperations, ...tagOperations, ...grantOperations, ...rotationOperations },
  tick: (world, now) => deleteDueKeys(world, now),
};
