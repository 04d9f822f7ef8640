// The AWS edge of the engine: clients per account x region, the live read (plan's refresh), the organization's
// structure, and the writers apply uses. Nothing else in crossvault talks to AWS.
export { ClientPool, roleArnFor, sharedCredentials } from "./clients.js";
export type { AccountAccess, AwsService, ClientSettings } from "./clients.js";
export { readOrgFacts } from "./read-org.js";
export { readLive } from "./read-live.js";
export type { LiveRead, ReadOptions, ReadScope, Unreadable } from "./read-live.js";
export { applyChange, ApplyError } from "./apply.js";
export type { ApplyContext, ApplyResult } from "./apply.js";
export { DEFAULT_LIMITS, RequestLimiter } from "./limiter.js";
export { ReadAhead } from "./read-ahead.js";
export { lanesToRead, organizationLane } from "./read-context.js";
export type { LimiterOptions } from "./limiter.js";
export { DEFAULT_MAX_WAIT_MS, PropagationTimeout } from "./propagation.js";
export { creatorRequestId, markerAlias } from "./marks.js";
