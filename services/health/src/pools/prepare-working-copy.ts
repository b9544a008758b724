import { appendFile, cp, mkdir, rename, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { relative, isAbsolute } from "node:path";
import { logTail } from "./log-tail.js";
import type { PoolTemplate } from "./pool-template.js";
import { isGitRepository, isRemoteRepo } from "./repo-source.js";
import { ProvisionError } from "./provisioner.js";
import { runLogged } from "./run-logged.js";

/** How the working copy came to be. */
export type WorkingCopyOrigin = "reused" | "cloned" | "copied";

/**
 * Makes `dir` a working copy of the template's repo: `git clone [--branch
 * ref]` for a URL or a git repository path, a recursive copy for a plain
 * directory. The copy is made beside `dir` and renamed into place, so a
 * failed or interrupted clone never leaves a half working copy. An existing
 * `dir` is reused as it is (it may hold an earlier agent's unmerged work),
 * neither fetched nor reset. git's output goes to `logPath`.
 */
export async function prepareWorkingCopy(
  template: PoolTemplate,
  dir: string,
  logPath: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<WorkingCopyOrigin> {
  if (existsSync(dir)) {
    await appendFile(logPath, `reusing the working copy ${dir}\n`);
    return "reused";
  }
  const staging = `${dir}.staging-${process.pid}-${Date.now()}`;
  try {
    if (isRemoteRepo(template.repo) || isGitRepository(template.repo)) {
      const args = ["clone", "--quiet", ...(template.ref ? ["--branch", template.ref] : []), "--", template.repo, staging];
      await appendFile(logPath, `$ git ${args.join(" ")}\n`);
      const { ok, how } = await runLogged({ command: "git", args, cwd: template.workdirRoot, env: { ...env, GIT_TERMINAL_PROMPT: "0" }, logPath }, signal).catch(
        (err: Error) => ({ ok: false, how: `could not run git: ${err.message}` }),
      );
      if (!ok) throw new ProvisionError("clone", `git clone of ${template.repo}${template.ref ? ` (${template.ref})` : ""} failed (${how})`, await logTail(logPath));
      await rename(staging, dir);
      return "cloned";
    }
    await appendFile(logPath, `copying ${template.repo} to ${dir}\n`);
    try {
      // The working copies may live inside the directory being copied (workdirRoot under repo): skip them.
      await cp(template.repo, staging, { recursive: true, filter: (source) => !isInside(source, template.workdirRoot) });
    } catch (err) {
      throw new ProvisionError("copy", `copying ${template.repo} failed: ${(err as Error).message}`);
    }
    await rename(staging, dir);
    return "copied";
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Makes the directory holding working copies and logs. */
export async function ensureWorkdirRoot(root: string): Promise<void> {
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    throw new ProvisionError("workdir", `cannot create the pool's workdirRoot ${root}: ${(err as Error).message}`);
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
