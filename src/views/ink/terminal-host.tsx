// The engine's Host on a terminal: it turns engine events into the live Ink view and answers the approval
// question with the interactive review. Each phase mounts its own short-lived Ink app (refresh and apply
// progress, the review) and unmounts it before the command writes anything itself, so plain writes and Ink's
// redrawing never interleave. The plan is printed once (PlanView's lines, painted as text) and stays in the
// scrollback above them.
import { render, type Instance } from "ink";
import type { EngineEvent, Host, Question } from "../../core/events.js";
import { hasChanges, type Plan } from "../../core/plan-types.js";
import { PlainProgress } from "../progress-plain.js";
import { renderPlanForTerminal } from "./PlanView.js";
import { closed, ProgressStore, withNotice } from "./progress-state.js";
import { ProgressView } from "./ProgressView.js";
import { Review } from "./Review.js";
import { SHOWN } from "./plan-sections.js";

export interface TerminalStreams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

const PROCESS_STREAMS: TerminalStreams = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

const INK_OPTIONS = { exitOnCtrlC: false, patchConsole: false } as const;

export class TerminalHost implements Host {
  private live: { instance: Instance; store: ProgressStore } | undefined;
  private plan: Plan | undefined;

  /** `color`: whether the printed plan is coloured (Ink's own colour follows FORCE_COLOR, set before it loaded). */
  constructor(
    private readonly streams: TerminalStreams = PROCESS_STREAMS,
    private readonly color = true,
  ) {}

  notify(event: EngineEvent): void {
    this.progress().dispatch(event);
    // The walk's end: the live region has nothing left to show, and the command prints the outcome next.
    if (event.type === "apply-summary") void this.settle();
  }

  /** Prints the plan (laid out for the terminal's width) and keeps it for the review. */
  async showPlan(plan: Plan): Promise<void> {
    await this.settle();
    this.plan = plan;
    this.streams.stdout.write(`\n${renderPlanForTerminal(plan, this.streams.stdout.columns || 80, this.color)}`);
  }

  /** Before an apply: how many changes it will run, for the live region's "3 of 9". */
  expectChanges(plan: Plan): void {
    if (!this.live) this.streams.stdout.write("\n");
    const store = this.progress();
    store.update({ ...store.getSnapshot(), total: plan.changes.filter((c) => SHOWN.includes(c.action)).length });
  }

  async ask(question: Question): Promise<boolean> {
    await this.settle();
    // Without raw mode keys cannot be read one by one: ask as the plain view does, on a line.
    if (this.streams.stdin.isTTY !== true || typeof this.streams.stdin.setRawMode !== "function") {
      return new PlainProgress({ write: (s) => void this.streams.stderr.write(s), input: this.streams.stdin }).ask(question);
    }
    const plan = this.plan && hasChanges(this.plan) ? this.plan : undefined;
    return new Promise<boolean>((resolve) => {
      let instance: Instance | undefined = undefined;
      const onAnswer = (approved: boolean): void => {
        // Let the final frame (the question and the answer) be drawn, then leave it in the scrollback.
        setImmediate(() => {
          instance?.unmount();
          void instance?.waitUntilExit().then(() => resolve(approved), () => resolve(approved));
        });
      };
      instance = render(<Review {...(plan ? { plan } : {})} question={question} onAnswer={onAnswer} />, {
        ...INK_OPTIONS,
        stdout: this.streams.stdout,
        stderr: this.streams.stderr,
        stdin: this.streams.stdin,
      });
    });
  }

  /** A line of the command's own (an interrupt notice), above the live region when there is one. */
  say(text: string): void {
    if (this.live) this.live.store.update(withNotice(this.live.store.getSnapshot(), text.replace(/^\n+|\n+$/g, "")));
    else this.streams.stderr.write(text);
  }

  /** Ends the live region (if any): its final lines stay, nothing in flight is drawn any more. */
  async settle(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    live.store.update(closed(live.store.getSnapshot()));
    // A store update renders on React's schedule; rerender commits it now, so the final frame has it.
    live.instance.rerender(<ProgressView store={live.store} />);
    live.instance.unmount();
    await live.instance.waitUntilExit().catch(() => undefined);
  }

  private progress(): ProgressStore {
    if (!this.live) {
      const store = new ProgressStore();
      // The live views read no keys: ctrl-c stays a signal, handled by the command (it releases the lock).
      const instance = render(<ProgressView store={store} />, { ...INK_OPTIONS, stdout: this.streams.stdout, stderr: this.streams.stderr, stdin: this.streams.stdin });
      this.live = { instance, store };
    }
    return this.live.store;
  }
}
