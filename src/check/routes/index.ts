// Public face of the copy-route check: build the live and the planned route world, and judge every route in
// both. Pure: the engine reads what it needs (providers/aws) and passes it in.
export { buildLiveWorld, statementsOf, type LiveWorldInput, type ResourceView } from "./world-live.js";
export { buildPlannedWorld, keyRefOf, type ChangeView, type PlannedWorldInput } from "./world-planned.js";
export { parseVaultArn, routeId, type ShareKeysOf } from "./enumerate.js";
export { checkRoute, routeVerdicts, type RouteCheck } from "./verdicts.js";
export {
  pendingKeyRef, readable, unreadable, vaultKey,
  type CopyRoute, type KeyFact, type OrgSettings, type Readable, type RouteFacts, type RouteWorld, type ServiceControlPolicy, type VaultFact,
} from "./types.js";
