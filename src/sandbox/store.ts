// The --state file: loads the world at start and saves it atomically (temp file in the same directory,
// fsync, rename, fsync of the directory), so a crash at any instant leaves either the old or the new file,
// never a torn one. Saves are coalesced: while one write is in flight, later snapshots replace each other
// and the newest is written next; every caller is told when a write containing its change is durable.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { WORLD_FORMAT_VERSION } from "./world.js";
import type { World } from "./world.js";

export class StateFileError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = "StateFileError";
  }
}

export class StateFile {
  readonly path: string;
  private lastWritten: string | undefined;
  private pending: string | undefined;
  private pendingWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private writing = false;
  private serial = 0;

  constructor(path: string) {
    this.path = resolve(path);
  }

  /** The saved world, or undefined when the file does not exist yet. Leftover temp files are removed. */
  load(): World | undefined {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true });
    const prefix = `.${basename(this.path)}.`;
    for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith(".tmp")) unlinkSafe(join(dir, f));
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StateFileError(this.path, `cannot be read: ${(err as Error).message}`);
    }
    let world: unknown;
    try {
      world = JSON.parse(text);
    } catch (err) {
      throw new StateFileError(this.path, `is not valid JSON (${(err as Error).message}); delete it to start from the fixture again`);
    }
    const version = (world as { formatVersion?: unknown } | null)?.formatVersion;
    if (typeof world !== "object" || world === null || version !== WORLD_FORMAT_VERSION) {
      throw new StateFileError(this.path, `has state format version ${JSON.stringify(version)}, this crossvault reads version ${WORLD_FORMAT_VERSION}; delete it (or use another --state file) to start from the fixture`);
    }
    this.lastWritten = text;
    return world as World;
  }

  /** Schedules `text` to be written; resolves once it (or a newer snapshot) is durable on disk. */
  save(text: string): Promise<void> {
    if (!this.writing && text === this.lastWritten) return Promise.resolve();
    this.pending = text;
    const done = new Promise<void>((resolve, reject) => this.pendingWaiters.push({ resolve, reject }));
    if (!this.writing) void this.drain();
    return done;
  }

  /** Resolves when nothing is waiting to be written. */
  async flush(): Promise<void> {
    if (this.pending !== undefined || this.writing) await new Promise<void>((resolve, reject) => this.pendingWaiters.push({ resolve, reject }));
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending !== undefined) {
      const text = this.pending;
      const waiters = this.pendingWaiters;
      this.pending = undefined;
      this.pendingWaiters = [];
      try {
        if (text !== this.lastWritten) await this.writeAtomic(text);
        this.lastWritten = text;
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.writing = false;
    // flush() waiters registered while the last write ran, with nothing pending.
    const left = this.pendingWaiters;
    this.pendingWaiters = [];
    for (const w of left) w.resolve();
  }

  private async writeAtomic(text: string): Promise<void> {
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${++this.serial}.tmp`);
    const fh = await open(tmp, "w", 0o600);
    try {
      await fh.writeFile(text, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    syncDirectory(dirname(this.path));
  }
}

function unlinkSafe(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
}

/** Makes the rename itself durable; not every platform lets a directory be opened, which is harmless. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
