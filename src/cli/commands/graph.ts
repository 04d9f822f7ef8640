// `crossvault graph [DIR] [--format dot|mermaid]`: the dependency graph of the resources the configuration
// declares, the order apply creates them in, on stdout. It reads the configuration only, never AWS: resources
// are derived with the accounts the configuration declares, so blocks whose instances come from the live
// organization (`accounts_in_ou`) are left out, each named in a note on stderr; the organization's id is not
// needed to draw the graph. Exit 0, or 1 when the configuration is not valid.
import { formatDiagnostic, type Diagnostic } from "../../config/diagnostics.js";
import { loadConfig } from "../../config/load.js";
import { deriveDesired } from "../../model/derive.js";
import { renderGraph, type GraphFormat } from "../../views/dependency-graph.js";
import { UserError } from "../errors.js";
import { stderr, stdout, varsOf, type CommonOptions } from "./engine-options.js";

export interface GraphCommandOptions extends Pick<CommonOptions, "var" | "varFile"> {
  format?: string;
}

const FORMATS: readonly GraphFormat[] = ["dot", "mermaid"];

/** Problems that only the live organization resolves: a note here, since the graph is drawn without it. */
const NEEDS_ORGANIZATION = new Set(["instances-unknown", "value-unknown"]);

export async function graphCommand(dir: string, opts: GraphCommandOptions): Promise<number> {
  const format = (opts.format ?? "dot") as GraphFormat;
  if (!FORMATS.includes(format)) throw new UserError(`--format ${opts.format}: expected dot or mermaid`, "For example `crossvault graph --format mermaid`.");
  const loaded = await loadConfig(dir, { vars: varsOf(opts), varFiles: opts.varFile ?? [], env: process.env });
  const derived = loaded.config ? deriveDesired(loaded.config, undefined) : undefined;
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...(derived?.diagnostics ?? [])];
  const errors = diagnostics.filter((d) => d.severity === "error" && !NEEDS_ORGANIZATION.has(d.code));
  if (!derived || errors.length > 0) {
    for (const d of errors) stderr(`${formatDiagnostic(d)}\n`);
    stderr(`\nError: the configuration is not valid: ${errors.length} error${errors.length === 1 ? "" : "s"}\n  Fix them (crossvault validate shows them too) and run again.\n`);
    return 1;
  }
  for (const d of diagnostics.filter((x) => x.severity === "error" && NEEDS_ORGANIZATION.has(x.code))) {
    const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.column}: ` : "";
    stderr(`${where}note: ${d.summary}${d.address ? ` [${d.address}]` : ""}: not in the graph, which is drawn from the configuration alone\n`);
  }
  stdout(renderGraph(derived.resources, format));
  return 0;
}
