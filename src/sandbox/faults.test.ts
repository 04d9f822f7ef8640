import { describe, expect, it } from "vitest";
import { Faults, seededRandom } from "./faults.js";

describe("Faults", () => {
  it("repeats its decisions for the same seed", () => {
    const run = () => {
      const f = new Faults({ throttleRate: 0.3, errorRate: 0.3, jitterMs: 50, seed: 99 });
      return Array.from({ length: 50 }, () => [f.decide("kms", "1", "r"), f.delayMs()]);
    };
    expect(run()).toEqual(run());
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });

  it("keeps delays within latency + jitter", () => {
    const f = new Faults({ latencyMs: 100, jitterMs: 20, seed: 1 });
    const delays = Array.from({ length: 200 }, () => f.delayMs());
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...delays)).toBeLessThanOrEqual(120);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it("refills the rate-limit bucket over time, per key", () => {
    let now = 0;
    const f = new Faults({ rateLimit: 2 }, () => now);
    expect([f.decide("backup", "a", "r"), f.decide("backup", "a", "r"), f.decide("backup", "a", "r")]).toEqual([undefined, undefined, "throttling"]);
    expect(f.decide("backup", "b", "r")).toBeUndefined();
    expect(f.decide("kms", "a", "r")).toBeUndefined();
    now = 500;
    expect(f.decide("backup", "a", "r")).toBeUndefined();
    expect(f.decide("backup", "a", "r")).toBe("throttling");
  });

  it("gives STS its own rate when one is set, and the common one otherwise", () => {
    const own = new Faults({ rateLimit: 1, rateLimitSts: 3 }, () => 0);
    expect([1, 2, 3, 4].map(() => own.decide("sts", "a", "r"))).toEqual([undefined, undefined, undefined, "throttling"]);
    expect([1, 2].map(() => own.decide("backup", "a", "r"))).toEqual([undefined, "throttling"]);
    const common = new Faults({ rateLimit: 1 }, () => 0);
    expect([1, 2].map(() => common.decide("sts", "a", "r"))).toEqual([undefined, "throttling"]);
  });

  it("clamps probabilities into 0..1", () => {
    const f = new Faults({ errorRate: 7, seed: 3 });
    expect(f.options.errorRate).toBe(1);
    expect(["internalFailure", "serviceUnavailable"]).toContain(f.decide("sts", "a", "r"));
  });
});
