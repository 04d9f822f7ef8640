// Changed attributes as lines: symbols for added, removed and changed values, "forces replacement", and
// multi-line values shown as a line diff with unchanged runs folded.
import { describe, expect, it } from "vitest";
import { attributeLines, blockLines } from "./attribute-lines.js";
import { lineText } from "./lines.js";

describe("attributeLines", () => {
  it("aligns paths and marks each change with its symbol", () => {
    const lines = attributeLines([
      { path: "name", after: "central" },
      { path: "tags.team", before: "platform" },
      { path: "encryption_key_arn", before: "arn:k", knownAfterApply: true, forcesReplacement: true },
    ]).map(lineText);
    expect(lines).toEqual([
      '+ name               = "central"',
      '- tags.team          = "platform"',
      '~ encryption_key_arn = "arn:k" -> (known after apply)  # forces replacement',
    ]);
  });

  it("shows a multi-line value as a diff of its lines", () => {
    const rule = (schedule: string) => ({ name: "daily", schedule, start_window_minutes: 480, completion_window_minutes: 10080, target_vault: "local" });
    const lines = attributeLines([{ path: "rules[0]", before: rule("cron(0 5 ? * * *)"), after: rule("cron(0 3 ? * * *)") }]).map(lineText);
    expect(lines[0]).toBe("~ rules[0]:");
    expect(lines).toContain('  -   "schedule": "cron(0 5 ? * * *)",');
    expect(lines).toContain('  +   "schedule": "cron(0 3 ? * * *)",');
    // Lines far from the change are folded, not shown.
    expect(lines.some((l) => /# \(\d+ unchanged lines?\)/.test(l))).toBe(true);
    expect(lines.join("\n")).not.toContain('"target_vault"');
  });

  it("diffs text with newlines line by line", () => {
    const lines = blockLines("a\nb\nc", "a\nB\nc").map(lineText);
    expect(lines).toEqual(["    a", "  - b", "  + B", "    c"]);
  });
});
