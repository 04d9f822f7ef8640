// The live view fed with a sequence of engine events: finished resources printed once (Static), only what
// is in flight in the live region (action, elapsed time, waits), and nothing live once it is closed.
import "./ink-test-support.js"; // before Ink loads
import { render } from "ink-testing-library";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { closed, ProgressStore } from "./progress-state.js";
import { ProgressView } from "./ProgressView.js";

function live() {
  let now = 1_000_000;
  const clock = (): number => now;
  const store = new ProgressStore(clock);
  const r = render(<ProgressView store={store} clock={clock} rows={20} />);
  const frame = (): string => stripVTControlCharacters(r.lastFrame() ?? "");
  const until = (check: (text: string) => void): Promise<void> => vi.waitFor(() => check(frame()));
  return { ...r, store, frame, until, tick: (ms: number) => void (now += ms) };
}

describe("ProgressView", () => {
  it("streams finished resources above the live region, which shows only what is in flight", async () => {
    const v = live();
    v.store.update({ ...v.store.getSnapshot(), total: 3 });
    v.store.dispatch({ type: "apply-start", address: "kms_key.central", action: "create" });
    v.store.dispatch({ type: "apply-start", address: "vault.prod_local", action: "create" });
    // Aligned: the actions start in one column.
    await v.until((t) => expect(t).toMatch(/kms_key\.central {3}Creating… {2}0 s/));
    expect(v.frame()).toMatch(/vault\.prod_local {2}Creating… {2}0 s/);
    expect(v.frame()).toContain("0 of 3 finished, 2 in flight");

    v.tick(1500);
    v.store.dispatch({ type: "apply-done", address: "kms_key.central", action: "create", durationMs: 1500 });
    await v.until((t) => expect(t).toContain("✓ kms_key.central: Creation complete after 1.5s"));
    const text = v.frame();
    expect(text).not.toMatch(/kms_key\.central {2}Creating/);
    expect(text).toContain("1 of 3 finished, 1 in flight");
    expect(text.indexOf("✓ kms_key.central")).toBeLessThan(text.indexOf("vault.prod_local  Creating"));
    v.unmount();
  });

  it("shows a propagation wait on the change that waits, with the time waited", async () => {
    const v = live();
    v.store.dispatch({ type: "apply-start", address: "key_share.central->333333333333", action: "create" });
    v.tick(14_000);
    v.store.dispatch({ type: "apply-wait", address: "key_share.central->333333333333", reason: "waiting for key policy propagation", waitedMs: 12_000, nextInMs: 4000 });
    await v.until((t) => expect(t).toMatch(/key_share\.central->333333333333 {2}Creating… {2}14 s {2}waiting for key policy propagation, 12 s/));
    v.unmount();
  });

  it("prints failures and skips with words, not only colour, and counts them", async () => {
    const v = live();
    v.store.dispatch({ type: "apply-start", address: "backup_plan.daily", action: "update" });
    v.store.dispatch({ type: "apply-start", address: "vault.central", action: "create" });
    v.store.dispatch({ type: "apply-failed", address: "backup_plan.daily", action: "update", message: "AccessDeniedException: not allowed" });
    v.store.dispatch({ type: "apply-skipped", address: "backup_selection.daily.tagged", because: "backup_plan.daily failed" });
    v.store.dispatch({ type: "warning", message: "account 444444444444 is slow" });
    await v.until((t) => expect(t).toContain("✗ backup_plan.daily: failed: AccessDeniedException: not allowed"));
    const text = v.frame();
    expect(text).toContain("○ backup_selection.daily.tagged: skipped (backup_plan.daily failed)");
    expect(text).toContain("! Warning: account 444444444444 is slow");
    expect(text).toContain("2 finished, 1 in flight, 1 failed");
    v.unmount();
  });

  it("shows the refresh while it reads, and leaves its totals when closed", async () => {
    const v = live();
    v.store.dispatch({ type: "refresh-start", accounts: 4, regions: 1 });
    v.store.dispatch({ type: "read-done", accountId: "222222222222", region: "eu-west-1", resources: 2 });
    await v.until((t) => expect(t).toContain("Reading the live state of 4 accounts in 1 region… 2 objects found (1 read done)"));
    v.store.update(closed(v.store.getSnapshot()));
    await v.until((t) => expect(t).toContain("✓ Read the live state: 1 account-region, 2 objects."));
    expect(v.frame()).not.toContain("Reading the live state of");
    v.unmount();
  });

  it("keeps the live region shorter than the terminal, however much is in flight", async () => {
    const v = live();
    for (let i = 0; i < 40; i++) v.store.dispatch({ type: "apply-start", address: `vault.v${i}`, action: "create" });
    await v.until((t) => expect(t).toContain("… and 23 more in flight"));
    expect(v.frame().split("\n").length).toBeLessThan(20);
    v.unmount();
  });
});
