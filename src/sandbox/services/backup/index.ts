// The backup service's operations (being built: see issue 3). Job operations live in jobs.ts.
import type { ServiceImpl } from "../../service.js";
import { jobOperations, tickJobs } from "./jobs.js";

export const backupService: ServiceImpl = { service: "backup", operations: { ...jobOperations }, tick: tickJobs };
