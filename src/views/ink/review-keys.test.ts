// The review's keys as a pure function: moving, opening, typing the answer, and the answer itself.
import { describe, expect, it } from "vitest";
import { INITIAL_REVIEW, pressKey, type ReviewKey, type ReviewState } from "./review-keys.js";

function press(keys: Array<string | ReviewKey>, count = 5, from: ReviewState = INITIAL_REVIEW): ReviewState {
  return keys.reduce<ReviewState>((s, k) => (typeof k === "string" ? pressKey(s, k, {}, count) : pressKey(s, "", k, count)), from);
}

describe("pressKey", () => {
  it("moves with arrows and j/k, within the list", () => {
    expect(press([{ downArrow: true }, "j", "j"]).cursor).toBe(3);
    expect(press(["j", "k", "k", { upArrow: true }]).cursor).toBe(0);
    expect(press([{ end: true }]).cursor).toBe(4);
    expect(press(["j", "j", "j", "j", "j", "j"]).cursor).toBe(4);
    expect(press([{ pageDown: true }, { home: true }]).cursor).toBe(0);
  });

  it("takes a burst of keys one at a time", () => {
    expect(press(["jjj"]).cursor).toBe(3);
  });

  it("opens and closes the details of the change under the cursor with space or enter", () => {
    expect([...press([" "]).open]).toEqual([0]);
    expect([...press(["j", { return: true }]).open]).toEqual([1]);
    expect([...press([" ", " "]).open]).toEqual([]);
  });

  it("approves only on 'yes' and enter", () => {
    expect(press(["y", "e", "s", { return: true }]).answer).toEqual({ text: "yes", approved: true });
    expect(press(["yes\r"]).answer).toEqual({ text: "yes", approved: true });
    expect(press(["y", { return: true }]).answer).toEqual({ text: "y", approved: false });
    expect(press(["no\r"]).answer?.approved).toBe(false);
  });

  it("once typing started, j, k and space are part of the answer", () => {
    const s = press(["n", "j", " ", "k"]);
    expect(s.typed).toBe("nj k");
    expect(s.cursor).toBe(0);
  });

  it("edits the answer with backspace and escape", () => {
    expect(press(["yesx", { backspace: true }]).typed).toBe("yes");
    expect(press(["yes", { escape: true }]).typed).toBe("");
  });

  it("cancels on ctrl-c and ignores keys after the answer", () => {
    const s = pressKey(INITIAL_REVIEW, "c", { ctrl: true }, 5);
    expect(s.answer).toEqual({ text: "^C", approved: false });
    expect(press(["yes\r"], 5, s).answer?.approved).toBe(false);
  });
});
