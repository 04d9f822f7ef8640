// `crossvault demo`: validates the bundled example. The sandbox and the engine (plan, apply, copy jobs)
// join the demo as they land.
import { fileURLToPath } from "node:url";
import { validateCommand } from "./validate.js";

export async function demoCommand(): Promise<number> {
  const example = fileURLToPath(new URL("../../../examples/basic", import.meta.url));
  process.stdout.write("crossvault demo: validating examples/basic\n");
  const code = await validateCommand(example, { var: [], varFile: [] });
  process.stdout.write("Still to come in the demo: the embedded sandbox, plan, apply and a completed cross-account copy job.\n");
  return code;
}
