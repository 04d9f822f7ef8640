// Shape-driven conversion between wire values and handler values: JSON documents (restJson1, awsJson1_1),
// single strings (URI labels, query strings, awsQuery form fields) and the timestamps/blobs of each.
// Handlers see timestamps as Date and blobs as Buffer; the wire sees what the protocol prescribes.
import { ServiceError } from "../service.js";
import type { ModelShape, ServiceModel } from "./model.js";
import { isNumeric, shapeOf } from "./model.js";

/** A malformed request body (wrong JSON types): the error AWS's JSON services answer with. */
export function serializationError(message: string): ServiceError {
  return new ServiceError("SerializationException", message, 400);
}

/** Parses a timestamp from the wire: epoch seconds (number or numeric string) or an ISO-8601/HTTP date. */
export function parseTimestamp(v: unknown, where: string): Date {
  if (typeof v === "number" && Number.isFinite(v)) return new Date(Math.round(v * 1000));
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    const d = Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(v.trim()) ? new Date(Math.round(n * 1000)) : new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw serializationError(`Value at '${where}' is not a valid timestamp.`);
}

/**
 * Handler timestamps are Date by contract; epoch milliseconds (what the world stores) and ISO strings are
 * accepted too. Numbers below 1e11 are taken as epoch seconds, so either unit lands on the right date.
 */
export function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v === "number" && Number.isFinite(v)) return new Date(Math.abs(v) < 1e11 ? v * 1000 : v);
  if (typeof v === "string") {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

export function epochSeconds(d: Date): number {
  return d.getTime() / 1000;
}

/** ISO-8601 without milliseconds when there are none, as AWS writes them. */
export function isoTimestamp(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, "Z");
}

function toBuffer(v: unknown): Buffer | undefined {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === "string") return Buffer.from(v, "utf8");
  return undefined;
}

/** JSON wire value -> handler value. Unknown members are ignored; JSON null means "absent". */
export function fromJson(model: ServiceModel, shapeName: string, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case "structure":
    case "union": {
      if (typeof value !== "object" || Array.isArray(value)) throw serializationError(`Value at '${where}' must be a JSON object.`);
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (member.label || member.query !== undefined || member.header !== undefined) continue;
        const v = fromJson(model, member.target, (value as Record<string, unknown>)[member.jsonName ?? name], where ? `${where}.${name}` : name);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) throw serializationError(`Value at '${where}' must be a JSON array.`);
      return value.map((v, i) => fromJson(model, shape.member!, v, `${where}.${i + 1}`));
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw serializationError(`Value at '${where}' must be a JSON object.`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const d = fromJson(model, shape.value!, v, `${where}.${k}`);
        if (d !== undefined) out[k] = d;
      }
      return out;
    }
    case "timestamp":
      return parseTimestamp(value, where);
    case "blob":
      if (typeof value !== "string") throw serializationError(`Value at '${where}' must be a base64 string.`);
      return Buffer.from(value, "base64");
    case "boolean":
      if (typeof value !== "boolean") throw serializationError(`Value at '${where}' must be a boolean.`);
      return value;
    case "string":
      if (typeof value !== "string") throw serializationError(`Value at '${where}' must be a string.`);
      return value;
    case "document":
      return value;
    default:
      if (isNumeric(shape.type)) {
        if (typeof value !== "number" || !Number.isFinite(value)) throw serializationError(`Value at '${where}' must be a number.`);
        return value;
      }
      return value;
  }
}

/** Handler value -> JSON wire value, keeping only members the shape declares (undefined and null dropped). */
export function toJson(model: ServiceModel, shapeName: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case "structure":
    case "union": {
      if (typeof value !== "object") return undefined;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const v = toJson(model, member.target, (value as Record<string, unknown>)[name]);
        if (v !== undefined) out[member.jsonName ?? name] = v;
      }
      return out;
    }
    case "list":
      return Array.isArray(value) ? value.map((v) => toJson(model, shape.member!, v) ?? null) : undefined;
    case "map": {
      if (typeof value !== "object") return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const e = toJson(model, shape.value!, v);
        if (e !== undefined) out[k] = e;
      }
      return out;
    }
    case "timestamp": {
      const d = toDate(value);
      return d ? epochSeconds(d) : undefined;
    }
    case "blob":
      return toBuffer(value)?.toString("base64");
    case "boolean":
      return typeof value === "boolean" ? value : value === "true";
    case "string":
      return String(value);
    default:
      if (isNumeric(shape.type)) return typeof value === "number" ? value : Number(value);
      return value;
  }
}

/** One string from a URI label, a query string or a form field -> handler value. */
export function fromString(shape: ModelShape, raw: string, where: string, timestampDefault: "date-time" | "epoch-seconds"): unknown {
  switch (shape.type) {
    case "string":
      return raw;
    case "boolean":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw serializationError(`Value '${raw}' at '${where}' must be true or false.`);
    case "timestamp": {
      const format = shape.timestampFormat ?? timestampDefault;
      if (format === "epoch-seconds" && !/^-?\d+(\.\d+)?$/.test(raw)) throw serializationError(`Value '${raw}' at '${where}' is not a valid timestamp.`);
      return parseTimestamp(raw, where);
    }
    case "blob":
      return Buffer.from(raw, "base64");
    default:
      if (isNumeric(shape.type)) {
        const n = Number(raw);
        if (raw.trim() === "" || !Number.isFinite(n)) throw serializationError(`Value '${raw}' at '${where}' must be a number.`);
        return n;
      }
      return raw;
  }
}

/** Handler value -> the text form used in XML and query strings. */
export function toText(shape: ModelShape, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (shape.type === "timestamp") {
    const d = toDate(value);
    return d ? isoTimestamp(d) : undefined;
  }
  if (shape.type === "blob") return toBuffer(value)?.toString("base64");
  return String(value);
}
