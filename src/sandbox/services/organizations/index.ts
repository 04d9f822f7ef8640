// The organizations service (awsJson1_1): structure reads, policies and their attachments, trusted access,
// delegated administrators and tags. The pure queries other services need are re-exported here.
import type { ServiceImpl } from "../../service.js";
import { attachmentOperations } from "./attachments.js";
import { policyOperations } from "./policies.js";
import { serviceAccessOperations } from "./service-access.js";
import { structureOperations } from "./structure.js";
import { tagOperations } from "./tags.js";

export { isMember, orgPathOf, ouPathOf, scpLevelsFor } from "./entities.js";
export type { ScpLevel } from "./entities.js";

export const organizationsService: ServiceImpl = {
  service: "organizations",
  operations: { ...structureOperations, ...policyOperations, ...attachmentOperations, ...serviceAccessOperations, ...tagOperations },
};
