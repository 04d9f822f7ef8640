// What plan, apply and destroy share on the command line: their options, the view they pick, configuration
// problems printed as diagnostics, the tool version a plan records, and interrupts (SIGINT/SIGTERM) that
// release the stack lock and let running writes finish rather than cutting them off.
import { readFileSync } from "node:fs";
import { formatDiagnostic } from "../../config/diagnostics.js";
import { ConfigurationInvalid } from "../../core/engine.js";
import type { StackLock } from "../../core/lock.js";
import { DEFAULT_LIMITS, type LimiterOptions } from "../../providers/aws/limiter.js";
import { UserError } from "../errors.js";
import { parseVarOptions } from "./validate.js";

export interface CommonOptions {
  var?: string[];
  varFile?: string[];
  target?: string[];
  parallelism?: string;
  /** Set from the global --no-color. */
  color?: boolean;
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export function parallelismOf(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UserError(`--parallelism ${raw}: expected a whole number from 1 to 1000`, `For example --parallelism ${fallback} (the default).`);
  return n;
}

/** The read bounds of `--parallelism N`: N in flight in total, and never more per account-region than the default. */
export function readLimitsOf(raw: string | undefined): LimiterOptions {
  const global = parallelismOf(raw, DEFAULT_LIMITS.global);
  return { global, perLane: Math.min(DEFAULT_LIMITS.perLane, global) };
}

export function varsOf(opts: CommonOptions): Record<string, string> {
  return parseVarOptions(opts.var ?? []);
}

/** Colour only on a terminal, never with NO_COLOR or --no-color. */
export function useColor(opts: CommonOptions, stream: NodeJS.WriteStream = process.stdout): boolean {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";
  return opts.color !== false && !noColor && stream.isTTY === true;
}

export const stderr = (s: string): void => void process.stderr.write(s);
export const stdout = (s: string): void => void process.stdout.write(s);

/** Runs a step of a command; a configuration that does not load is printed as its diagnostics, exit 1. */
export async function withDiagnostics<T>(step: () => Promise<T>): Promise<T | { exitCode: number }> {
  try {
    return await step();
  } catch (e) {
    if (!(e instanceof ConfigurationInvalid)) throw e;
    for (const d of e.diagnostics) stderr(`${formatDiagnostic(d)}\n`);
    stderr(`\nError: ${e.message}\n  ${e.hint ?? ""}\n`);
    return { exitCode: 1 };
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration flag: `15m`, `90s`, `1h`, `500ms`, or a plain number of seconds. Positive unless `allowZero` (a
 * timeout whose 0 means "do not wait", as --lock-timeout's default). `example` completes the hint.
 */
export function durationMs(flag: string, raw: string, opts: { allowZero?: boolean; example?: string } = {}): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(raw);
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] ?? "s"]! : NaN;
  if (!Number.isFinite(ms) || ms < 0 || (ms === 0 && !opts.allowZero)) {
    throw new UserError(`${flag} ${raw}: expected a duration such as 15m, 90s or 1h`, `For example ${flag} ${opts.example ?? "5m"}.`);
  }
  return ms;
}

export function isExit(v: unknown): v is { exitCode: number } {
  return typeof v === "object" && v !== null && "exitCode" in v && Object.keys(v).length === 1;
}

export interface Interrupts {
  readonly signal: AbortSignal;
  /** The signal received, once one was. */
  received(): NodeJS.Signals | undefined;
  /** Writes are running: a signal now aborts the walk (running writes finish) instead of exiting. */
  walking(on: boolean): void;
  dispose(): void;
}

export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Until the walk starts, a signal releases the lock and exits at once (nothing was written). During the walk it
 * stops new writes and lets running ones finish, so no object is left half-written; a second signal exits.
 * `say` prints the notice (the terminal view puts it above its live region).
 */
export function handleInterrupts(lock: StackLock | undefined, say: (text: string) => void = stderr): Interrupts {
  const controller = new AbortController();
  let got: NodeJS.Signals | undefined;
  let inWalk = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (got || !inWalk) {
      lock?.release();
      stderr(`\n${sig}: stopped.\n`);
      process.exit(SIGNAL_EXIT[sig] ?? 1);
    }
    got = sig;
    say(`\n${sig}: stopping. Waiting for the writes in progress to finish; nothing new is started. (Send it again to exit now.)\n`);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => got,
    walking: (on) => void (inWalk = on),
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
