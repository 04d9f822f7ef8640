// The live view's state folded from engine events: what is printed for good, what is in flight, the waits.
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../core/events.js";
import { advance, closed, EMPTY_PROGRESS, type Progress } from "./progress-state.js";

function fold(events: Array<[number, EngineEvent]>, from: Progress = EMPTY_PROGRESS): Progress {
  return events.reduce((p, [now, e]) => advance(p, e, now), from);
}

describe("advance", () => {
  it("keeps changes in flight until they finish, then prints them once", () => {
    const p = fold([
      [0, { type: "apply-start", address: "kms_key.central", action: "create" }],
      [10, { type: "apply-start", address: "vault.central", action: "create" }],
      [500, { type: "apply-done", address: "kms_key.central", action: "create", durationMs: 500 }],
    ]);
    expect(p.inFlight.map((f) => [f.address, f.startedAt])).toEqual([["vault.central", 10]]);
    expect(p.printed).toEqual([{ id: 0, kind: "done", address: "kms_key.central", action: "create", durationMs: 500 }]);
    expect(p.counts).toEqual({ done: 1, failed: 0, skipped: 0 });
  });

  it("records a wait on the change in flight, with when it was announced", () => {
    const p = fold([
      [0, { type: "apply-start", address: "key_share.a", action: "create" }],
      [3000, { type: "apply-wait", address: "key_share.a", reason: "waiting for key policy propagation", waitedMs: 2000, nextInMs: 4000 }],
    ]);
    expect(p.inFlight[0]!.wait).toEqual({ reason: "waiting for key policy propagation", waitedMs: 2000, at: 3000 });
  });

  it("prints failures, skips and warnings, and counts them", () => {
    const p = fold([
      [0, { type: "apply-start", address: "backup_plan.daily", action: "update" }],
      [1, { type: "apply-failed", address: "backup_plan.daily", action: "update", message: "AccessDenied" }],
      [2, { type: "apply-skipped", address: "backup_selection.daily.tagged", because: "backup_plan.daily failed" }],
      [3, { type: "warning", message: "slow account" }],
      [4, { type: "apply-summary", applied: 0, failed: 1, skipped: 1 }],
    ]);
    expect(p.printed.map((x) => x.kind)).toEqual(["failed", "skipped", "warning"]);
    expect(p.counts).toEqual({ done: 0, failed: 1, skipped: 1 });
    expect(p.inFlight).toEqual([]);
  });

  it("counts the refresh, and leaves its totals as a line when closed", () => {
    const p = fold([
      [0, { type: "refresh-start", accounts: 3, regions: 2 }],
      [1, { type: "read-done", accountId: "222222222222", region: "eu-west-1", resources: 4 }],
      [2, { type: "read-done", accountId: "333333333333", region: "eu-west-1", resources: 1 }],
      [3, { type: "read-failed", accountId: "444444444444", region: "eu-west-1", message: "AccessDenied" }],
    ]);
    expect(p.refresh).toEqual({ accounts: 3, regions: 2, lanesRead: 2, objects: 5 });
    const end = closed(p);
    expect(end.closed).toBe(true);
    expect(end.refresh).toBeUndefined();
    expect(end.printed.map((x) => x.kind)).toEqual(["read-failed", "read-summary"]);
  });
});
