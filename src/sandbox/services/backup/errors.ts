// The AWS Backup error shapes, as the backup handlers throw them. Backup errors carry a numeric service code
// in the body (`Code: "ERROR_9101"`) beside the shape name in X-Amzn-ErrorType; we send the code only where a
// real response has shown it, so a client that matches on it never matches an invented one.
import { ServiceError } from "../../service.js";

/** Body codes seen in real AWS Backup responses (BEHAVIOUR.md §1.2). */
export const BackupErrorCode = {
  alreadyExists: "ERROR_1101",
  invalidLifecycle: "ERROR_3015",
  invalidRequest: "ERROR_9101",
  notInOrganization: "ERROR_9601",
} as const;

export function invalidParameter(message: string, fields: Record<string, unknown> = {}): ServiceError {
  return new ServiceError("InvalidParameterValueException", message, 400, fields);
}

export function missingParameter(member: string): ServiceError {
  return new ServiceError("MissingParameterValueException", `${member} is required.`, 400, { Context: member });
}

export function invalidRequest(message: string, fields: Record<string, unknown> = {}): ServiceError {
  return new ServiceError("InvalidRequestException", message, 400, fields);
}

export function notFound(message: string, context?: string): ServiceError {
  return new ServiceError("ResourceNotFoundException", message, 400, context === undefined ? {} : { Context: context });
}

export function limitExceeded(message: string): ServiceError {
  return new ServiceError("LimitExceededException", message, 400);
}

export function alreadyExists(message: string, fields: { Arn?: string; CreatorRequestId?: string; Context?: string }): ServiceError {
  return new ServiceError("AlreadyExistsException", message, 400, { Code: BackupErrorCode.alreadyExists, ...fields });
}

/** Unmodelled in the Backup model but what AWS answers for refused resource policies (HTTP 403). */
export function accessDenied(message: string): ServiceError {
  return new ServiceError("AccessDeniedException", message, 403);
}
