// `crossvault fmt`: canonical formatting via @cdktf/hcl-tools. That formatter hands invalid input back
// unchanged without complaint, so every file is parsed first and a broken one is refused with its diagnostic.
import { rename, unlink, writeFile } from "node:fs/promises";
import { fileErrorReason, UserError } from "../errors.js";
import { readConfigFiles } from "../../config/files.js";
import { parseHcl } from "../../config/hcl.js";
import { formatDiagnostic } from "../../config/diagnostics.js";
import { unifiedDiff } from "../unified-diff.js";

export interface FmtOptions {
  check?: boolean;
  diff?: boolean;
}

/** Exit codes as Terraform: 0 formatted (or nothing to do), 1 a file does not parse, 3 with --check when a file would change. */
export async function fmtCommand(target: string, opts: FmtOptions): Promise<number> {
  const { format } = await import("@cdktf/hcl-tools");
  const files = await readConfigFiles(target);
  let broken = false;
  let changed = false;
  for (const file of files) {
    const parsed = await parseHcl(file.name, file.text);
    if (parsed.diagnostics.length > 0) {
      broken = true;
      for (const d of parsed.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      process.stderr.write(`${file.name}: not formatted, it does not parse.\n`);
      continue;
    }
    const formatted = await format(file.text);
    if (formatted === file.text) continue;
    changed = true;
    process.stdout.write(`${file.name}\n`);
    if (opts.diff) process.stdout.write(unifiedDiff(file.name, file.text, formatted));
    if (!opts.check) {
      // Write beside and rename, so an interrupted fmt never leaves half a file.
      const tmp = `${file.path}.crossvault-fmt.tmp`;
      try {
        await writeFile(tmp, formatted, "utf8");
        await rename(tmp, file.path);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw new UserError(`cannot rewrite ${file.name}: ${fileErrorReason(e)}`, "Check that you may write to the file and its directory; `crossvault fmt --check --diff` shows the changes without writing.");
      }
    }
  }
  if (broken) return 1;
  return opts.check && changed ? 3 : 0;
}
