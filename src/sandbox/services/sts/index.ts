// The sts service's operations (being built: see issue 3).
import type { ServiceImpl } from "../../service.js";

export const stsService: ServiceImpl = { service: "sts", operations: {} };
