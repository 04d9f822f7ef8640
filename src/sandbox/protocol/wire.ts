// What every protocol codec does (decode a request into operation + input, encode an output or an error),
// and the errors that belong to the wire rather than to an operation: unknown action, missing or broken
// SigV4, throttling, injected failures, oversized or undecodable bodies. Each is named and shaped per
// protocol as AWS answers it, so SDKs raise the same exception they would against AWS.
import type { IncomingHttpHeaders } from "node:http";
import { ServiceError } from "../service.js";
import type { ServiceName } from "../service.js";

export interface WireRequest {
  method: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  /** Raw query string without the `?`. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DecodedRequest {
  operation: string;
  input: Record<string, unknown>;
}

export interface Codec {
  /** Finds the operation and decodes its input; throws ServiceError for anything it cannot decode. */
  decode(req: WireRequest): DecodedRequest;
  /** The operation name a request asks for, when it can be told without decoding (for errors and stats). */
  peekOperation(req: WireRequest): string | undefined;
  encodeOutput(operation: string, output: Record<string, unknown> | void, requestId: string): WireResponse;
  encodeError(err: ServiceError, requestId: string): WireResponse;
}

export type WireErrorKind =
  | "unknownOperation"
  | "notEmulated"
  | "missingAuthentication"
  | "incompleteSignature"
  | "expiredToken"
  | "throttling"
  | "internalFailure"
  | "serviceUnavailable"
  | "bodyTooLarge"
  | "unsupportedMediaType";

const QUERY_CODES: Record<WireErrorKind, [string, number]> = {
  unknownOperation: ["InvalidAction", 400],
  notEmulated: ["InvalidAction", 400],
  missingAuthentication: ["MissingAuthenticationToken", 403],
  incompleteSignature: ["IncompleteSignature", 400],
  expiredToken: ["ExpiredToken", 403],
  throttling: ["Throttling", 400],
  internalFailure: ["InternalFailure", 500],
  serviceUnavailable: ["ServiceUnavailable", 503],
  bodyTooLarge: ["RequestEntityTooLarge", 413],
  unsupportedMediaType: ["InvalidParameterValue", 400],
};

const JSON_CODES: Record<WireErrorKind, [string, number]> = {
  unknownOperation: ["UnknownOperationException", 400],
  notEmulated: ["UnknownOperationException", 400],
  missingAuthentication: ["MissingAuthenticationTokenException", 403],
  incompleteSignature: ["IncompleteSignatureException", 400],
  expiredToken: ["ExpiredTokenException", 403],
  throttling: ["ThrottlingException", 400],
  internalFailure: ["InternalFailure", 500],
  serviceUnavailable: ["ServiceUnavailable", 503],
  bodyTooLarge: ["RequestEntityTooLargeException", 413],
  unsupportedMediaType: ["UnsupportedMediaTypeException", 415],
};

const DEFAULT_MESSAGES: Record<WireErrorKind, string> = {
  unknownOperation: "The requested operation is not recognized by the service.",
  notEmulated: "The operation is a real AWS operation that the crossvault sandbox does not emulate.",
  missingAuthentication: "Missing Authentication Token",
  incompleteSignature: "The request signature does not conform to AWS standards.",
  expiredToken: "The security token included in the request is expired",
  throttling: "Rate exceeded",
  internalFailure: "The request processing has failed because of an unknown error, exception or failure.",
  serviceUnavailable: "The request has failed due to a temporary failure of the server.",
  bodyTooLarge: "Request entity too large",
  unsupportedMediaType: "The request's content type is not supported by this service.",
};

/** The wire-level error `kind` as `service` sends it. */
export function wireError(service: ServiceName, kind: WireErrorKind, message?: string): ServiceError {
  let [code, status] = service === "sts" ? QUERY_CODES[kind] : JSON_CODES[kind];
  if (kind === "unknownOperation" && service === "backup") status = 404;
  if (kind === "missingAuthentication" && service === "sts") message ??= "Request is missing Authentication Token";
  const fields: Record<string, unknown> = {};
  if (kind === "throttling" && service === "organizations") {
    code = "TooManyRequestsException";
    status = 429;
    message ??= "AWS Organizations can't complete your request because it received too many requests in a short period of time. Try again later.";
  }
  return new ServiceError(code, message ?? DEFAULT_MESSAGES[kind], status, fields);
}

export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The media type of the request without parameters, lower case ("" when absent). */
export function mediaType(req: WireRequest): string {
  return (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isJsonMediaType(t: string): boolean {
  return t === "" || t === "application/json" || /^application\/x-amz-json-1\.[01]$/.test(t);
}

/** Parses a JSON request body into an object ({} when empty); anything else is a SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError("SerializationException", "Start of structure or map found where not expected, or the request body is not valid JSON.", 400);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ServiceError("SerializationException", "The request body must be a JSON object.", 400);
  }
  return parsed as Record<string, unknown>;
}
