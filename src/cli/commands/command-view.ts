// The view plan, apply and destroy talk through, picked once per command: the Ink terminal view for a person
// at a terminal, the plain views for files, pipes and CI logs (and whenever the output is data: --json).
// Ink and React are loaded only when the terminal view is picked, after colour is settled (chalk reads it
// when first imported), so `--help` and non-terminal runs never load them.
import type { Host } from "../../core/events.js";
import type { Plan } from "../../core/plan-types.js";
import { renderPlanText } from "../../views/plain.js";
import { PlainProgress } from "../../views/progress-plain.js";
import { applyColorChoice, colorWanted, isInteractiveTerminal, type TerminalFacts } from "../terminal.js";
import { stderr, stdout, useColor } from "./engine-options.js";

export interface CommandView {
  /** Receives the engine's events and answers its questions. */
  readonly host: Host;
  /** True for the Ink view (a person at a terminal). */
  readonly terminal: boolean;
  /** Runs an engine step whose events the view shows live; the live region ends with it (also on error). */
  progress<T>(step: () => Promise<T>): Promise<T>;
  /** Prints the plan on stdout. */
  showPlan(plan: Plan): Promise<void>;
  /** An apply of `plan` is about to start. */
  startApply(plan: Plan): void;
  /** A line of the command's own on stderr (an interrupt), kept clear of any live region. */
  say(text: string): void;
}

export interface ViewChoice {
  /** --no-color (commander's `color: false`). */
  color?: boolean | undefined;
  /** The output is data (--json, --markdown): progress stays plain, on stderr. */
  data?: boolean;
  /** Answers to questions from a stream other than the terminal (tests): the plain view reads it. */
  input?: NodeJS.ReadableStream | undefined;
  terminal?: TerminalFacts;
}

export async function chooseView(choice: ViewChoice): Promise<CommandView> {
  if (choice.data !== true && !choice.input && isInteractiveTerminal(choice.terminal)) {
    applyColorChoice(choice.color);
    const { TerminalHost } = await import("../../views/ink/terminal-host.js");
    return terminalView(new TerminalHost(undefined, colorWanted(choice.color)));
  }
  return plainView(choice);
}

function plainView(choice: ViewChoice): CommandView {
  const host = new PlainProgress({ write: stderr, ...(choice.input ? { input: choice.input } : {}) });
  return {
    host,
    terminal: false,
    progress: (step) => step(),
    showPlan: async (plan) => stdout(`\n${renderPlanText(plan, { color: useColor({ color: choice.color }) })}`),
    startApply: () => stderr("\n"),
    say: stderr,
  };
}

type TerminalHost = import("../../views/ink/terminal-host.js").TerminalHost;

function terminalView(host: TerminalHost): CommandView {
  return {
    host,
    terminal: true,
    progress: async (step) => {
      try {
        return await step();
      } finally {
        await host.settle();
      }
    },
    showPlan: (plan) => host.showPlan(plan),
    startApply: (plan) => host.expectChanges(plan),
    say: (text) => host.say(text),
  };
}
