// Whether this run talks to a person at a terminal (the Ink view) or to a file, a pipe or a CI log (the plain
// views, which never write a cursor code), and whether it may use colour. Decided here, once, from the
// streams and the environment, so every command picks its view the same way.

export type Env = Record<string, string | undefined>;

export interface TerminalFacts {
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  env: Env;
}

export function currentTerminal(): TerminalFacts {
  return { stdoutIsTTY: process.stdout.isTTY === true, stdinIsTTY: process.stdin.isTTY === true, env: process.env };
}

/** Set and not "0"/"false": the same reading Ink itself makes of CI, so the two never disagree. */
function flagSet(env: Env, key: string): boolean {
  const v = env[key];
  return v !== undefined && v !== "0" && v !== "false";
}

/**
 * The Ink view needs a person: stdout and stdin both terminals, not a CI job (CI, CONTINUOUS_INTEGRATION) and a
 * terminal that can move its cursor (TERM is not "dumb").
 */
export function isInteractiveTerminal(facts: TerminalFacts = currentTerminal()): boolean {
  if (!facts.stdoutIsTTY || !facts.stdinIsTTY) return false;
  if (flagSet(facts.env, "CI") || flagSet(facts.env, "CONTINUOUS_INTEGRATION")) return false;
  return facts.env.TERM !== "dumb";
}

/** NO_COLOR (any non-empty value, per no-color.org) or --no-color (commander's `color: false`) turn colour off. */
export function colorWanted(flag: boolean | undefined, env: Env = process.env): boolean {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return flag !== false && !noColor;
}

/**
 * chalk (under Ink) reads FORCE_COLOR once, when it is first imported, and does not know NO_COLOR: so colour
 * that is off must be written into FORCE_COLOR before the terminal view is loaded.
 */
export function applyColorChoice(flag: boolean | undefined, env: Env = process.env): void {
  if (!colorWanted(flag, env)) env.FORCE_COLOR = "0";
}
