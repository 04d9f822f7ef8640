// `crossvault plan [DIR]`: read every account the configuration involves, show what apply would change, and
// optionally save the plan (--out) for `crossvault apply FILE`. The plan goes to stdout (text, --json or --markdown),
// progress and diagnostics to stderr (on a terminal, progress is the live view). Exit 0, or 1 when the plan cannot be applied, or 2 with
// --detailed-exitcode when it has changes.
import { makePlan } from "../../core/engine.js";
import { planExitCode } from "../../core/plan.js";
import { savePlan } from "../../core/planfile.js";
import { renderPlanJson } from "../../views/json.js";
import { UserError } from "../errors.js";
import { chooseView } from "./command-view.js";
import { isExit, readLimitsOf, stdout, toolVersion, varsOf, withDiagnostics, type CommonOptions } from "./engine-options.js";

export interface PlanCommandOptions extends CommonOptions {
  out?: string;
  json?: boolean;
  /** Print the plan as a pull-request comment (views/markdown.ts). */
  markdown?: boolean;
  detailedExitcode?: boolean;
  destroy?: boolean;
}

export async function planCommand(dir: string, opts: PlanCommandOptions): Promise<number> {
  if (opts.json && opts.markdown) throw new UserError("--json and --markdown cannot be used together: stdout holds one format", "Pick one; to have both, save the plan with --out and run `crossvault show FILE --json` and `crossvault show FILE --markdown`.");
  const view = await chooseView({ color: opts.color, data: opts.json === true || opts.markdown === true });
  const made = await view.progress(() => withDiagnostics(() => makePlan({
    target: dir,
    vars: varsOf(opts),
    varFiles: opts.varFile ?? [],
    mode: opts.destroy ? "destroy" : "apply",
    targets: opts.target ?? [],
    host: view.host,
    toolVersion: toolVersion(),
    readLimits: readLimitsOf(opts.parallelism),
  })));
  if (isExit(made)) return made.exitCode;
  try {
    const { plan } = made;
    if (opts.out) await savePlan(opts.out, plan);
    if (opts.json) stdout(renderPlanJson(plan));
    else if (opts.markdown) stdout((await import("../../views/markdown.js")).renderMarkdown(plan, { toolVersion: toolVersion(), ...(opts.out ? { planFile: opts.out } : {}) }));
    else await view.showPlan(plan);
    if (opts.out && !opts.json && !opts.markdown) {
      stdout(plan.applyable
        ? `\nSaved the plan to ${opts.out}. To carry out exactly these actions, run:\n  crossvault apply ${opts.out}\n`
        : `\nSaved the plan to ${opts.out}, but it cannot be applied as it is.\n`);
    }
    return planExitCode(plan, opts.detailedExitcode === true);
  } finally {
    made.close();
  }
}
