// awsJson1_1 (KMS, Organizations): `POST /` with `X-Amz-Target: {ServiceShape}.{Operation}` and a JSON body.
// Errors are `{"__type": ShapeName, "message"|"Message": ...}` with the model's @httpError status; which
// message key depends on the service's error shapes (KMS `message`, Organizations `Message`).
import type { ServiceError } from "../service.js";
import type { ServiceModel } from "./model.js";
import { fromJson, toJson } from "./values.js";
import type { Codec, DecodedRequest, WireRequest, WireResponse } from "./wire.js";
import { header, isJsonMediaType, mediaType, parseJsonObject, wireError } from "./wire.js";

export function awsJsonCodec(model: ServiceModel): Codec {
  const contentType = model.protocol === "awsJson1_1" ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
  const defaultMessageKey = model.service === "organizations" ? "Message" : "message";

  function target(req: WireRequest): string | undefined {
    const t = header(req, "x-amz-target");
    if (!t) return undefined;
    const dot = t.lastIndexOf(".");
    return dot > 0 && t.slice(0, dot) === model.targetPrefix ? t.slice(dot + 1) : undefined;
  }

  function messageKey(code: string): string {
    const members = model.shapes[code]?.members;
    if (members && "message" in members) return "message";
    if (members && "Message" in members) return "Message";
    return defaultMessageKey;
  }

  return {
    peekOperation: (req) => target(req),

    decode(req: WireRequest): DecodedRequest {
      const operation = target(req);
      const raw = header(req, "x-amz-target");
      if (req.method !== "POST" || (req.path !== "/" && req.path !== "")) {
        throw wireError(model.service, "unknownOperation", `${model.sdkId} accepts only POST / requests.`);
      }
      if (!operation || !model.operations[operation]) {
        throw wireError(model.service, "unknownOperation", raw ? `Unknown operation ${raw}.` : "The X-Amz-Target header is missing.");
      }
      if (!isJsonMediaType(mediaType(req))) throw wireError(model.service, "unsupportedMediaType");
      const op = model.operations[operation]!;
      const input = fromJson(model, op.input, parseJsonObject(req.body), "") as Record<string, unknown>;
      return { operation, input };
    },

    encodeOutput(operation, output, requestId): WireResponse {
      const op = model.operations[operation]!;
      const body = toJson(model, op.output, output ?? {}) ?? {};
      return { status: 200, headers: { "x-amzn-RequestId": requestId, "Content-Type": contentType }, body: JSON.stringify(body) };
    },

    encodeError(err: ServiceError, requestId: string): WireResponse {
      const shape = model.shapes[err.code];
      const status = shape?.error ? (shape.httpError ?? (shape.error === "server" ? 500 : 400)) : err.httpStatus;
      const body: Record<string, unknown> = { ...err.fields, __type: err.code, [messageKey(err.code)]: err.message };
      return { status, headers: { "x-amzn-RequestId": requestId, "X-Amzn-ErrorType": err.code, "Content-Type": contentType }, body: JSON.stringify(body) };
    },
  };
}
