// `crossvault apply [DIR|PLANFILE]`. With a directory: plan, show the plan, ask for `yes` (unless
// --auto-approve; never when stdin is not a terminal), apply. With a saved plan: no question (the saved plan
// is the approval), but the objects it read are read again and a plan whose objects changed is refused.
// Both hold the stack lock from before the read until the end, and end with a summary (exit 1 on a failure).
import { stat } from "node:fs/promises";
import { applyPlan, assertApplyable, DEFAULT_PARALLELISM, type ApplyOutcome } from "../../core/apply.js";
import { makePlan, readSession, variableTexts, type PlanSession } from "../../core/engine.js";
import { acquireStackLock, type StackLock } from "../../core/lock.js";
import { hasChanges, type Plan } from "../../core/plan-types.js";
import { loadPlan, staleness } from "../../core/planfile.js";
import { renderPlanText } from "../../views/plain.js";
import { PlainProgress } from "../../views/progress-plain.js";
import { ENV_PREFIX } from "../../config/variables.js";
import { UserError } from "../errors.js";
import { handleInterrupts, isExit, parallelismOf, SIGNAL_EXIT, stderr, stdout, toolVersion, useColor, varsOf, withDiagnostics, type CommonOptions, type Interrupts } from "./engine-options.js";

export interface ApplyCommandOptions extends CommonOptions {
  autoApprove?: boolean;
  /** For tests and pipes that answer the question themselves (the default refuses a non-terminal). */
  input?: NodeJS.ReadableStream;
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
  return planAndApply(target, opts, "apply");
}

/** `apply DIR` and `destroy DIR`: plan, show, approve, apply, all under the stack lock. */
export async function planAndApply(dir: string, opts: ApplyCommandOptions, mode: "apply" | "destroy"): Promise<number> {
  const host = new PlainProgress({ write: stderr, ...(opts.input ? { input: opts.input } : {}) });
  let lock: StackLock | undefined;
  let interrupts: Interrupts | undefined;
  const made = await withDiagnostics(() => makePlan({
    target: dir,
    vars: varsOf(opts),
    varFiles: opts.varFile ?? [],
    mode,
    targets: opts.target ?? [],
    host,
    toolVersion: toolVersion(),
    onConfig: (config) => {
      lock = acquireStackLock(config.settings.stack, mode);
      interrupts = handleInterrupts(lock);
    },
  })).catch((e: unknown) => {
    interrupts?.dispose();
    lock?.release();
    throw e;
  });
  try {
    if (isExit(made)) return made.exitCode;
    const { plan } = made;
    stdout(`\n${renderPlanText(plan, { color: useColor(opts) })}`);
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
      const approved = await host.ask({ code: mode === "apply" ? "approve-apply" : "approve-destroy", text, defaultResponse: false });
      if (!approved) {
        stderr(`\n${mode === "apply" ? "Apply" : "Destroy"} cancelled: nothing was changed.\n`);
        return 1;
      }
    }
    return await execute(made, plan, opts, host, interrupts!);
  } finally {
    if (!isExit(made)) made.close();
    interrupts?.dispose();
    lock?.release();
  }
}

async function applySavedPlan(file: string, opts: ApplyCommandOptions): Promise<number> {
  const plan = await loadPlan(file);
  assertApplyable(plan);
  const host = new PlainProgress({ write: stderr });
  let lock: StackLock | undefined;
  let interrupts: Interrupts | undefined;
  // The variables the plan was made with, and nothing from this shell's environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith(ENV_PREFIX)));
  const read = await withDiagnostics(() => readSession({
    target: plan.config.path,
    vars: variableTexts(plan.variables),
    varFiles: [],
    env,
    host,
    onConfig: (config) => {
      if (config.settings.stack !== plan.stack) throw new UserError(`${file} is a plan of stack ${plan.stack}, but ${plan.config.path} now declares stack ${config.settings.stack}`, "Run plan again.");
      lock = acquireStackLock(plan.stack, plan.mode);
      interrupts = handleInterrupts(lock);
    },
  })).catch((e: unknown) => {
    interrupts?.dispose();
    lock?.release();
    throw e;
  });
  try {
    if (isExit(read)) return read.exitCode;
    if (read.configHash !== plan.config.hash) {
      throw new UserError(`plan is stale: the configuration in ${plan.config.path} changed since the plan was made; run plan again`, `Make a new plan with \`crossvault plan --out ${file}\`, check it, and apply that.`);
    }
    const stale = staleness(plan, read.live.fingerprints);
    if (stale.length > 0) {
      const what = stale.length === 1 ? stale[0]! : `${stale.map((l) => l.replace(" changed since the plan was made", "")).join(", ")} changed since the plan was made`;
      throw new UserError(`plan is stale: ${what}; run plan again`, `Make a new plan with \`crossvault plan --out ${file}\`, check it, and apply that.`);
    }
    if (!hasChanges(plan)) {
      stdout("No changes. The saved plan has nothing to do.\n");
      return 0;
    }
    return await execute({ ...read, plan }, plan, opts, host, interrupts!);
  } finally {
    if (!isExit(read)) read.close();
    interrupts?.dispose();
    lock?.release();
  }
}

async function execute(session: Omit<PlanSession, "plan"> & { plan: Plan }, plan: Plan, opts: ApplyCommandOptions, host: PlainProgress, interrupts: Interrupts): Promise<number> {
  stderr("\n");
  interrupts.walking(true);
  let outcome: ApplyOutcome;
  try {
    outcome = await applyPlan(session.pool, plan, {
      stack: plan.stack,
      host,
      parallelism: parallelismOf(opts.parallelism, DEFAULT_PARALLELISM),
      signal: interrupts.signal,
    });
  } finally {
    interrupts.walking(false);
  }
  return report(plan, outcome, interrupts);
}

function report(plan: Plan, outcome: ApplyOutcome, interrupts: Interrupts): number {
  const c = outcome.counts;
  const counts = plan.mode === "destroy"
    ? `${c.destroyed} destroyed`
    : `${c.added} added, ${c.changed} changed, ${c.destroyed} destroyed${c.adopted > 0 ? `, ${c.adopted} adopted` : ""}`;
  const signal = interrupts.received();
  const verb = plan.mode === "destroy" ? "Destroy" : "Apply";
  if (outcome.failed.length === 0 && outcome.skipped.length === 0) {
    stdout(`\n${verb} complete! Resources: ${counts}.\n`);
    return 0;
  }
  for (const f of outcome.failed) stderr(`\nError: ${f.change.address}: ${f.message}\n`);
  const what = signal ? `${verb} interrupted` : `${verb} failed`;
  stdout(`\n${what}: ${outcome.applied.length} applied (${counts}), ${outcome.failed.length} failed, ${outcome.skipped.length} skipped.\n`);
  if (outcome.skipped.length > 0) stdout(`Skipped: ${outcome.skipped.map((s) => s.change.address).join(", ")}\n`);
  stdout("Run `crossvault plan` to see what is left to do; `crossvault apply` picks up from here.\n");
  return signal ? (SIGNAL_EXIT[signal] ?? 1) : 1;
}
