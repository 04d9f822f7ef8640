// `crossvault show PLANFILE [--json | --markdown]`: a saved plan, rendered without reading AWS or the
// configuration. Plain text by default (the same view as `plan`), the plan value itself with --json (exactly
// what the file holds), or the pull-request comment with --markdown. Exit 0; 1 when the file is not a plan.
import { loadPlan } from "../../core/planfile.js";
import { renderPlanJson } from "../../views/json.js";
import { renderPlanText } from "../../views/plain.js";
import { UserError } from "../errors.js";
import { stdout, toolVersion, useColor } from "./engine-options.js";

export interface ShowCommandOptions {
  json?: boolean;
  markdown?: boolean;
  /** Set from the global --no-color. */
  color?: boolean;
}

export async function showCommand(file: string, opts: ShowCommandOptions): Promise<number> {
  if (opts.json && opts.markdown) throw new UserError("--json and --markdown cannot be used together: stdout holds one format", `Run \`crossvault show ${file} --json\` and \`crossvault show ${file} --markdown\` separately.`);
  const plan = await loadPlan(file);
  if (opts.json) {
    stdout(renderPlanJson(plan));
    return 0;
  }
  if (opts.markdown) {
    const { renderMarkdown } = await import("../../views/markdown.js");
    stdout(renderMarkdown(plan, { toolVersion: toolVersion(), planFile: file }));
    return 0;
  }
  stdout(renderPlanText(plan, { color: useColor(opts) }));
  stdout(plan.applyable
    ? `\nSaved plan ${file} (made ${plan.created_at} by crossvault ${plan.tool_version}). To carry out exactly these actions, run:\n  crossvault apply ${file}\n`
    : `\nSaved plan ${file} (made ${plan.created_at} by crossvault ${plan.tool_version}) cannot be applied as it is.\n`);
  return 0;
}
