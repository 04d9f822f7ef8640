// The registry of emulated services: the protocol layer dispatches to these.
import type { ServiceImpl, ServiceName } from "../service.js";
import { backupService } from "./backup/index.js";
import { kmsService } from "./kms/index.js";
import { organizationsService } from "./organizations/index.js";
import { stsService } from "./sts/index.js";

export const services: Record<ServiceName, ServiceImpl> = {
  backup: backupService,
  kms: kmsService,
  organizations: organizationsService,
  sts: stsService,
};
