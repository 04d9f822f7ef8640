// `crossvault apply [DIR|PLANFILE]`. With a directory: plan, show the plan, ask for `yes` (unless
// --auto-approve; never when stdin is not a terminal), apply. With a saved plan: no question (the saved plan
// is the approval), but the objects it read are read again and a plan whose objects changed is refused.
// Both hold the stack lock from before the read until the end, and end with a summary (exit 1 on a failure).
import { stat } from "node:fs/promises";
import path from "node:path";
import { applyPlan, assertApplyable, DEFAULT_PARALLELISM, type ApplyOutcome } from "../../core/apply.js";
import { makePlan, readSession, variableTexts, type PlanSession } from "../../core/engine.js";
import { hasChanges, type Plan } from "../../core/plan-types.js";
import { loadPlan, staleness } from "../../core/planfile.js";
import { allowFailingRoutes } from "../../core/route-check.js";
import { displayPath } from "../../config/files.js";
import { ENV_PREFIX } from "../../config/variables.js";
import { UserError } from "../errors.js";
import { chooseView, type CommandView } from "./command-view.js";
import { durationMs, isExit, parallelismOf, SIGNAL_EXIT, stderr, stdout, toolVersion, varsOf, withDiagnostics, type CommonOptions, type Interrupts } from "./engine-options.js";
import { StackGuard } from "./stack-guard.js";

export interface ApplyCommandOptions extends CommonOptions {
  autoApprove?: boolean;
  /** Apply even though copy routes fail after apply (their route-fails findings become warnings). */
  allowFailingRoutes?: boolean;
  /** For tests and pipes that answer the question themselves (the default refuses a non-terminal). */
  input?: NodeJS.ReadableStream;
  /** How long to wait for the stack lock while another apply or destroy holds it (default 0s: refuse at once). */
  lockTimeout?: string;
}

/**
 * The command line that repeats what a plan covered: the same mode, targets and configuration directory (shown
 * relative to here when it is below). Variable values are not repeated (they may be secrets): a note says so.
 */
export function commandFor(plan: Pick<Plan, "config" | "targets" | "mode" | "variables">, verb: "plan" | "apply", extra = ""): string {
  const dir = path.resolve(plan.config.path) === process.cwd() ? "." : displayPath(plan.config.path);
  const command = verb === "plan" ? `plan${plan.mode === "destroy" ? " --destroy" : ""}` : plan.mode;
  const targets = plan.targets.map((t) => ` --target ${t}`).join("");
  const vars = Object.keys(plan.variables).length > 0 ? " (with the same --var and --var-file values)" : "";
  return `\`crossvault ${command}${targets} ${dir}${extra}\`${vars}`;
}

/** The flags' values, checked before anything else: a bad value must cost no AWS read and no question asked. */
function flagsOf(opts: ApplyCommandOptions): { lockTimeoutMs: number; parallelism: number } {
  return {
    parallelism: parallelismOf(opts.parallelism, DEFAULT_PARALLELISM),
    lockTimeoutMs: durationMs("--lock-timeout", opts.lockTimeout ?? "0s", { allowZero: true }),
  };
}

/** A saved plan is a JSON file; a configuration is a directory or an .hcl file. */
async function isPlanFile(target: string): Promise<boolean> {
  try {
    const info = await stat(target);
    return info.isFile() && !target.endsWith(".hcl");
  } catch {
    return false;
  }
}

export async function applyCommand(target: string, opts: ApplyCommandOptions): Promise<number> {
  if (await isPlanFile(target)) {
    if ((opts.target ?? []).length > 0) throw new UserError("--target cannot be used with a saved plan: the plan already says what it covers", `Make a targeted plan with \`crossvault plan --target ADDR --out FILE\`, or apply without ${target}.`);
    if ((opts.var ?? []).length > 0 || (opts.varFile ?? []).length > 0) throw new UserError("--var and --var-file cannot be used with a saved plan: it keeps the values it was made with", "Make a new plan with the values you want.");
    return applySavedPlan(target, opts);
  }
  if (!(await stat(target).catch(() => undefined))) {
    throw new UserError(`${target}: no such file or directory`, "Pass a configuration directory, an .hcl file, or a plan saved with `crossvault plan --out FILE`.");
  }
  return planAndApply(target, opts, "apply");
}

/** `apply DIR` and `destroy DIR`: plan, show, approve, apply, all under the stack lock. */
export async function planAndApply(dir: string, opts: ApplyCommandOptions, mode: "apply" | "destroy"): Promise<number> {
  const { lockTimeoutMs, parallelism } = flagsOf(opts);
  const view = await chooseView({ color: opts.color, input: opts.input });
  const guard = new StackGuard((text) => view.say(text));
  const made = await guard.taking(() => view.progress(() => withDiagnostics(() => makePlan({
    target: dir,
    vars: varsOf(opts),
    varFiles: opts.varFile ?? [],
    mode,
    targets: opts.target ?? [],
    host: view.host,
    toolVersion: toolVersion(),
    onConfig: (config) => guard.take(config.settings.stack, mode, lockTimeoutMs),
  }))));
  try {
    if (isExit(made)) return made.exitCode;
    const plan = opts.allowFailingRoutes ? allowFailingRoutes(made.plan) : made.plan;
    await view.showPlan(plan);
    if (!plan.applyable) {
      stderr(`\nError: the ${mode} was stopped before it began: nothing was changed.\n`);
      return 1;
    }
    if (!hasChanges(plan)) return 0;
    if (!opts.autoApprove) {
      if (!opts.input && process.stdin.isTTY !== true) {
        throw new UserError(
          `${mode} needs approval, but stdin is not a terminal to ask on`,
          mode === "apply"
            ? "Run `crossvault apply --auto-approve`, or save the plan with `crossvault plan --out FILE` and run `crossvault apply FILE`."
            : "Run `crossvault destroy --auto-approve` if you mean it.",
        );
      }
      const text = mode === "apply"
        ? "Do you want to perform these actions?\n  crossvault will perform the actions described above."
        : `Do you really want to destroy every object of stack ${plan.stack}?\n  crossvault will destroy the objects listed above (recovery points are never deleted).`;
      const approved = await view.host.ask({ code: mode === "apply" ? "approve-apply" : "approve-destroy", text, defaultResponse: false });
      if (!approved) {
        stderr(`\n${mode === "apply" ? "Apply" : "Destroy"} cancelled: nothing was changed.\n`);
        return 1;
      }
    }
    return await execute(made, plan, parallelism, view, guard.interrupts());
  } finally {
    if (!isExit(made)) made.close();
    guard.release();
  }
}

async function applySavedPlan(file: string, opts: ApplyCommandOptions): Promise<number> {
  const saved = await loadPlan(file);
  const plan = opts.allowFailingRoutes ? allowFailingRoutes(saved) : saved;
  assertApplyable(plan);
  const { lockTimeoutMs, parallelism } = flagsOf(opts);
  // A saved plan names its configuration by absolute path: applied from another checkout (another CI job, another
  // machine), the configuration is elsewhere. Say so, rather than "no such directory".
  if (!(await stat(plan.config.path).catch(() => undefined))) {
    throw new UserError(
      `${file} was made from the configuration in ${plan.config.path}, which is not here`,
      "Apply the plan from a checkout at that same path (the configuration must be the same too: its hash is checked), or make a new plan here.",
    );
  }
  const view = await chooseView({ color: opts.color, input: opts.input });
  const guard = new StackGuard((text) => view.say(text));
  // The variables the plan was made with, and nothing from this shell's environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith(ENV_PREFIX)));
  const read = await guard.taking(() => view.progress(() => withDiagnostics(() => readSession({
    target: plan.config.path,
    vars: variableTexts(plan.variables),
    varFiles: [],
    env,
    host: view.host,
    onConfig: (config) => {
      if (config.settings.stack !== plan.stack) throw new UserError(`${file} is a plan of stack ${plan.stack}, but ${plan.config.path} now declares stack ${config.settings.stack}`, "Run plan again.");
      return guard.take(plan.stack, plan.mode, lockTimeoutMs);
    },
  }))));
  try {
    if (isExit(read)) return read.exitCode;
    if (read.configHash !== plan.config.hash) {
      throw new UserError(`plan is stale: the configuration in ${plan.config.path} changed since the plan was made; run plan again`, `Make a new plan with ${commandFor(plan, "plan", ` --out ${file}`)}, check it, and apply that.`);
    }
    const stale = staleness(plan, read.live.fingerprints);
    if (stale.length > 0) {
      const what = stale.length === 1 ? stale[0]! : `${stale.map((l) => l.replace(" changed since the plan was made", "")).join(", ")} changed since the plan was made`;
      throw new UserError(`plan is stale: ${what}; run plan again`, `Make a new plan with ${commandFor(plan, "plan", ` --out ${file}`)}, check it, and apply that.`);
    }
    if (!hasChanges(plan)) {
      stdout("No changes. The saved plan has nothing to do.\n");
      return 0;
    }
    return await execute({ ...read, plan }, plan, parallelism, view, guard.interrupts());
  } finally {
    if (!isExit(read)) read.close();
    guard.release();
  }
}

async function execute(session: Omit<PlanSession, "plan"> & { plan: Plan }, plan: Plan, parallelism: number, view: CommandView, interrupts: Interrupts): Promise<number> {
  view.startApply(plan);
  interrupts.walking(true);
  let outcome: ApplyOutcome;
  try {
    outcome = await view.progress(() => applyPlan(session.pool, plan, {
      stack: plan.stack,
      host: view.host,
      parallelism,
      signal: interrupts.signal,
    }));
  } finally {
    interrupts.walking(false);
  }
  return report(plan, outcome, interrupts, view);
}

function report(plan: Plan, outcome: ApplyOutcome, interrupts: Interrupts, view: CommandView): number {
  // A blank line before the report; the terminal view's live region leaves one behind it already.
  let lead = view.terminal ? "" : "\n";
  const gap = (): string => {
    const now = lead;
    lead = "\n";
    return now;
  };
  const c = outcome.counts;
  const counts = plan.mode === "destroy"
    ? `${c.destroyed} destroyed`
    : `${c.added} added, ${c.changed} changed, ${c.destroyed} destroyed${c.adopted > 0 ? `, ${c.adopted} adopted` : ""}`;
  const signal = interrupts.received();
  const verb = plan.mode === "destroy" ? "Destroy" : "Apply";
  if (outcome.failed.length === 0 && outcome.skipped.length === 0) {
    stdout(`${gap()}${verb} complete! Resources: ${counts}.\n`);
    return 0;
  }
  for (const f of outcome.failed) stderr(`${gap()}Error: ${f.change.address}: ${f.message}\n`);
  const what = signal ? `${verb} interrupted` : `${verb} failed`;
  stdout(`${gap()}${what}: ${outcome.applied.length} applied (${counts}), ${outcome.failed.length} failed, ${outcome.skipped.length} skipped.\n`);
  if (outcome.skipped.length > 0) stdout(`Skipped: ${outcome.skipped.map((s) => s.change.address).join(", ")}\n`);
  stdout(`Run ${commandFor(plan, "plan")} to see what is left to do; ${commandFor(plan, "apply")} picks up from here.\n`);
  return signal ? (SIGNAL_EXIT[signal] ?? 1) : 1;
}
