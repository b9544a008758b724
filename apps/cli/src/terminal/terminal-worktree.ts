import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/** What `--worktree` names: a directory (its last part is the id), or only an id. */
export type WorktreeSelector = { readonly kind: "dir"; readonly dir: string; readonly id: string } | { readonly kind: "id"; readonly id: string };

/**
 * The worktree a directory is in: the nearest directory at or above it that
 * holds `.git` (a checkout, or a git worktree, whose `.git` is a file), else
 * the directory itself. Its last part is the worktree id the `worktree`
 * label and `@worktree:<id>` use.
 */
export function worktreeOf(dir: string): string {
  let at = resolve(dir);
  for (;;) {
    if (existsSync(join(at, ".git"))) return at;
    const up = dirname(at);
    if (up === at) return resolve(dir);
    at = up;
  }
}

/**
 * Reads `--worktree`: absent, `active` or `current` is the worktree of the
 * current directory; `path:<dir>`, a path (with a `/`, or `.`, `~`), or an
 * existing directory is that directory; `id:<id>` or any other word is a
 * worktree id (`wt-api`).
 */
export function parseWorktreeSelector(text: string | undefined, cwd = process.cwd()): WorktreeSelector {
  const value = text?.trim() ?? "";
  if (value === "" || value === "active" || value === "current") return dirSelector(worktreeOf(cwd));
  if (value.startsWith("id:")) return { kind: "id", id: value.slice(3) };
  if (value.startsWith("path:")) return dirSelector(expand(value.slice(5), cwd));
  if (value.includes("/") || value.startsWith(".") || value.startsWith("~")) return dirSelector(expand(value, cwd));
  const local = resolve(cwd, value);
  if (statSync(local, { throwIfNoEntry: false })?.isDirectory()) return dirSelector(local);
  return { kind: "id", id: value };
}

function dirSelector(dir: string): WorktreeSelector {
  return { kind: "dir", dir, id: basename(dir) };
}

function expand(path: string, cwd: string): string {
  if (path === "~") return homedir();
  return path.startsWith("~/") ? join(homedir(), path.slice(2)) : resolve(cwd, path);
}
