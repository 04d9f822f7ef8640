// The canary timeout flag: the units it accepts, and the user error for anything else.
import { describe, expect, it } from "vitest";
import { UserError } from "../errors.js";
import { durationMs } from "./status.js";

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
});
