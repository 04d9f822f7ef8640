// restJson1 (AWS Backup): routes by HTTP method + the @http URI template (the path is split on `/` before
// each label is percent-decoded, so an ARN label arrives whole), @httpQuery members from the query string
// (ISO-8601 timestamps), the rest from a JSON body. Errors carry `X-Amzn-ErrorType` plus a JSON body.
import { ServiceError } from "../service.js";
import type { ServiceModel } from "./model.js";
import { shapeOf } from "./model.js";
import { fromJson, fromString, toJson } from "./values.js";
import type { Codec, DecodedRequest, WireRequest, WireResponse } from "./wire.js";
import { header, isJsonMediaType, mediaType, parseJsonObject, wireError } from "./wire.js";

interface RouteSegment {
  literal?: string;
  label?: string;
  greedy?: boolean;
}

interface Route {
  operation: string;
  method: string;
  segments: RouteSegment[];
  /** Literal query parameters in the URI template (`?versions` style). */
  queryLiterals: Array<[string, string]>;
  literalCount: number;
}

function compileRoutes(model: ServiceModel): Route[] {
  const routes: Route[] = [];
  for (const [operation, op] of Object.entries(model.operations)) {
    if (!op.http) continue;
    const [pathPart, queryPart] = op.http.uri.split("?", 2) as [string, string | undefined];
    const segments: RouteSegment[] = pathPart.split("/").filter((s) => s !== "").map((s) => {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
      return m ? { label: m[1]!, greedy: m[2] === "+" } : { literal: s };
    });
    const queryLiterals = queryPart ? [...new URLSearchParams(queryPart).entries()] : [];
    routes.push({ operation, method: op.http.method, segments, queryLiterals, literalCount: segments.filter((s) => s.literal !== undefined).length });
  }
  // The most specific template wins when two match (literal segments beat labels).
  return routes.sort((a, b) => b.literalCount - a.literalCount || b.segments.length - a.segments.length);
}

function matchRoute(route: Route, parts: string[], params: URLSearchParams): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  for (let s = 0; s < route.segments.length; s++) {
    const seg = route.segments[s]!;
    if (seg.greedy) {
      const rest = route.segments.length - s - 1;
      const take = parts.length - i - rest;
      if (take < 1) return undefined;
      labels[seg.label!] = parts.slice(i, i + take).map(decodeSegment).join("/");
      i += take;
      continue;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.literal !== undefined) {
      if (part !== seg.literal) return undefined;
    } else {
      const decoded = decodeSegment(part);
      if (decoded === "") return undefined;
      labels[seg.label!] = decoded;
    }
    i++;
  }
  if (i !== parts.length) return undefined;
  for (const [k, v] of route.queryLiterals) if (!params.has(k) || (v !== "" && params.get(k) !== v)) return undefined;
  return labels;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function restJsonCodec(model: ServiceModel): Codec {
  const routes = compileRoutes(model);

  function find(req: WireRequest): { route: Route; labels: Record<string, string>; params: URLSearchParams } | undefined {
    const parts = req.path.split("/").filter((s) => s !== "");
    const params = new URLSearchParams(req.query);
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const labels = matchRoute(route, parts, params);
      if (labels) return { route, labels, params };
    }
    return undefined;
  }

  function errorMessageKey(code: string): string {
    const s = model.shapes[code];
    if (s?.members && "message" in s.members && !("Message" in s.members)) return "message";
    return "Message";
  }

  return {
    peekOperation: (req) => find(req)?.route.operation,

    decode(req: WireRequest): DecodedRequest {
      const found = find(req);
      if (!found) throw wireError(model.service, "unknownOperation", `No operation matches ${req.method} ${req.path.split("?")[0]}.`);
      const { route, labels, params } = found;
      const op = model.operations[route.operation]!;
      const inputShape = shapeOf(model, op.input);
      const members = inputShape.members ?? {};
      const hasBodyMembers = Object.values(members).some((m) => !m.label && m.query === undefined && m.header === undefined);
      let input: Record<string, unknown> = {};
      if (hasBodyMembers && req.body.length > 0) {
        if (!isJsonMediaType(mediaType(req))) throw wireError(model.service, "unsupportedMediaType");
        input = fromJson(model, op.input, parseJsonObject(req.body), "") as Record<string, unknown>;
      }
      for (const [name, m] of Object.entries(members)) {
        const target = shapeOf(model, m.target);
        if (m.label) {
          const raw = labels[name];
          if (raw !== undefined) input[name] = fromString(target, raw, name, "date-time");
        } else if (m.query !== undefined) {
          if (target.type === "list") {
            const all = params.getAll(m.query);
            if (all.length > 0) input[name] = all.map((v) => fromString(shapeOf(model, target.member!), v, name, "date-time"));
          } else if (target.type === "map") {
            // @httpQueryParams-style maps are not used by the emulated services.
          } else {
            const raw = params.get(m.query);
            if (raw !== null) input[name] = fromString(target, raw, name, "date-time");
          }
        } else if (m.header !== undefined) {
          const raw = header(req, m.header);
          if (raw !== undefined) input[name] = fromString(target, raw, name, "date-time");
        }
      }
      return { operation: route.operation, input };
    },

    encodeOutput(operation, output, requestId): WireResponse {
      const op = model.operations[operation]!;
      const shape = shapeOf(model, op.output);
      const headers: Record<string, string> = { "x-amzn-RequestId": requestId, "Content-Type": "application/json" };
      if (!shape.members || Object.keys(shape.members).length === 0) return { status: op.http?.code ?? 200, headers, body: "" };
      const body = toJson(model, op.output, output ?? {}) as Record<string, unknown>;
      return { status: op.http?.code ?? 200, headers, body: JSON.stringify(body) };
    },

    encodeError(err: ServiceError, requestId: string): WireResponse {
      const shape = model.shapes[err.code];
      const status = shape?.error ? (shape.httpError ?? (shape.error === "server" ? 500 : 400)) : err.httpStatus;
      const body: Record<string, unknown> = { ...err.fields, Code: err.fields.Code ?? err.code, [errorMessageKey(err.code)]: err.message };
      return {
        status,
        headers: { "x-amzn-RequestId": requestId, "X-Amzn-ErrorType": err.code, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      };
    },
  };
}
