// `crossvault validate`: load the configuration and report every problem at once. Human output goes to stderr
// (`file:line:col: error: ...` plus a summary); --json prints one document on stdout. Exit 1 on any error.
import { formatDiagnostic, hasErrors, type Diagnostic } from "../../config/diagnostics.js";
import { loadConfig } from "../../config/load.js";
import { setKey } from "../../config/values.js";
import type { DeferredInstanceSet } from "../../config/model.js";
import { UserError } from "../errors.js";

export interface ValidateOptions {
  json?: boolean;
  var: string[];
  varFile: string[];
}

export const VALIDATE_FORMAT_VERSION = "1.0";

/** `--var name=value` options to a map; the last one for a name wins. */
export function parseVarOptions(options: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const opt of options) {
    const eq = opt.indexOf("=");
    if (eq <= 0) throw new UserError(`--var ${opt}: expected name=value`, 'For example --var retention_days=35 or --var \'regions=["eu-west-1"]\'.');
    setKey(out, opt.slice(0, eq).trim(), opt.slice(eq + 1));
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function jsonDiagnostic(d: Diagnostic) {
  return {
    severity: d.severity, code: d.code, summary: d.summary, detail: d.detail ?? null,
    file: d.pos?.file ?? null, line: d.pos?.line ?? null, column: d.pos?.column ?? null,
    address: d.address ?? null, rule: d.rule ?? null,
  };
}

export async function validateCommand(target: string, opts: ValidateOptions): Promise<number> {
  const vars = parseVarOptions(opts.var);
  const result = await loadConfig(target, { vars, varFiles: opts.varFile, env: process.env });
  const diags = result.diagnostics;
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.length - errors;
  const deferred: DeferredInstanceSet[] = result.config?.deferred ?? [];
  const valid = !hasErrors(diags);
  if (opts.json) {
    const doc = {
      format_version: VALIDATE_FORMAT_VERSION, valid, error_count: errors, warning_count: warnings,
      diagnostics: diags.map(jsonDiagnostic),
      known_after_refresh: deferred.map((d) => ({ address: d.address, file: d.pos.file, line: d.pos.line, column: d.pos.column, reason: d.reason })),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return valid ? 0 : 1;
  }
  for (const d of diags) process.stderr.write(`${formatDiagnostic(d)}\n`);
  for (const d of deferred) {
    process.stderr.write(`${d.pos.file}:${d.pos.line}:${d.pos.column}: note: the instances of ${d.address} are known after refresh (${d.reason})\n`);
  }
  const files = plural(result.files.length, "file");
  if (valid) {
    const extra = warnings > 0 ? `, with ${plural(warnings, "warning")}` : "";
    process.stdout.write(`Success! The configuration is valid (${files}${extra}).\n`);
  } else {
    process.stderr.write(`\nThe configuration is not valid: ${plural(errors, "error")}, ${plural(warnings, "warning")} in ${files}.\n`);
  }
  return valid ? 0 : 1;
}
