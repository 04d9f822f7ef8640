// Starts `crossvault sandbox --port 0` in its own process (so it never shares the measured process's event
// loop) and resolves with its URL once it prints its exports. Shared by the benchmarks.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../bin/crossvault.js", import.meta.url));

export async function startSandboxProcess(extraArgs: string[] = []): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [cli, "sandbox", "--port", "0", ...extraArgs], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /export AWS_ENDPOINT_URL=(\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
  });
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  return { url, stop: async () => void (child.kill("SIGTERM"), await exited) };
}
