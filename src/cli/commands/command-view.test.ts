// The view a command picks: the terminal view only for a person at a terminal, never for data output or
// answers coming from a stream; the plain view otherwise.
import { describe, expect, it } from "vitest";
import type { TerminalFacts } from "../terminal.js";
import { chooseView } from "./command-view.js";

const tty: TerminalFacts = { stdoutIsTTY: true, stdinIsTTY: true, env: { TERM: "xterm" } };
const pipe: TerminalFacts = { stdoutIsTTY: false, stdinIsTTY: true, env: { TERM: "xterm" } };

describe("chooseView", () => {
  it("picks the terminal view at a terminal", async () => {
    const view = await chooseView({ terminal: tty });
    expect(view.terminal).toBe(true);
    expect(view.host.constructor.name).toBe("TerminalHost");
  });

  it.each([
    ["stdout is not a terminal", { terminal: pipe }],
    ["CI", { terminal: { ...tty, env: { CI: "true" } } }],
    ["the output is data (--json)", { terminal: tty, data: true }],
    ["answers come from a stream", { terminal: tty, input: process.stdin }],
  ])("picks the plain view when %s", async (_why, choice) => {
    const view = await chooseView(choice);
    expect(view.terminal).toBe(false);
    expect(view.host.constructor.name).toBe("PlainProgress");
  });
});
