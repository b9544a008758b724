import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The argv prefix that runs this CLI's `orchestrator` command in a new
 * process: node plus the absolute path of `apps/cli/bin/orchestrator.js`.
 * The bin is found from this module's own location, which is
 * `apps/cli/src/control-plane/` from a checkout and `apps/cli/dist/` in the
 * bundle (the container image ships both `bin/` and `dist/`). The health
 * service's local provisioner starts pool agents with it
 * (`... agent --name kite-4 ...`).
 */
export function agentLauncher(): string[] {
  const candidates = [new URL("../../bin/orchestrator.js", import.meta.url), new URL("../bin/orchestrator.js", import.meta.url)];
  const bin = candidates.find((url) => existsSync(url)) ?? candidates[0]!;
  return [process.execPath, fileURLToPath(bin)];
}
