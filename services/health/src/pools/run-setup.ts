import { appendFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { logTail } from "./log-tail.js";
import { ProvisionError } from "./provisioner.js";
import { runLogged } from "./run-logged.js";

/**
 * Runs the template's setup script (`scripts/dev-setup.sh` by default) with
 * bash in the working copy when it exists there; output to `logPath`. A
 * non-zero exit fails the provision with the end of its output. Answers
 * whether a script ran.
 */
export async function runSetup(setup: string, dir: string, logPath: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<boolean> {
  if (!existsSync(join(dir, setup))) {
    await appendFile(logPath, `no ${setup} in the working copy; no setup to run\n`);
    return false;
  }
  await appendFile(logPath, `$ bash ${setup}\n`);
  const { ok, how } = await runLogged({ command: "bash", args: [setup], cwd: dir, env, logPath }, signal).catch((err: Error) => ({
    ok: false,
    how: `could not run bash: ${err.message}`,
  }));
  if (!ok) throw new ProvisionError("setup", `${setup} failed (${how})`, await logTail(logPath));
  return true;
}
