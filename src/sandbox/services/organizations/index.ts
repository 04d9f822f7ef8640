// The organizations service's operations (being built: see issue 3).
import type { ServiceImpl } from "../../service.js";

export const organizationsService: ServiceImpl = { service: "organizations", operations: {} };
