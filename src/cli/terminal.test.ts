// Which runs get the Ink view (a person at a terminal) and which the plain views (files, pipes, CI logs, dumb
// terminals), and how colour is turned off before the terminal view loads.
import { describe, expect, it } from "vitest";
import { applyColorChoice, colorWanted, isInteractiveTerminal, type TerminalFacts } from "./terminal.js";

const tty: TerminalFacts = { stdoutIsTTY: true, stdinIsTTY: true, env: { TERM: "xterm-256color" } };

describe("isInteractiveTerminal", () => {
  it("is true with both streams on a terminal, outside CI, on a capable terminal", () => {
    expect(isInteractiveTerminal(tty)).toBe(true);
    expect(isInteractiveTerminal({ ...tty, env: {} })).toBe(true);
  });

  it.each([
    ["stdout is a file or a pipe", { ...tty, stdoutIsTTY: false }],
    ["stdin is a file or a pipe", { ...tty, stdinIsTTY: false }],
    ["neither is a terminal", { ...tty, stdoutIsTTY: false, stdinIsTTY: false }],
    ["CI is set", { ...tty, env: { ...tty.env, CI: "true" } }],
    ["CI is set to anything", { ...tty, env: { ...tty.env, CI: "1" } }],
    ["CI is set but empty", { ...tty, env: { ...tty.env, CI: "" } }],
    ["CONTINUOUS_INTEGRATION is set", { ...tty, env: { ...tty.env, CONTINUOUS_INTEGRATION: "yes" } }],
    ["TERM is dumb", { ...tty, env: { TERM: "dumb" } }],
  ])("is false when %s", (_why, facts) => {
    expect(isInteractiveTerminal(facts)).toBe(false);
  });

  it("reads CI=false and CI=0 as not CI, as Ink itself does", () => {
    expect(isInteractiveTerminal({ ...tty, env: { ...tty.env, CI: "false" } })).toBe(true);
    expect(isInteractiveTerminal({ ...tty, env: { ...tty.env, CI: "0" } })).toBe(true);
  });
});

describe("colour", () => {
  it("is wanted unless --no-color or a non-empty NO_COLOR says otherwise", () => {
    expect(colorWanted(undefined, {})).toBe(true);
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(false, {})).toBe(false);
    expect(colorWanted(undefined, { NO_COLOR: "1" })).toBe(false);
    expect(colorWanted(true, { NO_COLOR: "anything" })).toBe(false);
    expect(colorWanted(undefined, { NO_COLOR: "" })).toBe(true);
  });

  it("writes FORCE_COLOR=0 when colour is off, so chalk starts without colour", () => {
    const noColor: Record<string, string | undefined> = { NO_COLOR: "1" };
    applyColorChoice(undefined, noColor);
    expect(noColor.FORCE_COLOR).toBe("0");
    const flag: Record<string, string | undefined> = {};
    applyColorChoice(false, flag);
    expect(flag.FORCE_COLOR).toBe("0");
    const on: Record<string, string | undefined> = { FORCE_COLOR: "3" };
    applyColorChoice(undefined, on);
    expect(on.FORCE_COLOR).toBe("3");
  });
});
