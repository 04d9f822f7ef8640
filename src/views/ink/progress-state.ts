// What the live view knows while the engine works, folded from its events (a pure reducer, so the view and
// its tests agree on every step): lines that are final (finished, failed and skipped resources, warnings,
// read failures) to print once, the changes in flight with when they started and what they wait for, and
// the refresh's counts. A small store hands each new state to the Ink view.
import type { EngineEvent } from "../../core/events.js";

export interface InFlight {
  address: string;
  action: string;
  startedAt: number;
  /** A propagation delay being waited out: since when (`at`) and how long it had been waited then. */
  wait?: { reason: string; waitedMs: number; at: number };
}

export type Printed =
  | { kind: "done"; address: string; action: string; durationMs: number }
  | { kind: "failed"; address: string; action: string; message: string }
  | { kind: "skipped"; address: string; because: string }
  | { kind: "warning"; message: string }
  | { kind: "read-failed"; accountId: string; region: string; message: string }
  | { kind: "read-summary"; lanes: number; objects: number }
  | { kind: "notice"; text: string };

export interface RefreshProgress {
  accounts: number;
  regions: number;
  lanesRead: number;
  objects: number;
}

export interface Progress {
  /** Final lines, in order; `id` is stable for React keys. */
  printed: Array<Printed & { id: number }>;
  inFlight: InFlight[];
  refresh?: RefreshProgress;
  /** How many changes the apply will run (known from the plan), for "3 of 9". */
  total?: number;
  counts: { done: number; failed: number; skipped: number };
  /** The live region is gone: nothing in flight is drawn any more. */
  closed: boolean;
}

export const EMPTY_PROGRESS: Progress = { printed: [], inFlight: [], counts: { done: 0, failed: 0, skipped: 0 }, closed: false };

function print(p: Progress, item: Printed): Progress["printed"] {
  return [...p.printed, { ...item, id: p.printed.length }];
}

const without = (list: InFlight[], address: string): InFlight[] => list.filter((f) => f.address !== address);

export function advance(p: Progress, e: EngineEvent, now: number): Progress {
  switch (e.type) {
    case "refresh-start":
      return { ...p, refresh: { accounts: e.accounts, regions: e.regions, lanesRead: 0, objects: 0 } };
    case "read-done":
      return p.refresh ? { ...p, refresh: { ...p.refresh, lanesRead: p.refresh.lanesRead + 1, objects: p.refresh.objects + e.resources } } : p;
    case "read-failed":
      return { ...p, printed: print(p, { kind: "read-failed", accountId: e.accountId, region: e.region, message: e.message }) };
    case "apply-start":
      return { ...p, refresh: undefined, inFlight: [...without(p.inFlight, e.address), { address: e.address, action: e.action, startedAt: now }] };
    case "apply-wait":
      return { ...p, inFlight: p.inFlight.map((f) => (f.address === e.address ? { ...f, wait: { reason: e.reason, waitedMs: e.waitedMs, at: now } } : f)) };
    case "apply-done":
      return {
        ...p,
        inFlight: without(p.inFlight, e.address),
        printed: print(p, { kind: "done", address: e.address, action: e.action, durationMs: e.durationMs }),
        counts: { ...p.counts, done: p.counts.done + 1 },
      };
    case "apply-failed":
      return {
        ...p,
        inFlight: without(p.inFlight, e.address),
        printed: print(p, { kind: "failed", address: e.address, action: e.action, message: e.message }),
        counts: { ...p.counts, failed: p.counts.failed + 1 },
      };
    case "apply-skipped":
      return { ...p, printed: print(p, { kind: "skipped", address: e.address, because: e.because }), counts: { ...p.counts, skipped: p.counts.skipped + 1 } };
    case "apply-summary":
      return { ...p, inFlight: [] };
    case "warning":
      return { ...p, printed: print(p, { kind: "warning", message: e.message }) };
  }
}

/** A line of the command's own (an interrupt, say) printed above the live region. */
export function withNotice(p: Progress, text: string): Progress {
  return { ...p, printed: print(p, { kind: "notice", text }) };
}

/** The live region ends: a refresh still on screen leaves its totals as a final line. */
export function closed(p: Progress): Progress {
  const printed = p.refresh ? print(p, { kind: "read-summary", lanes: p.refresh.lanesRead, objects: p.refresh.objects }) : p.printed;
  return { ...p, printed, refresh: undefined, inFlight: [], closed: true };
}

/** Holds the current Progress for the Ink view (useSyncExternalStore) and folds events into it. */
export class ProgressStore {
  private state: Progress;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly clock: () => number = Date.now, initial: Progress = EMPTY_PROGRESS) {
    this.state = initial;
  }

  readonly getSnapshot = (): Progress => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  dispatch(event: EngineEvent): void {
    this.update(advance(this.state, event, this.clock()));
  }

  update(next: Progress): void {
    this.state = next;
    for (const l of this.listeners) l();
  }
}
