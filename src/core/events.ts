// What the engine tells a view while it works (a discriminated union), and the one host interface through
// which it asks questions. The engine never prints and never imports a UI: a view subscribes to these.

export type EngineEvent =
  | { type: "refresh-start"; accounts: number; regions: number }
  | { type: "read-done"; accountId: string; region: string; resources: number }
  | { type: "read-failed"; accountId: string; region: string; message: string }
  | { type: "apply-start"; address: string; action: string }
  /** A known propagation delay is being waited out ("waiting for key policy propagation"). */
  | { type: "apply-wait"; address: string; reason: string; waitedMs: number; nextInMs: number }
  | { type: "apply-done"; address: string; action: string; durationMs: number }
  | { type: "apply-failed"; address: string; action: string; message: string }
  | { type: "apply-skipped"; address: string; because: string }
  | { type: "apply-summary"; applied: number; failed: number; skipped: number }
  | { type: "warning"; message: string };

export interface Question {
  /** Stable code, e.g. "approve-apply". */
  code: string;
  text: string;
  /** What a non-interactive host answers. */
  defaultResponse: boolean;
}

export interface Host {
  notify(event: EngineEvent): void;
  ask(question: Question): Promise<boolean>;
}

/** A host for tests and non-interactive runs: records events, answers every question with its default. */
export class RecordingHost implements Host {
  readonly events: EngineEvent[] = [];
  notify(event: EngineEvent): void {
    this.events.push(event);
  }
  async ask(question: Question): Promise<boolean> {
    return question.defaultResponse;
  }
}
