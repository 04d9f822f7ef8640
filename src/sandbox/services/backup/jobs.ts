// Backup and copy jobs (being built: see issue 3).
import type { OperationHandler } from "../../service.js";
import type { World } from "../../world.js";

export const jobOperations: Record<string, OperationHandler> = {};

export function tickJobs(_world: World, _now: number): void {}
