// The stack lock: one apply or destroy of a stack at a time on this machine. The lock is a file created
// exclusively (O_EXCL) in the user's state directory, holding who took it and when; a lock whose process is
// gone is stale and taken over, so a kill -9 never blocks the next run.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { hostname, homedir, userInfo } from "node:os";
import path from "node:path";
import { fileErrorReason, UserError } from "../cli/errors.js";

export interface LockHolder {
  pid: number;
  host: string;
  user: string;
  command: string;
  since: string;
}

export function lockDirectory(env: Record<string, string | undefined> = process.env): string {
  if (env.CROSSVAULT_LOCK_DIR) return env.CROSSVAULT_LOCK_DIR;
  const state = env.XDG_STATE_HOME || path.join(homedir(), ".local", "state");
  return path.join(state, "crossvault", "locks");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface StackLock {
  readonly file: string;
  release(): void;
}

/** The lock is held by a live process on this machine: the error names it. */
export class StackLocked extends UserError {
  constructor(message: string, hint: string, readonly holder: LockHolder) {
    super(message, hint);
  }
}

/** Takes the lock or throws StackLocked naming the holder. Released on release(), exit, SIGINT and SIGTERM. */
export function acquireStackLock(stack: string, command: string, dir = lockDirectory()): StackLock {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw lockDirectoryError(dir, e);
  }
  const file = lockFile(dir, stack);
  const holder: LockHolder = { pid: process.pid, host: hostname(), user: safeUser(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return registerRelease(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw lockDirectoryError(dir, err);
      const current = readHolder(file);
      if (current && current.host === holder.host && alive(current.pid)) {
        throw new StackLocked(
          `stack "${stack}" is locked: ${current.command} by ${current.user} (pid ${current.pid} on ${current.host}) since ${current.since}`,
          `Wait for it to finish (--lock-timeout 10m waits up to 10 minutes for it). If that process is gone, remove ${file}.`,
          current,
        );
      }
      // Stale (holder dead, or the file unreadable because its writer was killed mid-write): take it over.
      rmSync(file, { force: true });
    }
  }
  throw new UserError(`could not take the lock ${file}`, "Another crossvault is starting at the same moment; try again.");
}

export interface LockWait {
  /** How long to keep trying while a live process holds the lock; 0 refuses at once (Terraform's -lock-timeout). */
  timeoutMs: number;
  /** Told once, when the lock is found held and the wait begins. */
  onWait?: (holder: LockHolder) => void;
  pollMs?: number;
}

/**
 * acquireStackLock, tried again while a live process holds the lock, until `timeoutMs` has passed. Polling, not
 * watching the file: the holder may also vanish without removing it (kill -9), which only a new try notices.
 */
export async function waitForStackLock(stack: string, command: string, wait: LockWait, dir = lockDirectory()): Promise<StackLock> {
  const deadline = Date.now() + wait.timeoutMs;
  let waiting = false;
  for (;;) {
    try {
      return acquireStackLock(stack, command, dir);
    } catch (e) {
      if (!(e instanceof StackLocked) || wait.timeoutMs <= 0) throw e;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new StackLocked(`${e.message}; still locked after waiting ${seconds(wait.timeoutMs)}`, `Wait for it to finish, or wait longer with --lock-timeout. If that process is gone, remove ${lockFile(dir, stack)}.`, e.holder);
      }
      if (!waiting) wait.onWait?.(e.holder);
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait.pollMs ?? 250, left)));
    }
  }
}

function lockFile(dir: string, stack: string): string {
  return path.join(dir, `${stack}.lock`);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The lock directory cannot be made or written (a read-only home in CI, a file where the directory should be). */
function lockDirectoryError(dir: string, e: unknown): UserError {
  return new UserError(`cannot take the stack lock in ${dir}: ${fileErrorReason(e)}`, "Point CROSSVAULT_LOCK_DIR (or XDG_STATE_HOME) at a directory you may write to.");
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function registerRelease(file: string): StackLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    const h = readHolder(file);
    if (h && h.pid === process.pid) rmSync(file, { force: true });
    process.off("exit", release);
  };
  process.on("exit", release);
  return { file, release };
}
