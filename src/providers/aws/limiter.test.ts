import { describe, expect, it } from "vitest";
import { FifoQueue, KeyedMutex, RequestLimiter, Semaphore } from "./limiter.js";

/** A task that stays in flight until released, recording how many ran at once. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { done, release };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("FifoQueue", () => {
  it("gives items back in the order they came, across its compactions", () => {
    const q = new FifoQueue<number>();
    const out: number[] = [];
    let next = 0;
    // Uneven bursts of pushes and shifts, long enough to compact the consumed front several times.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100 + (round % 7) * 60; i++) q.push(next++);
      for (let i = 0; i < 90 + (round % 5) * 70 && q.length > 0; i++) out.push(q.shift()!);
    }
    while (q.length > 0) out.push(q.shift()!);
    expect(q.shift()).toBeUndefined();
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});

describe("Semaphore", () => {
  it("never lets more than its size run and serves everyone", async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 5 }, gate);
    const runs = gates.map((g, i) =>
      sem.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await g.done;
        running--;
        return i;
      }),
    );
    await settle();
    expect(running).toBe(2);
    for (const g of gates) {
      g.release();
      await settle();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it("frees the slot when the task throws", async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(async () => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect(await sem.run(async () => "after")).toBe("after");
  });
});

describe("RequestLimiter", () => {
  it("bounds each lane and the total", async () => {
    const limiter = new RequestLimiter({ perLane: 2, global: 3 });
    const running = new Map<string, number>();
    let total = 0;
    let peakTotal = 0;
    const peakLane = new Map<string, number>();
    const gates: Array<ReturnType<typeof gate>> = [];
    const runs: Array<Promise<void>> = [];
    for (const lane of ["a", "a", "a", "b", "b", "c"]) {
      const g = gate();
      gates.push(g);
      runs.push(limiter.run(lane, async () => {
        running.set(lane, (running.get(lane) ?? 0) + 1);
        total++;
        peakTotal = Math.max(peakTotal, total);
        peakLane.set(lane, Math.max(peakLane.get(lane) ?? 0, running.get(lane)!));
        await g.done;
        running.set(lane, running.get(lane)! - 1);
        total--;
      }));
    }
    await settle();
    expect(total).toBe(3);
    for (const g of gates) {
      g.release();
      await settle();
    }
    await Promise.all(runs);
    expect(peakTotal).toBe(3);
    expect(Math.max(...peakLane.values())).toBe(2);
  });
});

describe("KeyedMutex", () => {
  it("runs work on one key one at a time, in order, and other keys alongside", async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const first = gate();
    const a1 = mutex.run("k", async () => { log.push("a1 start"); await first.done; log.push("a1 end"); });
    const a2 = mutex.run("k", async () => { log.push("a2"); });
    const b = mutex.run("other", async () => { log.push("b"); });
    await settle();
    expect(log).toEqual(["a1 start", "b"]);
    first.release();
    await Promise.all([a1, a2, b]);
    expect(log).toEqual(["a1 start", "b", "a1 end", "a2"]);
  });

  it("keeps going after a failure", async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run("k", async () => { throw new Error("x"); })).rejects.toThrow("x");
    expect(await mutex.run("k", async () => 1)).toBe(1);
  });
});

describe("RequestLimiter urgent lanes", () => {
  it("gives the next free global slot to an urgent lane's call before calls that queued earlier", async () => {
    const limiter = new RequestLimiter({ perLane: 4, global: 1 }, new Set(["org"]));
    const order: string[] = [];
    const first = gate();
    const runs = [limiter.run("a", async () => { order.push("a1"); await first.done; })];
    runs.push(limiter.run("a", async () => void order.push("a2")), limiter.run("b", async () => void order.push("b1")));
    runs.push(limiter.run("org", async () => void order.push("org1")), limiter.run("org", async () => void order.push("org2")));
    await settle();
    first.release();
    await Promise.all(runs);
    expect(order).toEqual(["a1", "org1", "org2", "a2", "b1"]);
  });
});
