// The trimmed service models (generated into ../models by scripts/extract-models.ts) and their lookups.
// The protocol codecs and the validator are driven by these, never by hand-written shape lists.
import backupModel from "../models/backup.json" with { type: "json" };
import kmsModel from "../models/kms.json" with { type: "json" };
import organizationsModel from "../models/organizations.json" with { type: "json" };
import stsModel from "../models/sts.json" with { type: "json" };
import type { ServiceName } from "../service.js";

export interface ModelConstraints {
  length?: { min?: number; max?: number };
  range?: { min?: number; max?: number };
  pattern?: string;
  sensitive?: boolean;
  timestampFormat?: "date-time" | "epoch-seconds" | "http-date";
}

export interface ModelMember extends ModelConstraints {
  target: string;
  required?: boolean;
  label?: boolean;
  query?: string;
  header?: string;
  payload?: boolean;
  jsonName?: string;
  xmlName?: string;
  idempotencyToken?: boolean;
}

export interface ModelShape extends ModelConstraints {
  type: "structure" | "union" | "list" | "map" | "string" | "boolean" | "integer" | "long" | "float" | "double" | "byte" | "short" | "bigInteger" | "bigDecimal" | "timestamp" | "blob" | "document";
  members?: Record<string, ModelMember>;
  member?: string;
  key?: string;
  value?: string;
  enum?: string[];
  intEnum?: number[];
  error?: "client" | "server";
  httpError?: number;
  queryError?: { code: string; status: number };
}

export interface ModelOperation {
  input: string;
  output: string;
  errors: string[];
  http?: { method: string; uri: string; code: number };
}

export interface ServiceModel {
  service: ServiceName;
  shapeId: string;
  version: string;
  protocol: "restJson1" | "awsJson1_1" | "awsQuery";
  sdkId: string;
  /** The X-Amz-Target prefix of awsJson services (the service shape's name). */
  targetPrefix: string;
  xmlNamespace?: string;
  operations: Record<string, ModelOperation>;
  shapes: Record<string, ModelShape>;
}

export const models: Record<ServiceName, ServiceModel> = {
  backup: backupModel as unknown as ServiceModel,
  kms: kmsModel as unknown as ServiceModel,
  organizations: organizationsModel as unknown as ServiceModel,
  sts: stsModel as unknown as ServiceModel,
};

export function shapeOf(model: ServiceModel, name: string): ModelShape {
  const s = model.shapes[name];
  if (!s) throw new Error(`model ${model.service}: no shape ${name}`);
  return s;
}

/** The error shape the model declares under this name, if any (for status codes and query codes). */
export function errorShape(model: ServiceModel, code: string): ModelShape | undefined {
  const s = model.shapes[code];
  return s && s.type === "structure" && s.error ? s : undefined;
}

export function isNumeric(t: ModelShape["type"]): boolean {
  return t === "integer" || t === "long" || t === "float" || t === "double" || t === "byte" || t === "short" || t === "bigInteger" || t === "bigDecimal";
}
