import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createLineSplitter } from "./create-line-splitter.js";

/** How the task text reaches the command: appended as its last argument, or written to its stdin. */
export type InputMode = "arg" | "stdin";

/** The longest timer Node keeps (about 24.8 days); longer timeouts are cut to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After the command exits, how long its output may take to close (a background child holding the pipe) before the group is killed. */
const OUTPUT_CLOSE_MS = 2000;

/** What runAgentCommand runs. */
export interface AgentCommandOptions {
  /** Program and arguments; the program is looked up on env.PATH. */
  readonly command: readonly string[];
  readonly input: string;
  readonly inputMode: InputMode;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The run is terminated after this long. */
  readonly timeoutMs: number;
  /** Between SIGTERM and SIGKILL of the process group. @default 5000 */
  readonly killGraceMs?: number;
  /** Aborting terminates the run like a timeout (shutdown). */
  readonly signal?: AbortSignal;
  /** Every line the command writes, as it is written. */
  readonly onLine: (stream: "stdout" | "stderr", text: string) => void;
}

/** How a run ended. */
export interface AgentCommandExit {
  /** `exited` on its own (any code), `timed_out`, `aborted` (the signal), or `spawn_failed` (it never started). */
  readonly outcome: "exited" | "timed_out" | "aborted" | "spawn_failed";
  readonly exitCode: number | null;
  /** The signal that ended it, if any. */
  readonly signal: NodeJS.Signals | null;
  /** Why it could not start (`spawn_failed`). */
  readonly error?: string;
  readonly durationMs: number;
}

/**
 * Runs an agent's command once in its own process group, feeding it the
 * task text, and reports every output line as it comes. On timeout or
 * abort the whole group gets SIGTERM, then SIGKILL after `killGraceMs`, so
 * the tools an agent started die with it. Never rejects: every ending,
 * including a command that cannot start, is an AgentCommandExit.
 */
export function runAgentCommand(o: AgentCommandOptions): Promise<AgentCommandExit> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const [program, ...args] = o.command;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(program!, o.inputMode === "arg" ? [...args, o.input] : args, {
        cwd: o.cwd,
        env: o.env,
        detached: true,
        stdio: [o.inputMode === "stdin" ? "pipe" : "ignore", "pipe", "pipe"],
      });
    } catch (error) {
      resolve({ outcome: "spawn_failed", exitCode: null, signal: null, error: describeSpawnError(error, o), durationMs: elapsed() });
      return;
    }
    let reason: "timed_out" | "aborted" | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: string | undefined;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const terminate = (why: "timed_out" | "aborted") => {
      if (reason || exit || done) return;
      reason = why;
      killGroup("SIGTERM");
      timers.push(setTimeout(() => killGroup("SIGKILL"), o.killGraceMs ?? 5000));
    };
    const onAbort = () => terminate("aborted");
    const stdout = createLineSplitter((line) => o.onLine("stdout", line));
    const stderr = createLineSplitter((line) => o.onLine("stderr", line));
    const finish = () => {
      if (done) return;
      done = true;
      for (const timer of timers) clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      stdout.end();
      stderr.end();
      if (spawnError !== undefined) {
        resolve({ outcome: "spawn_failed", exitCode: null, signal: null, error: spawnError, durationMs: elapsed() });
        return;
      }
      resolve({ outcome: reason ?? "exited", exitCode: exit?.code ?? null, signal: exit?.signal ?? null, durationMs: elapsed() });
    };

    child.stdout!.on("data", (chunk: Buffer) => stdout.write(chunk));
    child.stderr!.on("data", (chunk: Buffer) => stderr.write(chunk));
    child.stdin?.on("error", () => {
      // The command closed its stdin without reading everything: its choice.
    });
    child.stdin?.end(o.input);
    child.once("error", (error) => {
      if (child.pid === undefined) {
        spawnError = describeSpawnError(error, o);
        finish();
      }
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      timers.push(
        setTimeout(() => {
          killGroup("SIGKILL");
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        }, OUTPUT_CLOSE_MS),
      );
    });
    child.once("close", finish);
    timers.push(setTimeout(() => terminate("timed_out"), Math.min(Math.max(1, o.timeoutMs), MAX_TIMER_MS)));
    if (o.signal?.aborted) terminate("aborted");
    else o.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function describeSpawnError(error: unknown, o: AgentCommandOptions): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "E2BIG" && o.inputMode === "arg") {
    return `${message}: the task text (${Buffer.byteLength(o.input)} bytes) is too long for an argument; run the agent with --input stdin`;
  }
  if (code === "ENOENT") return `${message}: is "${o.command[0]}" installed and on PATH?`;
  return message;
}
