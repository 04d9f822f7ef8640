// The review's rows (headings, headlines, opened details) and the window that keeps the cursor in view.
import { describe, expect, it } from "vitest";
import { mixedPlan } from "../plan-examples.js";
import { fitLines, hang, lineText, seg } from "./lines.js";
import { reviewEntries, reviewRows, windowTop, type ReviewRow } from "./review-rows.js";

describe("reviewRows", () => {
  it("lists the changes by account and region, the cursor and open marks in front", () => {
    const entries = reviewEntries(mixedPlan());
    const rows = reviewRows(entries, 1, new Set([1]), 100).map((r) => lineText(r.line));
    expect(rows[0]).toBe("Account 111111111111");
    expect(rows).toContain("  > ▾ -/+ vault.central must be replaced (encryption_key_arn cannot change in place)");
    expect(rows.some((l) => l.includes("~ encryption_key_arn"))).toBe(true);
    expect(rows.filter((l) => l.includes("▸")).length).toBe(entries.length - 1);
  });
});

describe("fitLines", () => {
  it("breaks a line at a space to the width, continuing under its hanging indent", () => {
    const lines = fitLines([[seg("  "), seg("! "), hang(seg("Warning: ")), seg("the key will be deleted in thirty days")]], 30).map(lineText);
    expect(lines).toEqual(["  ! Warning: the key will be", "             deleted in thirty", "             days"]);
    expect(fitLines([[seg("abcdefghij")]], 4).map(lineText)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("keeps every row of an opened change within the width, nothing cut off", () => {
    const rows = reviewRows(reviewEntries(mixedPlan()), 1, new Set([1]), 60).map((r) => lineText(r.line));
    expect(rows.every((l) => l.length <= 60)).toBe(true);
    expect(rows.join("\n")).toContain("# forces replacement");
  });
});

describe("windowTop", () => {
  const rows: ReviewRow[] = Array.from({ length: 30 }, (_, i) => ({ line: [], entry: i, headline: true }));

  it("shows everything from the top when it fits", () => {
    expect(windowTop(rows.slice(0, 5), 4, 0, 10)).toBe(0);
  });

  it("scrolls just enough to keep the cursor in view", () => {
    expect(windowTop(rows, 12, 0, 10)).toBe(3);
    expect(windowTop(rows, 5, 3, 10)).toBe(3);
    expect(windowTop(rows, 2, 3, 10)).toBe(2);
    expect(windowTop(rows, 29, 0, 10)).toBe(20);
  });

  it("brings an opened change's details into view, headline first", () => {
    const open: ReviewRow[] = [...rows.slice(0, 5), ...Array.from({ length: 20 }, () => ({ line: [], entry: 4 })), ...rows.slice(5)];
    const top = windowTop(open, 4, 0, 10);
    expect(top).toBe(4);
  });
});
