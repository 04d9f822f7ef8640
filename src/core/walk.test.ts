import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkGraph, GraphCycleError, walkGraph, type WalkNode } from "./walk.js";

const node = (id: string, dependsOn: string[] = [], lane = "a"): WalkNode<null> => ({ id, dependsOn, lane, payload: null });
const tick = () => new Promise((r) => setImmediate(r));

describe("walkGraph", () => {
  it("runs dependencies before dependents", async () => {
    const order: string[] = [];
    const nodes = [node("plan", ["vault"]), node("vault", ["key"]), node("key"), node("other")];
    const out = await walkGraph(nodes, async (n) => { await tick(); order.push(n.id); }, { parallelism: 10, perLane: 10 });
    expect(order.indexOf("key")).toBeLessThan(order.indexOf("vault"));
    expect(order.indexOf("vault")).toBeLessThan(order.indexOf("plan"));
    expect([...out.values()].every((o) => o.status === "done")).toBe(true);
  });

  it("skips what depends on a failure and lets independent branches finish", async () => {
    const nodes = [node("key"), node("vault", ["key"]), node("policy", ["vault"]), node("other-key", [], "b"), node("other-vault", ["other-key"], "b")];
    const out = await walkGraph(nodes, async (n) => { if (n.id === "vault") throw new Error("boom"); }, { parallelism: 4, perLane: 4 });
    expect(out.get("vault")).toMatchObject({ status: "failed" });
    expect(out.get("policy")).toEqual({ status: "skipped", because: "vault failed" });
    expect(out.get("other-vault")).toEqual({ status: "done" });
  });

  it("never exceeds the global and per-lane bounds", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }),
        async (spec, parallelism, perLane) => {
          const nodes = spec.map(([lane], i) => node(`n${i}`, i > 0 && spec[i]![1] < i ? [`n${spec[i]![1]}`] : [], `lane${lane}`));
          let running = 0;
          let peak = 0;
          const lanes = new Map<string, number>();
          const out = await walkGraph(nodes, async (n) => {
            running++;
            lanes.set(n.lane, (lanes.get(n.lane) ?? 0) + 1);
            peak = Math.max(peak, running);
            expect(lanes.get(n.lane)).toBeLessThanOrEqual(perLane);
            await tick();
            lanes.set(n.lane, lanes.get(n.lane)! - 1);
            running--;
          }, { parallelism, perLane });
          expect(peak).toBeLessThanOrEqual(parallelism);
          expect(out.size).toBe(nodes.length);
        }),
      { numRuns: 60 },
    );
  });

  it("stops starting nodes once aborted", async () => {
    const ctl = new AbortController();
    const nodes = [node("a"), node("b", ["a"]), node("c", ["b"])];
    const out = await walkGraph(nodes, async (n) => { if (n.id === "a") ctl.abort(); }, { parallelism: 1, perLane: 1, signal: ctl.signal });
    expect(out.get("a")).toEqual({ status: "done" });
    expect(out.get("b")).toEqual({ status: "skipped", because: "interrupted" });
    expect(out.get("c")).toEqual({ status: "skipped", because: "interrupted" });
  });

  it("rejects cycles and dangling dependencies", () => {
    expect(() => checkGraph([node("a", ["b"]), node("b", ["a"])])).toThrow(GraphCycleError);
    expect(() => checkGraph([node("a", ["zzz"])])).toThrow(/not in the graph/);
  });
});
