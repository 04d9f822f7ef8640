// Model-driven input validation (required members, enum values, lengths, ranges, patterns), and the error
// each service answers with for a violation: KMS `ValidationException`, STS `ValidationError`,
// Organizations `InvalidInputException` with a `Reason`, Backup `MissingParameterValueException` /
// `InvalidParameterValueException`.
import { ServiceError } from "../service.js";
import type { ServiceName } from "../service.js";
import type { ModelConstraints, ModelShape, ServiceModel } from "./model.js";
import { isNumeric, shapeOf } from "./model.js";

export type ViolationKind = "required" | "minLength" | "maxLength" | "minValue" | "maxValue" | "pattern" | "enum";

export interface Violation {
  kind: ViolationKind;
  /** AWS-style member path: lower-camel member names, `.N.member` for list items (`tags.1.member.tagKey`). */
  path: string;
  value: unknown;
  constraint: string;
  sensitive: boolean;
}

const patternCache = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  if (!patternCache.has(pattern)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern, "u");
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null; // a pattern JavaScript cannot compile is not enforced rather than failing every request
      }
    }
    patternCache.set(pattern, re);
  }
  return patternCache.get(pattern)!;
}

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function merged(shape: ModelShape, member: ModelConstraints | undefined): ModelConstraints {
  return member ? { ...shape, ...Object.fromEntries(Object.entries(member).filter(([k]) => k === "length" || k === "range" || k === "pattern" || k === "sensitive")) } : shape;
}

function sizeOf(shape: ModelShape, value: unknown): number | undefined {
  if (shape.type === "string" && typeof value === "string") return [...value].length;
  if (shape.type === "blob" && Buffer.isBuffer(value)) return value.length;
  if (shape.type === "list" && Array.isArray(value)) return value.length;
  if (shape.type === "map" && value && typeof value === "object") return Object.keys(value).length;
  return undefined;
}

function check(model: ServiceModel, shapeName: string, member: ModelConstraints | undefined, value: unknown, path: string, out: Violation[], depth: number): void {
  if (value === undefined || value === null || depth > 32) return;
  const shape = shapeOf(model, shapeName);
  const c = merged(shape, member);
  const sensitive = c.sensitive === true;
  const size = sizeOf(shape, value);
  if (size !== undefined && c.length) {
    if (c.length.min !== undefined && size < c.length.min) out.push({ kind: "minLength", path, value, sensitive, constraint: `Member must have length greater than or equal to ${c.length.min}` });
    if (c.length.max !== undefined && size > c.length.max) out.push({ kind: "maxLength", path, value, sensitive, constraint: `Member must have length less than or equal to ${c.length.max}` });
  }
  if (isNumeric(shape.type) && typeof value === "number" && c.range) {
    if (c.range.min !== undefined && value < c.range.min) out.push({ kind: "minValue", path, value, sensitive, constraint: `Member must have value greater than or equal to ${c.range.min}` });
    if (c.range.max !== undefined && value > c.range.max) out.push({ kind: "maxValue", path, value, sensitive, constraint: `Member must have value less than or equal to ${c.range.max}` });
  }
  if (shape.type === "string" && typeof value === "string") {
    if (shape.enum && !shape.enum.includes(value)) out.push({ kind: "enum", path, value, sensitive, constraint: `Member must satisfy enum value set: [${shape.enum.join(", ")}]` });
    if (c.pattern !== undefined) {
      const re = compile(c.pattern);
      if (re && !re.test(value)) out.push({ kind: "pattern", path, value, sensitive, constraint: `Member must satisfy regular expression pattern: ${c.pattern}` });
    }
  }
  if (shape.type === "integer" && shape.intEnum && typeof value === "number" && !shape.intEnum.includes(value)) {
    out.push({ kind: "enum", path, value, sensitive, constraint: `Member must satisfy enum value set: [${shape.intEnum.join(", ")}]` });
  }
  if ((shape.type === "structure" || shape.type === "union") && typeof value === "object") {
    for (const [name, m] of Object.entries(shape.members ?? {})) {
      const v = (value as Record<string, unknown>)[name];
      const p = path ? `${path}.${lowerCamel(name)}` : lowerCamel(name);
      if ((v === undefined || v === null) && m.required) {
        out.push({ kind: "required", path: p, value: null, sensitive: false, constraint: "Member must not be null" });
        continue;
      }
      check(model, m.target, m, v, p, out, depth + 1);
    }
  }
  if (shape.type === "list" && Array.isArray(value)) {
    value.forEach((v, i) => check(model, shape.member!, undefined, v, `${path}.${i + 1}.member`, out, depth + 1));
  }
  if (shape.type === "map" && value && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      check(model, shape.key!, undefined, k, `${path}.${k}.key`, out, depth + 1);
      check(model, shape.value!, undefined, v, `${path}.${k}.value`, out, depth + 1);
    }
  }
}

/** Every constraint the input breaks, in member order. */
export function validateInput(model: ServiceModel, operation: string, input: Record<string, unknown>): Violation[] {
  const op = model.operations[operation];
  if (!op) return [];
  const out: Violation[] = [];
  check(model, op.input, undefined, input, "", out, 0);
  return out;
}

function show(v: Violation): string {
  if (v.value === null) return "null";
  if (v.sensitive) return "'***'";
  const text = typeof v.value === "object" ? JSON.stringify(v.value) : String(v.value);
  return `'${text.length > 256 ? `${text.slice(0, 256)}...` : text}'`;
}

/** AWS's "N validation error(s) detected: ..." text. */
export function validationMessage(violations: Violation[]): string {
  const n = violations.length;
  const parts = violations.map((v) => `Value ${show(v)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`);
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${parts.join("; ")}`;
}

const ORG_REASONS: Record<ViolationKind, string> = {
  required: "INPUT_REQUIRED",
  minLength: "MIN_LENGTH_EXCEEDED",
  maxLength: "MAX_LENGTH_EXCEEDED",
  minValue: "MIN_VALUE_EXCEEDED",
  maxValue: "MAX_VALUE_EXCEEDED",
  pattern: "INVALID_PATTERN",
  enum: "INVALID_ENUM",
};

const ORG_MESSAGES: Record<ViolationKind, string> = {
  required: "You must specify a value for a required parameter.",
  minLength: "You provided a string parameter that is shorter than allowed.",
  maxLength: "You provided a string parameter that is longer than allowed.",
  minValue: "You provided a numeric parameter that has a smaller value than allowed.",
  maxValue: "You provided a numeric parameter that has a larger value than allowed.",
  pattern: "You provided a value that does not match the required pattern.",
  enum: "You specified an invalid value.",
};

/** The error the service sends for these violations (the first one decides where AWS reports only one). */
export function validationError(service: ServiceName, violations: Violation[]): ServiceError {
  const first = violations[0]!;
  switch (service) {
    case "kms":
      return new ServiceError("ValidationException", validationMessage(violations), 400);
    case "sts":
      return new ServiceError("ValidationError", validationMessage(violations), 400);
    case "organizations":
      return new ServiceError("InvalidInputException", `${ORG_MESSAGES[first.kind]} (${first.path})`, 400, { Reason: ORG_REASONS[first.kind] });
    case "backup":
      return first.kind === "required"
        ? new ServiceError("MissingParameterValueException", `Missing required parameter: ${first.path.replace(/^./, (c) => c.toUpperCase())}`, 400, { Type: "User", Context: first.path })
        : new ServiceError("InvalidParameterValueException", validationMessage(violations), 400, { Type: "User", Context: first.path });
  }
}
