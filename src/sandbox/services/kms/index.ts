// The kms service's operations (being built: see issue 3).
import type { ServiceImpl } from "../../service.js";

export const kmsService: ServiceImpl = { service: "kms", operations: {} };
