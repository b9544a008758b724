import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { AgentConfigError } from "../agent-config-error.js";

/** How a pseudo-terminal's command ended. */
export interface PtyExit {
  /** The command's exit code; 128 + N when it ended on signal N. */
  readonly code: number;
  /** The signal that ended the pty process itself (only when it was killed), else null. */
  readonly signal: NodeJS.Signals | null;
}

/** Options of startPtyProcess. */
export interface PtyOptions {
  /** A shell command line, run with `$SHELL -c` on the terminal. */
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Screen size the command sees. @default 40 rows, 120 columns */
  readonly rows?: number;
  readonly cols?: number;
  /** Everything the command writes on the terminal, decoded as UTF-8, in order. */
  readonly onData: (text: string) => void;
}

/** A command running on a pseudo-terminal. */
export interface PtyProcess {
  /** Pid of the process holding the terminal (`script`), the command's parent. */
  readonly pid: number;
  /** Types into the terminal (as keys: Enter is "\r"). Ignored once the process has exited. */
  write(data: string): void;
  /** Resolves once the process has exited and its output has been read. */
  readonly exited: Promise<PtyExit>;
  /**
   * Ends the command as closing its terminal window does: SIGHUP to the
   * command (an interactive shell passes it on to its jobs), then SIGKILL to
   * the terminal's holder after `graceMs`, which hangs the terminal up.
   */
  hangUp(graceMs: number): Promise<PtyExit>;
}

/**
 * Runs `command` under a pseudo-terminal without native modules, through
 * util-linux `script -qfec <command> /dev/null`: the command sees a real tty
 * (line editing, colours, TUIs work), its screen output arrives on `onData`,
 * and `write` types into it. `script -e` exits with the command's code.
 * Throws AgentConfigError when `script` cannot be started.
 */
export function startPtyProcess(o: PtyOptions): PtyProcess {
  const size = `stty rows ${o.rows ?? 40} cols ${o.cols ?? 120} 2>/dev/null; `;
  const child = spawn("script", ["-qfec", `${size}${o.command}`, "/dev/null"], { cwd: o.cwd, env: o.env, stdio: ["pipe", "pipe", "pipe"] });
  child.on("error", () => undefined); // a failed spawn: reported below, by the missing pid
  if (child.pid === undefined) {
    throw new AgentConfigError("command", "cannot start a pseudo-terminal: util-linux `script` is not on PATH (Debian: apt-get install bsdutils)");
  }
  const pid = child.pid;
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", o.onData);
  child.stderr.on("data", o.onData);
  child.stdin.on("error", () => undefined); // EPIPE once the command is gone
  let done = false;
  const exited = new Promise<PtyExit>((resolve) => {
    child.once("close", (code, signal) => {
      done = true;
      resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), signal });
    });
  });
  return {
    pid,
    exited,
    write(data) {
      if (!done) child.stdin.write(data);
    },
    async hangUp(graceMs) {
      if (done) return exited;
      const commands = childrenOf(pid);
      if (commands.length > 0) for (const c of commands) signal(c, "SIGHUP");
      else signal(pid, "SIGTERM");
      const timer = setTimeout(() => signal(pid, "SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Direct children of a process (Linux /proc); [] when they cannot be read. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}
