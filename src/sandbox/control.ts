// The control API under /_sandbox/ (a path no AWS service uses): reset, stats, clock, due plans, a world
// dump and a health check. It needs no SigV4 but answers loopback clients only.
import type { SandboxRuntime } from "./runtime.js";
import { ServiceError } from "./service.js";

export const CONTROL_PREFIX = "/_sandbox/";

export interface ControlResponse {
  status: number;
  body: unknown;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

function parseBody(body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function error(status: number, code: string, message: string): ControlResponse {
  return { status, body: { error: code, message } };
}

export async function handleControl(rt: SandboxRuntime, method: string, path: string, body: Buffer, remoteAddress: string | undefined): Promise<ControlResponse> {
  if (!isLoopback(remoteAddress)) return error(403, "Forbidden", "The sandbox control API answers loopback clients only.");
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  const input = parseBody(body);
  if (input === undefined) return error(400, "BadRequest", "The request body must be a JSON object (or empty).");
  switch (route) {
    case "GET /_sandbox/health":
      return { status: 200, body: { ok: true, now: new Date(rt.now()).toISOString() } };
    case "GET /_sandbox/stats":
      return { status: 200, body: rt.stats.snapshot() };
    case "POST /_sandbox/stats/reset":
    case "DELETE /_sandbox/stats":
      rt.stats.reset();
      return { status: 200, body: rt.stats.snapshot() };
    case "POST /_sandbox/reset":
      await (await rt.exclusive(() => {
        rt.reset();
        return { durable: rt.persist() };
      })).durable;
      return { status: 200, body: { reset: true, now: new Date(rt.now()).toISOString() } };
    case "GET /_sandbox/clock":
      return { status: 200, body: { now: new Date(rt.now()).toISOString(), offsetMs: rt.world.clockOffsetMs } };
    case "POST /_sandbox/clock/advance": {
      const ms = input.ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return error(400, "BadRequest", 'Send {"ms": N} with N a number of milliseconds >= 0.');
      await (await rt.exclusive(() => {
        rt.advanceClock(ms);
        return { durable: rt.persist() };
      })).durable;
      return { status: 200, body: { now: new Date(rt.now()).toISOString(), offsetMs: rt.world.clockOffsetMs } };
    }
    case "POST /_sandbox/run-due-plans": {
      let out: { r: ReturnType<SandboxRuntime["runDuePlans"]>; durable: Promise<void> };
      try {
        out = await rt.exclusive(() => {
          const r = rt.runDuePlans();
          return { r, durable: rt.persist() };
        });
      } catch (err) {
        if (err instanceof ServiceError) return error(err.httpStatus, err.code, err.message);
        throw err;
      }
      await out.durable;
      if (!out.r.available) return error(501, "NotAvailable", "This build of the sandbox has no backup plan scheduler yet.");
      return { status: 200, body: { result: out.r.result ?? null, now: new Date(rt.now()).toISOString() } };
    }
    case "GET /_sandbox/world":
      return { status: 200, body: await rt.exclusive(() => structuredClone(rt.world)) };
    default:
      return error(404, "NotFound", `No control operation ${route}. Available: GET health, GET stats, POST stats/reset, POST reset, GET clock, POST clock/advance, POST run-due-plans, GET world.`);
  }
}
