// Dev-time tool: trims the official AWS Smithy models (../shared/aws-models, not shipped) down to what the
// sandbox's protocol layer needs at run time (routes, shapes, constraints, error traits) and writes them to
// src/sandbox/models/*.json. Run: `npx tsx scripts/extract-models.ts [modelsDir]`.
//
// Every operation of each service is kept (so an AWS operation the sandbox does not emulate is still routed
// and answered with a clear error), documentation and examples are dropped.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModelMember, ModelShape, ServiceModel } from "../src/sandbox/protocol/model.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const modelsDir = resolve(process.argv[2] ?? join(repoRoot, "..", "shared", "aws-models"));
const outDir = join(repoRoot, "src", "sandbox", "models");

const SOURCES: Record<string, string> = {
  backup: "backup-2018-11-15.json",
  kms: "kms-2014-11-01.json",
  organizations: "organizations-2016-11-28.json",
  sts: "sts-2011-06-15.json",
};

type Json = Record<string, any>;

const PRELUDE: Record<string, ModelShape> = {
  String: { type: "string" },
  Boolean: { type: "boolean" },
  PrimitiveBoolean: { type: "boolean" },
  Integer: { type: "integer" },
  PrimitiveInteger: { type: "integer" },
  Long: { type: "long" },
  PrimitiveLong: { type: "long" },
  Float: { type: "float" },
  Double: { type: "double" },
  Timestamp: { type: "timestamp" },
  Blob: { type: "blob" },
  Document: { type: "document" },
  Unit: { type: "structure", members: {} },
};

function localName(id: string): string {
  const hash = id.indexOf("#");
  return hash >= 0 ? id.slice(hash + 1) : id;
}

function targetName(id: string): string {
  return id.startsWith("smithy.api#") ? `smithy.api#${localName(id)}` : localName(id);
}

function constraints(traits: Json, into: Record<string, unknown>): void {
  const length = traits["smithy.api#length"];
  if (length) into.length = { ...(length.min !== undefined ? { min: length.min } : {}), ...(length.max !== undefined ? { max: length.max } : {}) };
  const range = traits["smithy.api#range"];
  if (range) into.range = { ...(range.min !== undefined ? { min: Number(range.min) } : {}), ...(range.max !== undefined ? { max: Number(range.max) } : {}) };
  if (traits["smithy.api#pattern"] !== undefined) into.pattern = traits["smithy.api#pattern"];
  if (traits["smithy.api#sensitive"] !== undefined) into.sensitive = true;
  if (traits["smithy.api#timestampFormat"] !== undefined) into.timestampFormat = traits["smithy.api#timestampFormat"];
}

function trimShape(shape: Json): ModelShape {
  const traits: Json = shape.traits ?? {};
  const out: Record<string, any> = { type: shape.type };
  switch (shape.type) {
    case "structure":
    case "union": {
      out.members = {};
      for (const [name, m] of Object.entries<Json>(shape.members ?? {})) {
        const mt: Json = m.traits ?? {};
        const member: Record<string, unknown> = { target: targetName(m.target) };
        if (mt["smithy.api#required"] !== undefined) member.required = true;
        if (mt["smithy.api#httpLabel"] !== undefined) member.label = true;
        if (mt["smithy.api#httpQuery"] !== undefined) member.query = mt["smithy.api#httpQuery"];
        if (mt["smithy.api#httpHeader"] !== undefined) member.header = mt["smithy.api#httpHeader"];
        if (mt["smithy.api#httpPayload"] !== undefined) member.payload = true;
        if (mt["smithy.api#jsonName"] !== undefined) member.jsonName = mt["smithy.api#jsonName"];
        if (mt["smithy.api#xmlName"] !== undefined) member.xmlName = mt["smithy.api#xmlName"];
        if (mt["smithy.api#idempotencyToken"] !== undefined) member.idempotencyToken = true;
        constraints(mt, member);
        out.members[name] = member as unknown as ModelMember;
      }
      if (traits["smithy.api#error"] !== undefined) out.error = traits["smithy.api#error"];
      if (traits["smithy.api#httpError"] !== undefined) out.httpError = traits["smithy.api#httpError"];
      const qe = traits["aws.protocols#awsQueryError"];
      if (qe) out.queryError = { code: qe.code, status: qe.httpResponseCode };
      break;
    }
    case "list":
    case "set":
      out.type = "list";
      out.member = targetName(shape.member.target);
      break;
    case "map":
      out.key = targetName(shape.key.target);
      out.value = targetName(shape.value.target);
      break;
    case "enum":
      out.type = "string";
      out.enum = Object.entries<Json>(shape.members ?? {}).map(([name, m]) => String(m.traits?.["smithy.api#enumValue"] ?? name));
      break;
    case "intEnum":
      out.type = "integer";
      out.intEnum = Object.values<Json>(shape.members ?? {}).map((m) => Number(m.traits?.["smithy.api#enumValue"]));
      break;
    default:
      if (traits["smithy.api#enum"]) out.enum = (traits["smithy.api#enum"] as Json[]).map((e) => String(e.value));
  }
  constraints(traits, out);
  return out as ModelShape;
}

function extract(service: string, file: string): { model: ServiceModel; sha256: string } {
  const raw = readFileSync(join(modelsDir, file));
  const sha256 = createHash("sha256").update(raw).digest("hex");
  const shapes: Json = JSON.parse(raw.toString("utf8")).shapes;
  const serviceEntry = Object.entries<Json>(shapes).find(([, s]) => s.type === "service");
  if (!serviceEntry) throw new Error(`${file}: no service shape`);
  const [serviceId, svc] = serviceEntry;
  const st: Json = svc.traits;
  const protocol = st["aws.protocols#restJson1"] ? "restJson1" : st["aws.protocols#awsJson1_1"] ? "awsJson1_1" : st["aws.protocols#awsJson1_0"] ? "awsJson1_0" : st["aws.protocols#awsQuery"] ? "awsQuery" : "unknown";

  const operationIds: string[] = [...(svc.operations ?? []).map((o: Json) => o.target)];
  // Operations bound to resources are reachable too.
  const pending: string[] = [...(svc.resources ?? []).map((r: Json) => r.target)];
  while (pending.length > 0) {
    const r: Json = shapes[pending.pop()!];
    for (const key of ["create", "put", "read", "update", "delete", "list"]) if (r[key]) operationIds.push(r[key].target);
    for (const o of [...(r.operations ?? []), ...(r.collectionOperations ?? [])]) operationIds.push(o.target);
    for (const child of r.resources ?? []) pending.push(child.target);
  }

  const kept: Record<string, ModelShape> = {};
  const visit = (id: string): void => {
    const name = targetName(id);
    if (name in kept) return;
    if (id.startsWith("smithy.api#")) {
      const p = PRELUDE[localName(id)];
      if (!p) throw new Error(`${file}: unknown prelude shape ${id}`);
      kept[name] = p;
      return;
    }
    const shape = shapes[id];
    if (!shape) throw new Error(`${file}: missing shape ${id}`);
    kept[name] = trimShape(shape);
    if (shape.type === "structure" || shape.type === "union") for (const m of Object.values<Json>(shape.members ?? {})) visit(m.target);
    if (shape.type === "list" || shape.type === "set") visit(shape.member.target);
    if (shape.type === "map") {
      visit(shape.key.target);
      visit(shape.value.target);
    }
  };

  const operations: ServiceModel["operations"] = {};
  for (const opId of operationIds.sort()) {
    const op: Json = shapes[opId];
    const t: Json = op.traits ?? {};
    const input = op.input ? targetName(op.input.target) : "smithy.api#Unit";
    const output = op.output ? targetName(op.output.target) : "smithy.api#Unit";
    visit(op.input?.target ?? "smithy.api#Unit");
    visit(op.output?.target ?? "smithy.api#Unit");
    const errors = [...(op.errors ?? []), ...(svc.errors ?? [])].map((e: Json) => {
      visit(e.target);
      return targetName(e.target);
    });
    const http = t["smithy.api#http"];
    operations[localName(opId)] = {
      input,
      output,
      errors: [...new Set(errors)].sort(),
      ...(http ? { http: { method: http.method, uri: http.uri, code: http.code ?? 200 } } : {}),
    };
  }

  const apiService: Json = st["aws.api#service"] ?? {};
  const model: ServiceModel = {
    service,
    shapeId: serviceId,
    version: svc.version,
    protocol,
    sdkId: apiService.sdkId,
    targetPrefix: localName(serviceId),
    ...(st["smithy.api#xmlNamespace"] ? { xmlNamespace: st["smithy.api#xmlNamespace"].uri } : {}),
    operations,
    shapes: Object.fromEntries(Object.entries(kept).sort(([a], [b]) => a.localeCompare(b))),
  } as ServiceModel;
  return { model, sha256 };
}

mkdirSync(outDir, { recursive: true });
const provenance: string[] = [];
for (const [service, file] of Object.entries(SOURCES)) {
  const { model, sha256 } = extract(service, file);
  const text = `${JSON.stringify(model)}\n`;
  writeFileSync(join(outDir, `${service}.json`), text);
  provenance.push(`| \`${service}.json\` | \`${file}\` | \`${sha256}\` |`);
  process.stdout.write(`${service}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes, ${text.length} bytes\n`);
}

const upstreamNotice = readdirSync(modelsDir).includes("NOTICE.md") ? readFileSync(join(modelsDir, "NOTICE.md"), "utf8") : "";
writeFileSync(
  join(outDir, "NOTICE.md"),
  `# Trimmed AWS service models: provenance and licence

The JSON files in this folder are generated by \`scripts/extract-models.ts\` from the official AWS Smithy
service models. They keep, for every operation of each service, its route, its input, output and error shapes
and their constraints; documentation, examples and endpoint rules are removed. They are derived works of the
AWS models and are distributed under the Apache License 2.0 (http://www.apache.org/licenses/LICENSE-2.0).

Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.

| Generated file | Source model | Source SHA-256 |
| --- | --- | --- |
${provenance.join("\n")}

## Provenance of the source models

Quoted from the notice that accompanies the source models:

${upstreamNotice.replace(/^# .*\n/, "").replace(/\n*`BEHAVIOUR\.md`[\s\S]*$/, "").trim().split("\n").map((l) => (l ? `> ${l}` : ">")).join("\n")}
`,
);
