// awsQuery (STS): form-encoded `Action=...&Version=...` requests (lists flattened as `Name.member.N`, maps as
// `Name.entry.N.key/value`), XML responses wrapped in `{Op}Response/{Op}Result`, and `ErrorResponse`
// errors whose `<Code>` is the error shape's awsQueryError code, not its shape name.
import { ServiceError } from "../service.js";
import type { ModelShape, ServiceModel } from "./model.js";
import { shapeOf } from "./model.js";
import { fromString, toText } from "./values.js";
import type { Codec, DecodedRequest, WireRequest, WireResponse } from "./wire.js";
import { mediaType, wireError } from "./wire.js";

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function params(req: WireRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(req.query)) out.set(k, v);
  const type = mediaType(req);
  if (req.body.length > 0 && (type === "" || type === "application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(req.body.toString("utf8"))) out.set(k, v);
  }
  return out;
}

function hasPrefix(p: Map<string, string>, prefix: string): boolean {
  for (const k of p.keys()) if (k === prefix || k.startsWith(`${prefix}.`)) return true;
  return false;
}

function decodeValue(model: ServiceModel, shapeName: string, p: Map<string, string>, key: string): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case "structure":
    case "union": {
      if (!hasPrefix(p, key)) return undefined;
      return decodeMembers(model, shape, p, `${key}.`);
    }
    case "list": {
      if (p.get(key) === "") return [];
      const items: unknown[] = [];
      for (let i = 1; hasPrefix(p, `${key}.member.${i}`); i++) items.push(decodeValue(model, shape.member!, p, `${key}.member.${i}`));
      return items.length > 0 ? items : undefined;
    }
    case "map": {
      const out: Record<string, unknown> = {};
      let any = false;
      for (let i = 1; p.has(`${key}.entry.${i}.key`); i++) {
        out[p.get(`${key}.entry.${i}.key`)!] = decodeValue(model, shape.value!, p, `${key}.entry.${i}.value`);
        any = true;
      }
      return any ? out : undefined;
    }
    default: {
      const raw = p.get(key);
      return raw === undefined ? undefined : fromString(shape, raw, key, "date-time");
    }
  }
}

function decodeMembers(model: ServiceModel, shape: ModelShape, p: Map<string, string>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const v = decodeValue(model, m.target, p, `${prefix}${name}`);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function encodeValue(model: ServiceModel, shapeName: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case "structure":
    case "union":
      return typeof value === "object" ? encodeMembers(model, shape, value as Record<string, unknown>) : undefined;
    case "list":
      return Array.isArray(value) ? value.map((v) => `<member>${encodeValue(model, shape.member!, v) ?? ""}</member>`).join("") : undefined;
    case "map":
      return typeof value === "object"
        ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `<entry><key>${xmlEscape(k)}</key><value>${encodeValue(model, shape.value!, v) ?? ""}</value></entry>`).join("")
        : undefined;
    default: {
      const t = toText(shape, value);
      return t === undefined ? undefined : xmlEscape(t);
    }
  }
}

function encodeMembers(model: ServiceModel, shape: ModelShape, value: Record<string, unknown>): string {
  let xml = "";
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const inner = encodeValue(model, m.target, value[name]);
    const tag = m.xmlName ?? name;
    if (inner !== undefined) xml += `<${tag}>${inner}</${tag}>`;
  }
  return xml;
}

export function awsQueryCodec(model: ServiceModel): Codec {
  const ns = model.xmlNamespace ?? "";
  return {
    peekOperation: (req) => params(req).get("Action"),

    decode(req: WireRequest): DecodedRequest {
      const p = params(req);
      const action = p.get("Action");
      if (action === undefined || action === "") {
        const type = mediaType(req);
        if (req.body.length > 0 && type !== "" && type !== "application/x-www-form-urlencoded") throw wireError(model.service, "unsupportedMediaType", `Content-Type ${type} is not supported: send application/x-www-form-urlencoded.`);
        throw new ServiceError("MissingAction", "Missing Action", 400);
      }
      const op = model.operations[action];
      if (!op) throw wireError(model.service, "unknownOperation", `Could not find operation ${action} for version ${p.get("Version") ?? "NO_VERSION_SPECIFIED"}`);
      try {
        return { operation: action, input: decodeMembers(model, shapeOf(model, op.input), p, "") };
      } catch (err) {
        if (err instanceof ServiceError && err.code === "SerializationException") throw new ServiceError("InvalidParameterValue", err.message, 400);
        throw err;
      }
    },

    encodeOutput(operation, output, requestId): WireResponse {
      const op = model.operations[operation]!;
      const result = encodeMembers(model, shapeOf(model, op.output), (output ?? {}) as Record<string, unknown>);
      const body =
        `<${operation}Response xmlns="${ns}">` +
        (op.output === "smithy.api#Unit" ? "" : `<${operation}Result>${result}</${operation}Result>`) +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
      return { status: 200, headers: { "x-amzn-RequestId": requestId, "Content-Type": "text/xml" }, body };
    },

    encodeError(err: ServiceError, requestId: string): WireResponse {
      const shape = model.shapes[err.code];
      const modelled = shape?.error ? shape : undefined;
      const code = modelled?.queryError?.code ?? err.code;
      const status = modelled ? (modelled.queryError?.status ?? modelled.httpError ?? (modelled.error === "server" ? 500 : 400)) : err.httpStatus;
      const type = status >= 500 ? "Receiver" : "Sender";
      const body =
        `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`;
      return { status, headers: { "x-amzn-RequestId": requestId, "Content-Type": "text/xml" }, body };
    },
  };
}
