// The interactive review: moving through the changes, opening their details, and the `yes` confirmation,
// driven by keys written to a fake terminal's stdin; frames asserted as text (ANSI stripped).
import "./ink-test-support.js"; // before Ink loads
import { render as inkRender } from "ink";
import { render } from "ink-testing-library";
import { PassThrough } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it, vi } from "vitest";
import type { Question } from "../../core/events.js";
import { mixedPlan, reviewPlan } from "../plan-examples.js";
import { Review } from "./Review.js";

const question: Question = { code: "approve-apply", text: "Do you want to perform these actions?\n  crossvault will perform the actions described above.", defaultResponse: false };
const DOWN = "\u001B[B";
const UP = "\u001B[A";

function review(rows = 40, plan = mixedPlan()) {
  const onAnswer = vi.fn<(approved: boolean) => void>();
  const r = render(<Review plan={plan} question={question} onAnswer={onAnswer} columns={100} rows={rows} />);
  const frame = (): string => stripVTControlCharacters(r.lastFrame() ?? "");
  const until = (check: (text: string) => void): Promise<void> => vi.waitFor(() => check(frame()));
  return { ...r, onAnswer, frame, until };
}

describe("Review", () => {
  it("lists the changes with the cursor on the first, and asks the question below", () => {
    const r = review();
    const text = r.frame();
    expect(text).toMatch(/Account 111111111111\n {2}eu-west-1\n {2}> ▸ {3}~ cross_account_setting will be updated in place/);
    expect(text).toContain("  ▸   ~ vault_policy.central will be updated in place  ! broadens access");
    expect(text).toContain("↑/↓ j/k: move");
    expect(text).toContain("Do you want to perform these actions?\n  crossvault will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: █");
    r.unmount();
  });

  it("moves with j/k and the arrows, and opens and closes details with enter and space", async () => {
    const r = review();
    r.stdin.write("j");
    await r.until((t) => expect(t).toContain("> ▸ -/+ vault.central must be replaced"));
    r.stdin.write("\r");
    await r.until((t) => expect(t).toContain("> ▾ -/+ vault.central must be replaced"));
    expect(r.frame()).toMatch(/▾ -\/\+ vault\.central must be replaced.*\n +~ encryption_key_arn =[^#]*# forces replacement/);
    r.stdin.write(DOWN);
    await r.until((t) => expect(t).toContain("> ▸   ~ vault_policy.central"));
    r.stdin.write(" ");
    await r.until((t) => expect(t).toContain("vault access policy statements: ! broadens access"));
    r.stdin.write(UP);
    await r.until((t) => expect(t).toContain("> ▾ -/+ vault.central"));
    r.stdin.write(" ");
    await r.until((t) => expect(t).not.toContain("# forces replacement"));
    expect(r.onAnswer).not.toHaveBeenCalled();
    r.unmount();
  });

  it("approves with 'yes' and enter, and leaves only the question and the answer", async () => {
    const r = review();
    for (const key of ["y", "e", "s"]) r.stdin.write(key);
    await r.until((t) => expect(t).toContain("Enter a value: yes█"));
    r.stdin.write("\r");
    await vi.waitFor(() => expect(r.onAnswer).toHaveBeenCalledWith(true));
    const text = r.frame();
    expect(text).toContain("Enter a value: yes");
    expect(text).not.toContain("█");
    expect(text).not.toContain("vault.central");
    r.unmount();
  });

  it.each([["no\r"], ["y\r"], ["\u0003"]])("cancels on %j", async (keys) => {
    const r = review();
    r.stdin.write(keys);
    await vi.waitFor(() => expect(r.onAnswer).toHaveBeenCalledWith(false));
    expect(r.onAnswer).toHaveBeenCalledTimes(1);
    r.unmount();
  });

  it("windows a long list to the terminal's height and follows the cursor", async () => {
    const rows = 16;
    const r = review(rows, reviewPlan());
    const count = (t: string): number => t.split("\n").length;
    expect(count(r.frame())).toBeLessThan(rows);
    expect(r.frame()).toMatch(/↓ \d+ more lines? below/);
    for (let i = 0; i < 8; i++) r.stdin.write("j");
    await r.until((t) => expect(t).toContain("> ▸ -/+ backup_selection.daily[\"prod\"].tagged"));
    expect(r.frame()).toMatch(/↑ \d+ more lines? above/);
    expect(count(r.frame())).toBeLessThan(rows);
    r.unmount();
  });

  it("reads no keys (and does not fail) when the terminal has no raw mode", async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    const stdout = Object.assign(new PassThrough(), { columns: 100, rows: 40 }) as unknown as NodeJS.WriteStream;
    let out = "";
    stdout.on("data", (d: Buffer) => (out += d.toString()));
    const onAnswer = vi.fn();
    const app = inkRender(<Review plan={mixedPlan()} question={question} onAnswer={onAnswer} />, { stdin, stdout, stderr: stdout, exitOnCtrlC: false, patchConsole: false });
    stdin.write("yes\r");
    await new Promise((r) => setImmediate(r));
    await vi.waitFor(() => expect(stripVTControlCharacters(out)).toContain("Enter a value:"));
    expect(onAnswer).not.toHaveBeenCalled();
    app.unmount();
  });
});
