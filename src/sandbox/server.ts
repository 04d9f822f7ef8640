// The sandbox's HTTP server: reads bodies (bounded), sends /_sandbox/ to the control API and everything else
// through the AWS request pipeline, and runs the job clock. `startSandbox` is the programmatic API used by
// the CLI, the tests, the demo and the benchmarks.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CONTROL_PREFIX, handleControl } from "./control.js";
import { handleAwsRequest } from "./dispatch.js";
import type { FaultOptions } from "./faults.js";
import { createWorld, DEFAULT_FIXTURE, loadFixtureFile, validateFixture } from "./fixture.js";
import type { OrgFixture } from "./fixture.js";
import { serviceOf } from "./identity.js";
import { codecs, wireError } from "./protocol/index.js";
import type { WireRequest, WireResponse } from "./protocol/index.js";
import { SandboxRuntime } from "./runtime.js";
import type { ServiceOverrides } from "./runtime.js";
import type { SandboxSettings } from "./service.js";
import type { StatsSnapshot } from "./stats.js";
import { StateFile } from "./store.js";
import type { World } from "./world.js";

export interface SandboxOptions extends FaultOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** The organization: a fixture object or the path of a fixture JSON file (default: the built-in one). */
  org?: OrgFixture | string;
  /** Persist the world here (atomic writes); without it the world lives in memory only. */
  statePath?: string;
  /** Eventual consistency delay for copy jobs [X2] (default 0). */
  consistencyDelayMs?: number;
  /** Sandbox ms a job spends before it ends (default 2000). */
  jobDurationMs?: number;
  /** Job clock period in wall-clock ms (default 250). */
  tickMs?: number;
  /** Largest request body accepted (default 2 MiB). */
  maxBodyBytes?: number;
  /** Where internal errors are reported (default stderr). */
  log?: (line: string) => void;
  /** Extra or replacement operations (for tests of the protocol layer). */
  services?: ServiceOverrides;
}

export interface SandboxHandle {
  url: string;
  port: number;
  host: string;
  stop(): Promise<void>;
  world(): World;
  /** Programmatic equivalents of the control API. */
  reset(): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  stats(): StatsSnapshot;
  resetStats(): void;
}

const DEFAULT_MAX_BODY = 2 * 1024 * 1024;
/** Past this, an oversized body is no longer drained but the connection is cut. */
const DRAIN_LIMIT_FACTOR = 8;

function send(res: ServerResponse, r: WireResponse): void {
  if (res.headersSent) return;
  res.writeHead(r.status, { ...r.headers, "Content-Length": Buffer.byteLength(r.body) });
  res.end(r.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "tooLarge" | "aborted" };

/** Reads the body up to `limit` bytes; beyond it the rest is discarded (never buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ ok: false, reason: "tooLarge" });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        if (size > limit * DRAIN_LIMIT_FACTOR) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(over ? { ok: false, reason: "tooLarge" } : { ok: true, body: Buffer.concat(chunks) }));
    req.on("error", () => resolve({ ok: false, reason: over ? "tooLarge" : "aborted" }));
    req.on("close", () => resolve(over ? { ok: false, reason: "tooLarge" } : { ok: false, reason: "aborted" }));
  });
}

function resolveFixture(org: OrgFixture | string | undefined): OrgFixture {
  if (org === undefined) return DEFAULT_FIXTURE;
  if (typeof org === "string") return loadFixtureFile(org);
  return validateFixture(org);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? "127.0.0.1";
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const log = options.log ?? ((line: string) => process.stderr.write(`crossvault sandbox: ${line}\n`));
  const fixture = resolveFixture(options.org);
  const store = options.statePath ? new StateFile(options.statePath) : undefined;
  const loaded = store?.load();
  const world = loaded ?? createWorld(fixture, Date.now());
  const settings: SandboxSettings = { consistencyDelayMs: Math.max(0, options.consistencyDelayMs ?? 0), jobDurationMs: Math.max(0, options.jobDurationMs ?? 2000) };
  const rt = new SandboxRuntime(fixture, world, settings, options, store, log, options.services);
  if (store && !loaded) await rt.persist();

  const server = createServer((req, res) => {
    void serve(req, res).catch((err: unknown) => {
      log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      sendJson(res, 500, { error: "InternalFailure", message: "internal error" });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q >= 0 ? url.slice(0, q) : url;
    const query = q >= 0 ? url.slice(q + 1) : "";
    const read = await readBody(req, maxBody);
    if (!read.ok && read.reason === "aborted") return;
    if (path.startsWith(CONTROL_PREFIX) || path === CONTROL_PREFIX.slice(0, -1)) {
      if (!read.ok) return sendJson(res, 413, { error: "RequestEntityTooLarge", message: `Bodies are limited to ${maxBody} bytes.` });
      const r = await handleControl(rt, req.method ?? "GET", path, read.body, req.socket.remoteAddress);
      return sendJson(res, r.status, r.body);
    }
    const wire: WireRequest = { method: req.method ?? "GET", path, query, headers: req.headers, body: read.ok ? read.body : Buffer.alloc(0) };
    if (!read.ok) {
      const service = serviceOf(wire, undefined) ?? "backup";
      rt.stats.record(service, undefined, undefined, "RequestEntityTooLarge");
      res.setHeader("Connection", "close");
      res.on("finish", () => req.destroy());
      return send(res, codecs[service].encodeError(wireError(service, "bodyTooLarge", `Request bodies are limited to ${maxBody} bytes.`), randomUUID()));
    }
    send(res, await handleAwsRequest(rt, wire));
  }

  server.on("clientError", (_err, socket) => {
    // Unparseable HTTP never reaches a handler; answer it in JSON rather than dropping the connection.
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ __type: "SerializationException", message: "The request is not valid HTTP/1.1." });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void rt
      .exclusive(() => {
        rt.tick();
        return { durable: rt.persist() };
      })
      .then((r) => r.durable)
      .catch((err: unknown) => log(`tick: ${(err as Error).message}`))
      .finally(() => (ticking = false));
  }, options.tickMs ?? 250);
  timer.unref();

  let stopped: Promise<void> | undefined;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    world: () => rt.world,
    stats: () => rt.stats.snapshot(),
    resetStats: () => rt.stats.reset(),
    async reset() {
      await (await rt.exclusive(() => {
        rt.reset();
        return { durable: rt.persist() };
      })).durable;
    },
    async advanceClock(ms: number) {
      await (await rt.exclusive(() => {
        rt.advanceClock(ms);
        return { durable: rt.persist() };
      })).durable;
    },
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        // Let queued world work finish, then make the last state durable.
        await (await rt.exclusive(() => ({ durable: rt.persist() }))).durable;
        await store?.flush();
      })();
      return stopped;
    },
  };
}
