import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory of the built console. `ORCHESTRATOR_CONSOLE_DIR` wins when
 * given (parsed by the caller's config); otherwise `apps/console/dist` found
 * upwards from this module, which works from the source tree (apps/console/src)
 * and from the CLI bundle (apps/cli/dist) alike.
 */
export function consoleAssetsDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    for (const candidate of [join(dir, "apps", "console", "dist"), join(dir, "console", "dist"), join(dir, "dist")]) {
      if (existsSync(join(candidate, "index.html")) && existsSync(join(candidate, "..", "package.json"))) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) return resolve(dirname(fileURLToPath(from)), "..", "dist");
    dir = up;
  }
}
