import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./render-kustomize.js";

/** The final stage of deploy/Dockerfile as a container runtime sees it. */
export interface ImageCommand {
  /** Exec-form ENTRYPOINT, e.g. ["node", "/app/apps/cli/bin/orchestrator.js"]. */
  readonly entrypoint: readonly string[];
  /** Exec-form CMD (the default args). */
  readonly cmd: readonly string[];
  /** WORKDIR of the final stage, where the repository's files land (/app). */
  readonly workdir: string;
  /** USER of the final stage. */
  readonly user: string | undefined;
}

/** Reads ENTRYPOINT, CMD, WORKDIR and USER of the last stage of deploy/Dockerfile. */
export function readImageCommand(path = join(REPO_ROOT, "deploy/Dockerfile")): ImageCommand {
  const lines = joinContinuations(readFileSync(path, "utf8"));
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  const stage = lines.slice(lastFrom);
  const last = (instruction: string) => stage.filter((l) => l.toUpperCase().startsWith(`${instruction} `)).at(-1)?.slice(instruction.length + 1).trim();
  const execForm = (instruction: string): string[] => {
    const value = last(instruction);
    if (!value) return [];
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) throw new Error(`${instruction} must use the exec form: ${value}`);
    return parsed;
  };
  return { entrypoint: execForm("ENTRYPOINT"), cmd: execForm("CMD"), workdir: last("WORKDIR") ?? "/", user: last("USER") };
}

/**
 * The command line the image runs for a container with these `args`
 * (Kubernetes `args` replace CMD and keep ENTRYPOINT), mapped onto this
 * checkout: `node` is this Node and paths under WORKDIR are the repository
 * root. What the topology test spawns for each replica.
 */
export function localCommand(image: ImageCommand, args: readonly string[] | undefined): { file: string; args: string[] } {
  const argv = [...image.entrypoint, ...(args ?? image.cmd)];
  const prefix = image.workdir.replace(/\/+$/, "") + "/";
  const local = argv.map((a) => (a.startsWith(prefix) ? join(REPO_ROOT, a.slice(prefix.length)) : a));
  const [file, ...rest] = local;
  if (file !== "node") throw new Error(`the image's entrypoint must start with node, got ${file}`);
  return { file: process.execPath, args: rest };
}

/** Instructions one per line, with backslash continuations joined and comments dropped. */
function joinContinuations(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("#") || line === "") continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push((current + line).trim());
    current = "";
  }
  return out;
}
