// `crossvault plan [DIR]`: read every account the configuration involves, show what apply would change, and
// optionally save the plan (--out) for `crossvault apply FILE`. The plan goes to stdout (text or --json),
// progress and diagnostics to stderr. Exit 0, or 1 when the plan cannot be applied, or 2 with
// --detailed-exitcode when it has changes.
import { makePlan } from "../../core/engine.js";
import { planExitCode } from "../../core/plan.js";
import { savePlan } from "../../core/planfile.js";
import { DEFAULT_LIMITS } from "../../providers/aws/index.js";
import { renderPlanJson } from "../../views/json.js";
import { renderPlanText } from "../../views/plain.js";
import { PlainProgress } from "../../views/progress-plain.js";
import { isExit, parallelismOf, stderr, stdout, toolVersion, useColor, varsOf, withDiagnostics, type CommonOptions } from "./engine-options.js";

export interface PlanCommandOptions extends CommonOptions {
  out?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  destroy?: boolean;
}

export async function planCommand(dir: string, opts: PlanCommandOptions): Promise<number> {
  const host = new PlainProgress({ write: stderr });
  const global = parallelismOf(opts.parallelism, DEFAULT_LIMITS.global);
  const made = await withDiagnostics(() => makePlan({
    target: dir,
    vars: varsOf(opts),
    varFiles: opts.varFile ?? [],
    mode: opts.destroy ? "destroy" : "apply",
    targets: opts.target ?? [],
    host,
    toolVersion: toolVersion(),
    readLimits: { global, perLane: Math.min(DEFAULT_LIMITS.perLane, global) },
  }));
  if (isExit(made)) return made.exitCode;
  try {
    const { plan } = made;
    if (opts.out) await savePlan(opts.out, plan);
    stdout(opts.json ? renderPlanJson(plan) : `\n${renderPlanText(plan, { color: useColor(opts) })}`);
    if (opts.out && !opts.json) {
      stdout(plan.applyable
        ? `\nSaved the plan to ${opts.out}. To carry out exactly these actions, run:\n  crossvault apply ${opts.out}\n`
        : `\nSaved the plan to ${opts.out}, but it cannot be applied as it is.\n`);
    }
    return planExitCode(plan, opts.detailedExitcode === true);
  } finally {
    made.close();
  }
}
