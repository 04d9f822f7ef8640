// Injected faults for reliability tests and benchmarks: per-request latency and jitter, a request-rate limit
// per account-region per service (a token bucket), random throttling and random server errors. All
// randomness comes from one seeded generator so a run can be repeated.
import type { ServiceName } from "./service.js";
import type { WireErrorKind } from "./protocol/wire.js";

export interface FaultOptions {
  latencyMs?: number;
  jitterMs?: number;
  /** Requests per second per account-region per service; 0 or absent = unlimited. */
  rateLimit?: number;
  /**
   * STS's own rate per account-region; absent = `rateLimit`. AWS gives STS a quota of its own, far above the
   * per-API rates of Backup or KMS (600 AssumeRole requests per second per account and region by default),
   * so a model that throttles AssumeRole at Backup's rate makes one lane of the management account the bound.
   */
  rateLimitSts?: number;
  /** Probability (0..1) that a request is throttled regardless of the rate. */
  throttleRate?: number;
  /** Probability (0..1) that a request fails with a 500 or 503. */
  errorRate?: number;
  seed?: number;
}

/** mulberry32: small, fast and good enough to decide coin flips reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Bucket {
  tokens: number;
  at: number;
}

export class Faults {
  readonly options: Required<Omit<FaultOptions, "seed">>;
  private readonly random: () => number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: FaultOptions, private readonly clock: () => number = Date.now) {
    this.options = {
      latencyMs: Math.max(0, options.latencyMs ?? 0),
      jitterMs: Math.max(0, options.jitterMs ?? 0),
      rateLimit: Math.max(0, options.rateLimit ?? 0),
      rateLimitSts: Math.max(0, options.rateLimitSts ?? options.rateLimit ?? 0),
      throttleRate: clamp01(options.throttleRate ?? 0),
      errorRate: clamp01(options.errorRate ?? 0),
    };
    this.random = seededRandom(options.seed ?? Date.now());
  }

  /** How long to hold this request before answering it. */
  delayMs(): number {
    const { latencyMs, jitterMs } = this.options;
    return latencyMs + (jitterMs > 0 ? Math.floor(this.random() * (jitterMs + 1)) : 0);
  }

  /** The fault this request meets, if any: the rate limit first, then the random ones. */
  decide(service: ServiceName, accountId: string, region: string): WireErrorKind | undefined {
    const { throttleRate, errorRate } = this.options;
    const rateLimit = service === "sts" ? this.options.rateLimitSts : this.options.rateLimit;
    if (rateLimit > 0 && !this.take(`${service}|${accountId}|${region}`, rateLimit)) return "throttling";
    if (throttleRate > 0 && this.random() < throttleRate) return "throttling";
    if (errorRate > 0 && this.random() < errorRate) return this.random() < 0.5 ? "internalFailure" : "serviceUnavailable";
    return undefined;
  }

  private take(key: string, rate: number): boolean {
    const now = this.clock();
    const b = this.buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

function clamp01(p: number): number {
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}
