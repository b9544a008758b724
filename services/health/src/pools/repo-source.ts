import { existsSync } from "node:fs";
import { join } from "node:path";

/** Whether `repo` names a remote git repository (URL or scp-like `user@host:path`) rather than a local path. */
export function isRemoteRepo(repo: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

/** Whether a local directory is a git working tree (has `.git`) or a bare repository (`HEAD` and `objects/`): cloned, not copied. */
export function isGitRepository(dir: string): boolean {
  return existsSync(join(dir, ".git")) || (existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects")));
}
