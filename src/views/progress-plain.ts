// Progress as plain lines, Terraform-like: what is being read and written goes to stderr as it happens, so
// stdout holds only results (the plan, the closing summary). Failures are repeated at the end of an apply,
// where they do not scroll away. Also the plain host's one question: approval, read from the terminal.
import { createInterface } from "node:readline";
import type { EngineEvent, Host, Question } from "../core/events.js";

export interface PlainProgressOptions {
  /** Where progress goes (stderr). */
  write: (text: string) => void;
  /** Print one line per account-region read (off for large organizations: the total is enough). */
  readLines?: boolean;
  input?: NodeJS.ReadableStream;
  /** Where the question is asked (stderr, so stdout stays results only). */
  prompt?: (text: string) => void;
}

/** Per action: the verb while it runs, and the words when it is done (shared with the terminal view). */
export const VERB: Record<string, [string, string]> = {
  create: ["Creating", "Creation complete"],
  update: ["Modifying", "Modifications complete"],
  replace: ["Replacing", "Replacement complete"],
  delete: ["Destroying", "Destruction complete"],
  adopt: ["Adopting", "Adoption complete"],
};

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))}ms` : `${Math.round(ms / 100) / 10}s`;
}

export class PlainProgress implements Host {
  /** Failures in the order they happened, for the closing report. */
  readonly failures: Array<{ address: string; message: string }> = [];
  readonly warnings: string[] = [];
  private lanesRead = 0;
  private objectsRead = 0;

  constructor(private readonly opts: PlainProgressOptions) {}

  notify(event: EngineEvent): void {
    const line = (text: string): void => this.opts.write(`${text}\n`);
    switch (event.type) {
      case "refresh-start":
        line(`Reading the live state of ${event.accounts} account${event.accounts === 1 ? "" : "s"} in ${event.regions} region${event.regions === 1 ? "" : "s"}...`);
        break;
      case "read-done":
        this.lanesRead++;
        this.objectsRead += event.resources;
        if (this.opts.readLines !== false) line(`  ${event.accountId}/${event.region}: read, ${event.resources} object${event.resources === 1 ? "" : "s"} found`);
        break;
      case "read-failed":
        line(`  ${event.accountId}/${event.region}: read failed: ${event.message}`);
        break;
      case "apply-start":
        line(`${event.address}: ${VERB[event.action]?.[0] ?? event.action}...`);
        break;
      case "apply-wait":
        line(`${event.address}: ${event.reason}; trying again in ${seconds(event.nextInMs)} (waited ${seconds(event.waitedMs)} so far)`);
        break;
      case "apply-done":
        line(`${event.address}: ${VERB[event.action]?.[1] ?? "Done"} after ${seconds(event.durationMs)}`);
        break;
      case "apply-failed":
        this.failures.push({ address: event.address, message: event.message });
        line(`${event.address}: failed: ${event.message}`);
        break;
      case "apply-skipped":
        line(`${event.address}: skipped (${event.because})`);
        break;
      case "apply-summary":
        break;
      case "warning":
        this.warnings.push(event.message);
        line(`Warning: ${event.message}`);
        break;
    }
  }

  /** Total of what the refresh read, for a closing line. */
  readTotals(): { lanes: number; objects: number } {
    return { lanes: this.lanesRead, objects: this.objectsRead };
  }

  /** Asks on the terminal; only the exact answer "yes" approves (as Terraform does). */
  async ask(question: Question): Promise<boolean> {
    const input = this.opts.input ?? process.stdin;
    const prompt = this.opts.prompt ?? this.opts.write;
    prompt(`\n${question.text}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
    const rl = createInterface({ input, terminal: false });
    try {
      const answer = await new Promise<string | undefined>((resolve) => {
        rl.once("line", (l) => resolve(l));
        rl.once("close", () => resolve(undefined));
      });
      prompt("\n");
      return answer?.trim() === "yes";
    } finally {
      rl.close();
    }
  }
}
