import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";

/** How a child process is run by runLogged / spawnLogged. */
export interface LoggedCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  readonly logPath: string;
}

/**
 * Starts `command` in its own process group (so stopping it reaches the
 * processes it starts too) with stdout and stderr appended to `logPath`.
 * Resolves once the process runs; rejects when it cannot start (no such
 * executable, bad cwd).
 */
export async function spawnLogged(c: LoggedCommand): Promise<ChildProcess> {
  const fd = openSync(c.logPath, "a");
  try {
    const child = spawn(c.command, [...c.args], { cwd: c.cwd, env: c.env, stdio: ["ignore", fd, fd], detached: true });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    return child;
  } finally {
    closeSync(fd);
  }
}

/** Describes how a process ended: `exit code 1`, `signal SIGKILL`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? "?"}`;
}

/** Resolves with how `child` ended (at once when it already has). */
export function exitOf(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(describeExit(child.exitCode, child.signalCode));
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(describeExit(code, signal))));
}

/** Sends `signal` to the child's whole process group; ignores a group that is already gone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already exited
  }
}

/**
 * Runs a command to completion with its output appended to `logPath`.
 * Resolves with how it ended (`exit code 0` on success). Aborting `signal`
 * kills its process group.
 */
export async function runLogged(c: LoggedCommand, signal: AbortSignal): Promise<{ ok: boolean; how: string }> {
  signal.throwIfAborted();
  const child = await spawnLogged(c);
  const kill = () => signalGroup(child, "SIGKILL");
  signal.addEventListener("abort", kill, { once: true });
  try {
    const how = await exitOf(child);
    return { ok: how === "exit code 0", how };
  } finally {
    signal.removeEventListener("abort", kill);
  }
}
