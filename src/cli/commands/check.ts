// `crossvault check [DIR] [--live] [--json | --markdown]`: the copy-route check on its own. It plans (reads every
// account the configuration involves, changes nothing) and reports each copy route's verdict: on the planned
// state by default (as it will be after apply), on the live state with --live (as it is now). Progress goes
// to stderr, the report to stdout. Exit 1 when a route fails (or the configuration does not load), else 0.
import { makePlan, type PlanSession } from "../../core/engine.js";
import { checkReport, renderCheckJson } from "../../views/check-report.js";
import { renderCheckMarkdown } from "../../views/check-markdown.js";
import { renderCheckText } from "../../views/check-plain.js";
import { PlainProgress } from "../../views/progress-plain.js";
import { UserError } from "../errors.js";
import { isExit, readLimitsOf, stderr, stdout, toolVersion, varsOf, withDiagnostics, type CommonOptions } from "./engine-options.js";

export interface CheckCommandOptions extends CommonOptions {
  live?: boolean;
  json?: boolean;
  markdown?: boolean;
}

/** The plan whose copy-route verdicts `check` and `status` report: a whole apply plan, progress on stderr. */
export function planRoutes(dir: string, opts: CommonOptions): Promise<PlanSession | { exitCode: number }> {
  return withDiagnostics(() => makePlan({
    target: dir,
    vars: varsOf(opts),
    varFiles: opts.varFile ?? [],
    mode: "apply",
    targets: [],
    host: new PlainProgress({ write: stderr }),
    toolVersion: toolVersion(),
    readLimits: readLimitsOf(opts.parallelism),
  }));
}

export async function checkCommand(dir: string, opts: CheckCommandOptions): Promise<number> {
  if (opts.json && opts.markdown) throw new UserError("--json and --markdown cannot be used together", "Choose one output format.");
  const made = await planRoutes(dir, opts);
  if (isExit(made)) return made.exitCode;
  try {
    const report = checkReport(made.plan, opts.live ? "live" : "planned");
    stdout(opts.json ? renderCheckJson(report) : opts.markdown ? renderCheckMarkdown(report) : `\n${renderCheckText(report)}`);
    return report.summary.fail > 0 ? 1 : 0;
  } finally {
    made.close();
  }
}
