// End-to-end tests run the real CLI (`node bin/crossvault.js`), which runs the compiled dist/.
// Build once before the suite so the tests never run a stale build. Type errors do not stop the build
// (tsc still emits): `npm test` reports them through its own `tsc --noEmit` step.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  if (!existsSync(new URL("../dist/cli/main.js", import.meta.url))) {
    throw new Error(`the build produced no dist/cli/main.js:\n${r.stdout}${r.stderr}`);
  }
}
