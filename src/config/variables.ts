// Input variables: declared `variable` blocks get their values from (lowest to highest precedence) the
// default, the environment (CROSSVAULT_VAR_name), --var-file files in order, and --var options in order.
// A required variable without a value, an undeclared --var and a value of the wrong type are diagnostics.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic, SourcePos } from "./diagnostics.js";
import type { Declarations } from "./declarations.js";
import { builtinFunctions, evaluate, parseExpression } from "./expr/index.js";
import { suggest } from "./expr/suggest.js";
import type { EvalScope, Value } from "./expr/types.js";
import { parseHcl } from "./hcl.js";
import type { VariableDecl, VariableType } from "./model.js";
import { posAt, rawFile, sourceText, type RawAttr, type RawBlock } from "./raw.js";
import { compileAttr, escapeRegExp, evaluateTree, locPos, type LocatedError } from "./values.js";
import { convertValue, isProblem, parseVariableType, typeText } from "./variable-types.js";
import { displayPath } from "./files.js";
import { fileErrorReason } from "../cli/errors.js";

export interface VariableInputs {
  vars?: Record<string, string>;
  varFiles?: string[];
  env?: Record<string, string | undefined>;
}

export const ENV_PREFIX = "CROSSVAULT_VAR_";

/** References are not allowed in defaults and var-files: they are evaluated before anything else exists. */
const constantScope = (what: string): EvalScope => ({
  resolve: (root, _steps, span) => ({ ok: false, error: { start: span.start, end: span.end, code: "unresolved-reference", message: `${what} cannot refer to "${root}"`, hint: "Use a literal value here; compute derived values in locals." } }),
});

function evaluateConstant(attr: RawAttr, what: string, address: string, diags: Diagnostic[]): { value: Value; ok: boolean } {
  const { tree, diagnostics } = compileAttr(attr, address);
  diags.push(...diagnostics);
  const errors: LocatedError[] = [];
  const value = evaluateTree(tree, () => constantScope(what), builtinFunctions, errors);
  for (const { error, loc } of errors) {
    if (error.code === "upstream-error") continue;
    diags.push({ severity: "error", code: error.code, pos: locPos(loc, error.start), address, summary: error.message, detail: error.hint ?? "Use a literal value." });
  }
  return { value, ok: errors.length === 0 };
}

/** A value typed on the command line or in the environment: a string, or HCL syntax for lists and maps. */
function fromText(text: string, type: VariableType): { value: Value } | { problem: string } {
  if (type.kind === "string" || type.kind === "number" || type.kind === "bool" || type.kind === "any") return { value: text };
  const parsed = parseExpression(text);
  if (!parsed.expr) return { problem: `not a valid ${typeText(type)}: ${parsed.error?.message ?? "syntax error"}` };
  const r = evaluate(parsed.expr, constantScope("a variable value"), builtinFunctions);
  if (r.errors.length > 0) return { problem: r.errors[0]!.message };
  return { value: r.value };
}

interface Given {
  value: Value;
  source: VariableDecl["source"];
  /** Where the value was given (a var-file position), else the variable block. */
  pos?: SourcePos;
  origin: string;
}

async function readVarFile(file: string, diags: Diagnostic[]): Promise<Array<{ name: string; value: Value; pos?: SourcePos }>> {
  const name = displayPath(path.resolve(file));
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    diags.push({ severity: "error", code: "invalid-var-file", summary: `--var-file ${file}: cannot read the file: ${fileErrorReason(e)}`, detail: "Check the path; it is relative to the working directory." });
    return [];
  }
  if (file.endsWith(".json")) {
    const src = sourceText(name, text);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      // JSON.parse names the offset it stopped at ("... at position 42"): that is the place to show.
      const at = /at position (\d+)/.exec((err as Error).message);
      const pos = posAt(src, at ? Number(at[1]) : 0);
      diags.push({ severity: "error", code: "invalid-var-file", pos, summary: `not valid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/, "")}`, detail: 'A JSON var-file is one object: { "name": value, ... }.' });
      return [];
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      diags.push({ severity: "error", code: "invalid-var-file", pos: posAt(src, text.length - text.trimStart().length), summary: "a JSON var-file must be one object", detail: 'Write { "name": value, ... }.' });
      return [];
    }
    // Each value where its key is written (the first place the quoted key is followed by a colon).
    return Object.entries(data as Record<string, Value>).map(([k, v]) => {
      const at = new RegExp(`${escapeRegExp(JSON.stringify(k))}\\s*:`).exec(text);
      return { name: k, value: v, pos: posAt(src, at ? at.index : 0) };
    });
  }
  const parsed = await parseHcl(name, text);
  if (!parsed.body) {
    diags.push(...parsed.diagnostics);
    return [];
  }
  const root: RawBlock = rawFile(name, text, parsed.body, diags);
  for (const b of root.blocks) {
    diags.push({ severity: "error", code: "invalid-var-file", pos: b.pos, summary: `unexpected block "${b.type}" in a var-file`, detail: "A var-file holds only assignments: name = value." });
  }
  const out: Array<{ name: string; value: Value; pos?: SourcePos }> = [];
  for (const attr of root.attrs.values()) {
    const r = evaluateConstant(attr, "a var-file value", `var.${attr.name}`, diags);
    if (r.ok) out.push({ name: attr.name, value: r.value, pos: attr.pos });
  }
  return out;
}

export interface ResolvedVariables {
  /** Declared names; undefined for a variable without a usable value (already reported). */
  values: Map<string, Value | undefined>;
  decls: VariableDecl[];
}

export async function resolveVariables(decls: Declarations, inputs: VariableInputs, diags: Diagnostic[]): Promise<ResolvedVariables> {
  const types = new Map<string, VariableType>();
  for (const [name, block] of decls.variables) {
    const typeAttr = block.attrs.get("type");
    let type: VariableType = { kind: "any" };
    if (typeAttr) {
      const raw = typeof typeAttr.value === "string" ? typeAttr.value.replace(/^\$\{([\s\S]*)\}$/, "$1") : "";
      const parsed = parseVariableType(raw);
      if (parsed) type = parsed;
      else {
        diags.push({
          severity: "error", code: "invalid-variable-type", pos: typeAttr.pos, address: `var.${name}`, summary: `unsupported type constraint "${raw}"`,
          detail: "Use string, number, bool, any, list(T), set(T) or map(T).",
        });
      }
    }
    types.set(name, type);
  }

  const given = new Map<string, Given>();
  const offer = (name: string, g: Given, warnUnknown: boolean) => {
    if (!types.has(name)) {
      if (warnUnknown) {
        const s = suggest(name, types.keys());
        diags.push({
          severity: g.source === "cli" ? "error" : "warning", code: "undeclared-variable", pos: g.pos, address: `var.${name}`,
          summary: `${g.origin} sets "${name}", which is not a declared variable`,
          detail: s !== undefined ? `Did you mean "${s}"?` : `Declare it with variable "${name}" { ... }, or remove the value.`,
        });
      }
      return;
    }
    given.set(name, g);
  };

  const env = inputs.env ?? {};
  for (const [key, text] of Object.entries(env)) {
    if (!key.startsWith(ENV_PREFIX) || text === undefined) continue;
    const name = key.slice(ENV_PREFIX.length);
    offer(name, { value: text, source: "env", origin: key }, false);
  }
  for (const file of inputs.varFiles ?? []) {
    for (const entry of await readVarFile(file, diags)) {
      offer(entry.name, { value: entry.value, source: "var-file", pos: entry.pos, origin: `--var-file ${file}` }, true);
    }
  }
  for (const [name, text] of Object.entries(inputs.vars ?? {})) offer(name, { value: text, source: "cli", origin: `--var ${name}=...` }, true);

  const values = new Map<string, Value | undefined>();
  const out: VariableDecl[] = [];
  for (const [name, block] of decls.variables) {
    const type = types.get(name)!;
    const address = `var.${name}`;
    const description = block.attrs.get("description")?.value;
    let g = given.get(name);
    if (g && (g.source === "env" || g.source === "cli") && typeof g.value === "string") {
      const r = fromText(g.value, type);
      if ("problem" in r) {
        diags.push({ severity: "error", code: "invalid-variable-value", pos: block.pos, address, summary: `${g.origin}: ${r.problem}`, detail: `var.${name} is ${typeText(type)}.` });
        values.set(name, undefined);
        continue;
      }
      g = { ...g, value: r.value };
    }
    if (!g) {
      const def = block.attrs.get("default");
      if (!def) {
        diags.push({
          severity: "error", code: "missing-variable", pos: block.pos, address,
          summary: `variable "${name}" is required but has no value`,
          detail: `Set it with --var ${name}=VALUE, in a --var-file, or with the environment variable ${ENV_PREFIX}${name}; or give it a default.`,
        });
        values.set(name, undefined);
        continue;
      }
      const r = evaluateConstant(def, "a variable default", address, diags);
      if (!r.ok) {
        values.set(name, undefined);
        continue;
      }
      g = { value: r.value, source: "default", pos: def.pos, origin: "the default" };
    }
    const converted = convertValue(g.value, type);
    if (isProblem(converted)) {
      diags.push({
        severity: "error", code: "invalid-variable-value", pos: g.pos ?? block.pos, address,
        summary: `${g.origin} for var.${name}: ${converted.problem}`, detail: `var.${name} is declared as ${typeText(type)}.`,
      });
      values.set(name, undefined);
      continue;
    }
    values.set(name, converted);
    out.push({
      address, pos: block.pos, name, type, value: converted, source: g.source,
      ...(typeof description === "string" ? { description } : {}),
    });
  }
  return { values, decls: out };
}
