import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

/** How long a terminal host may take to start and register. */
const READY_TIMEOUT_MS = 30_000;

/** What a terminal host is started with (the flags of `orchestrator terminal host`). */
export interface TerminalHostSpawn {
  readonly name: string;
  readonly command: string;
  readonly workdir: string;
  readonly title: string;
  readonly splitFrom?: string;
  readonly direction?: string;
  /** The control plane's address, and its key (passed in the environment, never on the command line). */
  readonly addr: string;
  readonly apiKey?: string;
}

/** A started host, as its ready line says. */
export interface SpawnedHost {
  readonly address: string;
  readonly hostPid: number;
  /** Where the host logs. */
  readonly log: string;
}

/** Where the host of terminal `name` logs (removed by `terminal close`). */
export function terminalLogPath(name: string): string {
  return join(tmpdir(), "orchestrator-terminals", `${name}.log`);
}

/**
 * Starts `orchestrator terminal host` detached (its own session: it outlives
 * this command and the shell it ran in), logging to a file under the
 * temporary directory, and waits for its one ready line on stdout (it is
 * registered then). A host that exits first is an error with its log's
 * last lines.
 */
export async function spawnTerminalHost(o: TerminalHostSpawn): Promise<SpawnedHost> {
  const log = terminalLogPath(o.name);
  mkdirSync(dirname(log), { recursive: true });
  const logFd = openSync(log, "a");
  const args = [process.argv[1]!, "terminal", "host", "--name", o.name, "--workdir", o.workdir, "--command", o.command, "--title", o.title];
  if (o.splitFrom) args.push("--split-from", o.splitFrom, "--direction", o.direction ?? "horizontal");
  const env: NodeJS.ProcessEnv = { ...process.env, ORCHESTRATOR_ADDR: o.addr };
  if (o.apiKey) env["ORCHESTRATOR_API_KEY"] = o.apiKey;
  const child = spawn(process.execPath, args, { cwd: o.workdir, detached: true, stdio: ["ignore", "pipe", logFd], env });
  closeSync(logFd);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`terminal host ${o.name} did not start within ${READY_TIMEOUT_MS / 1000} s${tail(log)}`)), READY_TIMEOUT_MS);
      lines.once("line", (first) => {
        clearTimeout(timer);
        resolve(first);
      });
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`terminal host ${o.name} exited (code ${code}) before it was ready${tail(log)}`));
      });
    });
    const ready = JSON.parse(line) as { address: string; hostPid: number };
    return { address: ready.address, hostPid: ready.hostPid, log };
  } catch (err) {
    if (child.exitCode === null) child.kill("SIGTERM");
    throw err;
  } finally {
    child.stdout!.destroy();
    child.removeAllListeners();
    child.unref();
  }
}

/** The log's last lines, for an error message. */
function tail(log: string): string {
  try {
    const lines = readFileSync(log, "utf8").trim().split("\n").slice(-5);
    return lines.length > 0 && lines[0] !== "" ? `:\n${lines.map(describeLogLine).join("\n")}\n(log: ${log})` : ` (log: ${log})`;
  } catch {
    return "";
  }
}

/** A pino JSON line as `level: msg (err)`, other lines as they are. */
function describeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: string; msg?: string; err?: { message?: string } };
    return `  ${entry.level ?? "log"}: ${entry.msg ?? ""}${entry.err?.message ? ` (${entry.err.message})` : ""}`;
  } catch {
    return `  ${line}`;
  }
}
