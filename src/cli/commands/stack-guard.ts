// What apply and destroy hold while they may write: the stack lock and the interrupt handling that releases
// it. Taken as soon as the configuration names the stack (before anything is read), released once, however
// the command ends; one place for both ways of applying (a directory, a saved plan).
import { waitForStackLock, type StackLock } from "../../core/lock.js";
import { handleInterrupts, type Interrupts } from "./engine-options.js";

export class StackGuard {
  private lock: StackLock | undefined;
  private handling: Interrupts | undefined;

  /** `say` prints interrupt notices (through the command's view). */
  constructor(private readonly say: (text: string) => void) {}

  /**
   * Takes the stack's lock (a UserError names its holder), waiting up to `lockTimeoutMs` while another process
   * holds it, and starts handling interrupts. Nothing was read yet, so what follows reads what that process left.
   */
  async take(stack: string, command: string, lockTimeoutMs = 0): Promise<void> {
    this.lock = await waitForStackLock(stack, command, {
      timeoutMs: lockTimeoutMs,
      onWait: (h) => this.say(`Waiting for the lock of stack "${stack}": ${h.command} by ${h.user} (pid ${h.pid}) holds it since ${h.since}.\n`),
    });
    this.handling = handleInterrupts(this.lock, this.say);
  }

  /** The interrupt handling; only after take(). */
  interrupts(): Interrupts {
    if (!this.handling) throw new Error("the stack lock was not taken");
    return this.handling;
  }

  /** Runs the step that takes the lock; when it fails, the lock is released before the error goes on. */
  async taking<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      this.release();
      throw e;
    }
  }

  release(): void {
    this.handling?.dispose();
    this.lock?.release();
    this.handling = undefined;
    this.lock = undefined;
  }
}
