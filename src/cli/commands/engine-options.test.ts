// Duration flags (--canary-timeout, --lock-timeout): the units they accept, and the user error for anything else.
import { describe, expect, it } from "vitest";
import { UserError } from "../errors.js";
import { durationMs } from "./engine-options.js";

describe("durationMs", () => {
  it("reads minutes, seconds, hours, milliseconds and plain seconds", () => {
    expect(durationMs("--canary-timeout", "15m")).toBe(900_000);
    expect(durationMs("--canary-timeout", "90s")).toBe(90_000);
    expect(durationMs("--canary-timeout", "1h")).toBe(3_600_000);
    expect(durationMs("--canary-timeout", "500ms")).toBe(500);
    expect(durationMs("--canary-timeout", "45")).toBe(45_000);
    expect(durationMs("--canary-timeout", "1.5m")).toBe(90_000);
  });

  it("refuses what is not a positive duration, saying what is expected", () => {
    for (const raw of ["", "soon", "0", "-5m", "5 minutes", "10d"]) {
      expect(() => durationMs("--canary-timeout", raw)).toThrow(UserError);
    }
    expect(() => durationMs("--canary-timeout", "soon")).toThrow("--canary-timeout soon: expected a duration such as 15m, 90s or 1h");
  });

  it("takes 0 only where zero means something (a lock timeout: do not wait)", () => {
    expect(durationMs("--lock-timeout", "0s", { allowZero: true })).toBe(0);
    expect(durationMs("--lock-timeout", "0", { allowZero: true })).toBe(0);
    expect(() => durationMs("--lock-timeout", "-1s", { allowZero: true })).toThrow(UserError);
    const refused = (() => { try { durationMs("--lock-timeout", "0"); } catch (e) { return e as UserError; } })();
    expect(refused?.hint).toBe("For example --lock-timeout 5m.");
  });
});
