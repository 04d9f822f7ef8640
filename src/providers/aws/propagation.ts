// Waiting out AWS eventual consistency during apply: a write that fails with a known propagation error (a
// principal not yet valid in a policy, access right after trusted access is enabled, a key just created) is
// retried with bounded exponential back-off, and every wait is announced as an `apply-wait` event. Anything
// else fails at once; a propagation error that outlasts the bound fails with how long it was waited for.
import type { EngineEvent } from "../../core/events.js";
import { describeError, errorMessage, errorName } from "./aws-errors.js";

/** Returns the reason to wait ("waiting for ...") when the error is a known propagation delay. */
export type PropagationRule = (error: unknown) => string | undefined;

export interface WaitOptions {
  address: string;
  notify?: (event: EngineEvent) => void;
  signal?: AbortSignal;
  /** Give up after this much waiting (default 2 minutes). */
  maxWaitMs?: number;
  /** First pause (default 1 s); doubles up to maxStepMs. */
  firstStepMs?: number;
  maxStepMs?: number;
  /** Injected by unit tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_MAX_WAIT_MS = 120_000;

export class PropagationTimeout extends Error {
  constructor(readonly address: string, readonly reason: string, readonly waitedMs: number, readonly lastError: unknown) {
    super(`${address}: still failing after waiting ${Math.round(waitedMs / 1000)} s (${reason}): ${describeError(lastError)}`);
    this.name = "PropagationTimeout";
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export async function untilPropagated<T>(op: () => Promise<T>, rules: PropagationRule | PropagationRule[], options: WaitOptions): Promise<T> {
  const list = Array.isArray(rules) ? rules : [rules];
  const maxWait = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const maxStep = options.maxStepMs ?? 15_000;
  const pause = options.sleep ?? sleep;
  let step = options.firstStepMs ?? 1_000;
  let waited = 0;
  for (;;) {
    try {
      return await op();
    } catch (e) {
      const reason = list.map((rule) => rule(e)).find((r) => r !== undefined);
      if (reason === undefined) throw e;
      if (waited + step > maxWait) throw new PropagationTimeout(options.address, reason, waited, e);
      options.notify?.({ type: "apply-wait", address: options.address, reason, waitedMs: waited, nextInMs: step });
      await pause(step, options.signal);
      waited += step;
      step = Math.min(step * 2, maxStep);
    }
  }
}

const matches = (e: unknown, names: string[], pattern: RegExp): boolean => names.includes(errorName(e)) && pattern.test(errorMessage(e));

/** A policy naming a principal IAM does not know yet (an account or role just created or just trusted). */
export const principalNotYetValid: PropagationRule = (e) =>
  matches(e, ["MalformedPolicyDocumentException", "MalformedPolicyDocument", "InvalidParameterValueException"], /principal/i)
    ? "waiting for the principals named in the policy to become valid"
    : undefined;

/** A key created moments ago that another service (or KMS itself) does not see yet. */
export const keyNotYetUsable: PropagationRule = (e) =>
  matches(e, ["InvalidParameterValueException", "NotFoundException", "KMSInvalidStateException"], /(kms|key).*(not (exist|found|accessible)|does not exist|not yet)/i)
    ? "waiting for the new KMS key to become usable"
    : undefined;

/** Access refused right after trusted access or the cross-account setting was turned on. */
export const trustNotYetActive: PropagationRule = (e) =>
  errorName(e) === "AccessDeniedException" || matches(e, ["InvalidRequestException", "ConstraintViolationException"], /trusted access|service access/i)
    ? "waiting for trusted access for AWS Backup to propagate"
    : undefined;

/** Deleting a plan right after its selections (or a vault right after its last recovery point) [O]. */
export const dependentsNotYetGone: PropagationRule = (e) =>
  matches(e, ["InvalidRequestException"], /selections must be deleted/i) ? "waiting for the deleted selections to be gone" : undefined;
