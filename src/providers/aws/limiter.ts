// Bounds on concurrent AWS calls: per lane (an account-region, since AWS rate limits are per account) and
// globally, so a large organization is read all at once without one account tripping its own throttling.
// Also the per-key mutex that serialises read-modify-write cycles on one policy document.

/**
 * First in, first out, O(1) at both ends. A large organization queues ~15,000 calls at the global semaphore, and
 * Array.prototype.shift moves the whole array once it is that long: draining 15,000 waiters took 120 ms of CPU
 * that way (a quarter of a second at 60,000), a few milliseconds this way.
 */
export class FifoQueue<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Drop the consumed front once it is most of the array, so memory follows what is still waiting.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** A counting semaphore: at most `size` holders at once, waiters served in arrival order (urgent ones first). */
export class Semaphore {
  private active = 0;
  private readonly waiting = new FifoQueue<() => void>();
  private readonly urgent = new FifoQueue<() => void>();

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a semaphore needs a size of at least 1, got ${size}`);
  }

  /** `urgent`: served before every waiter that is not (in arrival order among the urgent ones). */
  async run<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => (urgent ? this.urgent : this.waiting).push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same) or free it.
      const next = this.urgent.shift() ?? this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export interface LimiterOptions {
  /** Most calls in flight for one lane (account-region). */
  perLane: number;
  /** Most calls in flight in total. */
  global: number;
}

/**
 * 4 per account-region keeps one account under its own API rates; 128 in total keeps a large organization's
 * read CPU-bound rather than latency-bound (at 50 ms a call, 128 in flight allow ~2,500 calls a second, more
 * than one core of SDK work does): measured in docs/performance.md.
 */
export const DEFAULT_LIMITS: LimiterOptions = { perLane: 4, global: 128 };

export class RequestLimiter {
  private readonly lanes = new Map<string, Semaphore>();
  private readonly all: Semaphore;

  /**
   * `urgentLanes`: lanes whose calls take the next free global slot before every other lane's waiting calls.
   * The organization's lane is one: its calls follow one another (the walk's pages) and it is the busiest
   * lane of a large organization, so queueing it behind thousands of account reads would make the whole read
   * wait for it at the end.
   */
  constructor(readonly options: LimiterOptions = DEFAULT_LIMITS, private readonly urgentLanes: ReadonlySet<string> = new Set()) {
    this.all = new Semaphore(options.global);
  }

  /** Runs `fn` holding a slot of its lane and a global slot. The lane slot is taken first, so a call waiting
   *  behind its own busy account never holds a global slot that another account could use. */
  run<T>(lane: string, fn: () => Promise<T>): Promise<T> {
    let sem = this.lanes.get(lane);
    if (!sem) {
      sem = new Semaphore(this.options.perLane);
      this.lanes.set(lane, sem);
    }
    const urgent = this.urgentLanes.has(lane);
    return sem.run(() => this.all.run(fn, urgent));
  }
}

/** Serialises async work per key: policy writes to one document (shares of one key run in parallel). */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
