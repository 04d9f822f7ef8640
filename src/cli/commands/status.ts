// `crossvault status [DIR] [--json] [--canary]`: how each copy route that exists now is doing. It plans as
// `check --live` does (reads every account the configuration involves, changes nothing) and takes the same live
// verdicts, then reads each route's copy jobs and the newest copy in its destination vault. With --canary it first
// starts one on-demand copy per route and follows it to its end. Progress goes to stderr, the report to stdout.
// Exit 0 when every route is healthy, 2 when one is failing, 1 on error or when a route could not be judged.
import { checkReport } from "../../views/check-report.js";
import { assembleStatus, healthTargets, liveCopyRoutes, statusExitCode, type CanaryOutcome, type HealthTarget } from "../../check/health.js";
import type { LimiterOptions } from "../../providers/aws/index.js";
import { readRouteHealth, type HealthClients } from "../../providers/aws/read-route-health.js";
import { RequestLimiter } from "../../providers/aws/limiter.js";
import { runCanary } from "../../providers/aws/canary-copy.js";
import { renderStatusJson } from "../../views/status-json.js";
import { renderStatusText } from "../../views/status-plain.js";
import { UserError } from "../errors.js";
import { planRoutes } from "./check.js";
import { durationMs, isExit, readLimitsOf, stderr, stdout, toolVersion, useColor, type CommonOptions } from "./engine-options.js";

export interface StatusCommandOptions extends CommonOptions {
  json?: boolean;
  canary?: boolean;
  /** `15m`, `90s`, `1h` or a number of seconds. */
  canaryTimeout?: string;
}

export const DEFAULT_CANARY_TIMEOUT = "15m";

const CANARY_COST = "Warning: --canary starts one real copy job per route. In AWS each one is billed as a copy: storage of the copied recovery point in the destination vault for its retention, and data transfer when the route crosses Regions.\n";

async function runCanaries(clients: HealthClients, targets: readonly HealthTarget[], timeoutMs: number, limits: LimiterOptions): Promise<Map<string, CanaryOutcome>> {
  stderr(CANARY_COST);
  const limiter = new RequestLimiter(limits);
  const progress = (line: string): void => stderr(`${line}\n`);
  const outcomes = await Promise.all(targets.map(async (t) => [t.id, await runCanary(clients, t, { timeoutMs, progress, limiter })] as const));
  return new Map(outcomes);
}

export async function statusCommand(dir: string, opts: StatusCommandOptions): Promise<number> {
  if (opts.canaryTimeout !== undefined && !opts.canary) throw new UserError("--canary-timeout needs --canary", "Add --canary to start a canary copy per route, or drop --canary-timeout.");
  const timeoutMs = durationMs("--canary-timeout", opts.canaryTimeout ?? DEFAULT_CANARY_TIMEOUT, { example: `${DEFAULT_CANARY_TIMEOUT} (the default)` });
  const limits = readLimitsOf(opts.parallelism);
  const made = await planRoutes(dir, opts);
  if (isExit(made)) return made.exitCode;
  try {
    // The same verdicts `check --live` reports: the routes as they are now, judged by the same rules.
    const checked = checkReport(made.plan, "live");
    const targets = healthTargets(checked.routes, liveCopyRoutes({ stack: made.config.settings.stack, live: made.live.resources, org: made.org }));
    const canaries = opts.canary && targets.length > 0 ? await runCanaries(made.pool, targets, timeoutMs, limits) : opts.canary ? new Map<string, CanaryOutcome>() : undefined;
    if (targets.length > 0) stderr(`Reading the copy jobs and recovery points of ${targets.length} copy route${targets.length === 1 ? "" : "s"}...\n`);
    const readings = await readRouteHealth(made.pool, targets, { limits });
    const report = assembleStatus({
      stack: checked.stack,
      toolVersion: toolVersion(),
      now: new Date(),
      verdicts: checked.routes,
      targets,
      readings,
      ...(canaries ? { canaries } : {}),
      notApplied: checked.elsewhere,
      unreadable: checked.unreadable,
    });
    stdout(opts.json ? renderStatusJson(report) : `\n${renderStatusText(report, { color: useColor(opts) })}`);
    return statusExitCode(report);
  } finally {
    made.close();
  }
}
