#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (built by `npm install` through the `prepare` script).
// The SDK prints a Node-version notice on stderr; it must never land in the middle of our output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
import("../dist/cli/main.js")
  .then((m) => m.main(process.argv))
  .catch((err) => {
    if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/cli/main.js")) {
      process.stderr.write("crossvault: the CLI is not built yet. Run `npm install` (or `npm run build`) in the package directory.\n");
    } else {
      process.stderr.write(`crossvault: internal error: ${err && err.message ? err.message : String(err)}\n`);
    }
    process.exitCode = 1;
  });
