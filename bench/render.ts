// Benchmark: rendering a plan of 10,000 changes in each view (plain text, JSON, the Markdown comment, and the
// terminal view's text), and `crossvault show` of the same plan saved to a file, as a whole process.
// Target: each view renders in under 2 s and the process peaks under 300 MB.
//
// Render: each run is a child process of its own (a CLI renders once, cold): it builds the plan
// (views/plan-examples.ts generatedPlan: vaults created, destroyed and replaced, vault policies that broaden
// access, backup plans whose copy routes change, across 500 accounts), then renders it once, timing the render
// call alone (wall and the process's CPU) and reporting the process's peak resident memory (maxRSS), which
// includes the plan itself. Show: the real CLI (bin/crossvault.js, the built dist/) on the saved plan, wall time
// around the child and its peak memory from a preload module, as bench/validate.ts does.
// Run: `npx tsx bench/render.ts [changes] [runs]` (build first: `npm run build`). Writes
// bench/results/render.json and the "render" section of docs/performance.md (`--report` rewrites that section
// from the last results).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writePerformanceSection as replaceDocSection } from "./_performance-doc.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const self = fileURLToPath(import.meta.url);
const tsx = path.join(repo, "node_modules", ".bin", "tsx");
const cli = path.join(repo, "bin", "crossvault.js");

const VIEWS = ["plain", "json", "markdown", "terminal"] as const;
type View = (typeof VIEWS)[number];
const TARGET_MS = 2000;
const TARGET_MIB = 300;
/** A view that has not rendered after this long is reported as such, not waited for. */
const CHILD_TIMEOUT_MS = 300_000;

interface RenderRun {
  view: View;
  changes: number;
  render_ms: number;
  render_cpu_ms: number;
  output_chars: number;
  rss_before_render_mib: number;
  peak_rss_mib: number;
}

/** In the child: build the plan, render it once in one view, print the measurement as JSON. */
async function renderOnce(view: View, n: number): Promise<void> {
  const { generatedPlan } = await import("../src/views/plan-examples.js");
  const render = await renderer(view);
  const plan = generatedPlan(n);
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const out = render(plan);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const run: RenderRun = {
    view, changes: plan.changes.length, render_ms: Math.round(ms), render_cpu_ms: Math.round((cpu.user + cpu.system) / 1000), output_chars: out.length,
    rss_before_render_mib: mib(rssBefore), peak_rss_mib: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

type Render = (plan: import("../src/core/plan-types.js").Plan) => string;

async function renderer(view: View): Promise<Render> {
  switch (view) {
    case "plain": {
      const { renderPlanText } = await import("../src/views/plain.js");
      return (p) => renderPlanText(p, { color: false });
    }
    case "json": {
      const { renderPlanJson } = await import("../src/views/json.js");
      return renderPlanJson;
    }
    case "markdown": {
      const { renderMarkdown } = await import("../src/views/markdown.js");
      return (p) => renderMarkdown(p, { toolVersion: "0.0.0-bench", planFile: "plan.json" });
    }
    case "terminal": {
      // The terminal view's printed plan (what `plan` shows on a terminal above its live region), at 120 columns.
      const { renderPlanForTerminal } = await import("../src/views/ink/PlanView.js");
      return (p) => renderPlanForTerminal(p, 120);
    }
  }
}

const mib = (bytes: number): number => Number((bytes / 1024 / 1024).toFixed(1));

function child(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; wallMs: number; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const c = spawn(command, args, { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      c.kill("SIGKILL");
    }, CHILD_TIMEOUT_MS);
    c.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    c.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    c.on("error", reject);
    c.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6, timedOut });
    });
  });
}

interface ViewResult {
  view: View;
  runs: RenderRun[];
  render_ms_median: number;
  render_cpu_ms_median: number;
  peak_rss_mib_max: number;
  output_chars: number;
  within_target: boolean;
  /** Why there is no measurement (the view is not there, or did not finish). */
  failure?: string;
}

async function measureView(view: View, n: number, runs: number): Promise<ViewResult> {
  const out: RenderRun[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await child(tsx, [self, "--one", view, String(n)], { ...process.env, NO_COLOR: undefined, FORCE_COLOR: view === "terminal" ? "1" : undefined });
    if (r.code !== 0) {
      const failure = r.timedOut ? `did not finish within ${CHILD_TIMEOUT_MS / 1000} s` : `failed: ${r.stderr.trim().split("\n").slice(0, 3).join(" ")}`;
      process.stdout.write(`${view}: ${failure}\n`);
      return { view, runs: out, render_ms_median: 0, render_cpu_ms_median: 0, peak_rss_mib_max: 0, output_chars: 0, within_target: false, failure };
    }
    const run = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as RenderRun;
    out.push(run);
    process.stdout.write(`${view}, run ${i + 1}/${runs}: render ${run.render_ms} ms (CPU ${run.render_cpu_ms} ms), ${run.output_chars.toLocaleString("en")} characters, peak RSS ${run.peak_rss_mib} MiB\n`);
  }
  const result = {
    view, runs: out,
    render_ms_median: median(out.map((r) => r.render_ms)),
    render_cpu_ms_median: median(out.map((r) => r.render_cpu_ms)),
    peak_rss_mib_max: Math.max(...out.map((r) => r.peak_rss_mib)),
    output_chars: out[0]!.output_chars,
  };
  return { ...result, within_target: result.render_ms_median < TARGET_MS && result.peak_rss_mib_max < TARGET_MIB };
}

interface ShowResult {
  format: "text" | "--json" | "--markdown";
  wall_ms_median: number;
  cpu_ms_median: number;
  peak_rss_mib_max: number;
  within_target: boolean;
}

const preload = "data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>{const u=process.resourceUsage();writeFileSync(process.env.CROSSVAULT_BENCH_RSS_FILE,JSON.stringify([u.maxRSS,u.userCPUTime+u.systemCPUTime]))});";

async function measureShow(planFile: string, dir: string, runs: number): Promise<ShowResult[]> {
  const out: ShowResult[] = [];
  for (const format of ["text", "--json", "--markdown"] as const) {
    const walls: number[] = [];
    const cpus: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < runs; i++) {
      const rssFile = path.join(dir, "show.rss");
      const args = ["--import", preload, cli, "show", planFile, ...(format === "text" ? [] : [format])];
      const r = await child(process.execPath, args, { ...process.env, NO_COLOR: "1", CROSSVAULT_BENCH_RSS_FILE: rssFile });
      if (r.code !== 0) throw new Error(`crossvault show ${format} failed (exit ${r.code}):\n${r.stderr.slice(0, 2000)}`);
      const [maxRssKiB, cpuMicros] = JSON.parse(readFileSync(rssFile, "utf8")) as [number, number];
      walls.push(r.wallMs);
      cpus.push(cpuMicros / 1000);
      rss.push(maxRssKiB / 1024);
      process.stdout.write(`show ${format}, run ${i + 1}/${runs}: ${r.wallMs.toFixed(0)} ms wall, ${(cpuMicros / 1000).toFixed(0)} ms CPU, peak RSS ${(maxRssKiB / 1024).toFixed(1)} MiB\n`);
    }
    const wall = Math.round(median(walls));
    const peak = Number(Math.max(...rss).toFixed(1));
    out.push({ format, wall_ms_median: wall, cpu_ms_median: Math.round(median(cpus)), peak_rss_mib_max: peak, within_target: wall < TARGET_MS && peak < TARGET_MIB });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Summary {
  benchmark: "render";
  date: string;
  node: string;
  cpus: number;
  load_average_1m: number;
  changes: number;
  plan_json_bytes: number;
  target: { ms: number; mib: number };
  views: ViewResult[];
  show: ShowResult[];
}

const VIEW_NAMES: Record<View, string> = { plain: "plain text", json: "JSON", markdown: "Markdown comment", terminal: "terminal (Ink, 120 columns)" };

function writePerformanceSection(r: Summary): void {
  const begin = "<!-- bench:render:begin -->";
  const end = "<!-- bench:render:end -->";
  const met = (ok: boolean): string => (ok ? "met" : "not met");
  const section = [
    begin,
    `## Rendering a plan of ${r.changes.toLocaleString("en")} changes`,
    "",
    "`npx tsx bench/render.ts [changes] [runs]` builds a plan of that many changes (vaults created, destroyed and",
    "replaced, vault policies that broaden access, backup plans whose copy routes change, 20 changes per account)",
    "and renders it in each view, each run in a fresh child process: the time of the render call alone (wall and",
    "CPU) and the process's peak resident memory (maxRSS, which includes the plan itself). The Markdown comment is",
    "cut to its 65,536-character cap. Then `crossvault show PLANFILE` on the same plan saved to a file",
    `(${(r.plan_json_bytes / 1e6).toFixed(1)} MB of JSON), as a whole process: start-up, reading the file, rendering, writing.`,
    `Target: under ${r.target.ms / 1000} s and ${r.target.mib} MB per view.`,
    "",
    `Measured ${r.date.slice(0, 10)}, Node ${r.node}, ${r.cpus} CPUs shared with other work, 1-minute load average ${r.load_average_1m} at the end.`,
    "",
    "| View | Runs | Render (median) | Render CPU (median) | Output | Peak RSS | Target (wall) | Target (CPU) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...r.views.map((v) => v.failure
      ? `| ${VIEW_NAMES[v.view]} | ${v.runs.length} | ${v.failure} | | | | not met | not met |`
      : `| ${VIEW_NAMES[v.view]} | ${v.runs.length} | ${v.render_ms_median} ms | ${v.render_cpu_ms_median} ms | ${v.output_chars.toLocaleString("en")} characters | ${v.peak_rss_mib_max} MiB | ${met(v.within_target)} | ${met(v.render_cpu_ms_median < r.target.ms && v.peak_rss_mib_max < r.target.mib)} |`),
    "",
    "| `crossvault show` | Wall (median) | CPU (median) | Peak RSS | Target (wall) | Target (CPU) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...r.show.map((s) => `| ${s.format} | ${s.wall_ms_median} ms | ${s.cpu_ms_median} ms | ${s.peak_rss_mib_max} MiB | ${met(s.within_target)} | ${met(s.cpu_ms_median < r.target.ms && s.peak_rss_mib_max < r.target.mib)} |`),
    "",
    "The target is for wall time on this machine; the machine is shared, and where wall time exceeds CPU time by",
    "far the process was waiting for a core. CPU time (user + system) does not grow with the load of other work,",
    "so the last column says whether the work itself fits in the target. A render is done once per command, cold:",
    "most of its CPU time is V8 compiling the rendering code and collecting garbage (rendered a second time in",
    "the same process, the plain and Markdown views take a third to a half of it).",
    "",
    "Raw result: `bench/results/render.json`.",
    end,
  ].join("\n");
  replaceDocSection("render", section);
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 3);
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write("usage: npx tsx bench/render.ts [changes >= 1] [runs >= 1]\n");
    process.exitCode = 1;
    return;
  }
  if (!existsSync(path.join(repo, "dist", "cli", "main.js"))) {
    process.stderr.write("bench/render.ts runs the built CLI for `show`: run `npm run build` first.\n");
    process.exitCode = 1;
    return;
  }
  const views: ViewResult[] = [];
  for (const view of VIEWS) views.push(await measureView(view, n, runs));
  const dir = mkdtempSync(path.join(tmpdir(), "crossvault-bench-render-"));
  try {
    const { generatedPlan } = await import("../src/views/plan-examples.js");
    const { planJson } = await import("../src/core/planfile.js");
    const planFile = path.join(dir, "plan.json");
    const text = planJson(generatedPlan(n));
    writeFileSync(planFile, text);
    const show = await measureShow(planFile, dir, runs);
    const summary: Summary = {
      benchmark: "render", date: new Date().toISOString(), node: process.version, cpus: cpus().length, load_average_1m: Number(loadavg()[0]!.toFixed(2)),
      changes: n, plan_json_bytes: Buffer.byteLength(text), target: { ms: TARGET_MS, mib: TARGET_MIB }, views, show,
    };
    mkdirSync(path.join(repo, "bench", "results"), { recursive: true });
    writeFileSync(path.join(repo, "bench", "results", "render.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writePerformanceSection(summary);
    process.stdout.write(`${JSON.stringify({ views: views.map(({ runs: _r, ...v }) => v), show }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--report") {
  // Rewrites the docs section from the last results, without measuring again.
  writePerformanceSection(JSON.parse(readFileSync(path.join(repo, "bench", "results", "render.json"), "utf8")) as Summary);
} else if (process.argv[2] === "--one") {
  await renderOnce(process.argv[3] as View, Number(process.argv[4]));
} else if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  await main();
}
