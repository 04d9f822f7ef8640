// `crossvault validate`: parse every file and report every problem at once.
import { readConfigFiles } from "../../config/files.js";
import { parseHcl } from "../../config/hcl.js";
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../../config/diagnostics.js";

export interface ValidateOptions {
  json?: boolean;
  var: string[];
  varFile: string[];
}

export async function validateCommand(target: string, opts: ValidateOptions): Promise<number> {
  const files = await readConfigFiles(target);
  const diagnostics: Diagnostic[] = [];
  for (const f of files) diagnostics.push(...(await parseHcl(f.name, f.text)).diagnostics);
  const sorted = sortDiagnostics(diagnostics);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ valid: !hasErrors(sorted), diagnostics: sorted }, null, 2)}\n`);
  } else {
    for (const d of sorted) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!hasErrors(sorted)) process.stdout.write(`Success! The configuration is valid (${files.length} file${files.length === 1 ? "" : "s"}).\n`);
  }
  return hasErrors(sorted) ? 1 : 0;
}
