import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");
const run = promisify(execFile);

/** Environment for CLI processes against `address`, with nothing inherited that would redirect them. */
export function cliEnv(address: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ORCHESTRATOR_ADDR: address, LOG_LEVEL: "silent", ...extra };
  delete env.ORCHESTRATOR_HANDLE;
  delete env.ORCHESTRATOR_API_KEY;
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return env;
}

/** Runs `orchestrator ...args` to completion; resolves stdout (rejects on a non-zero exit, with stderr). */
export async function orchestrator(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  return (await run(process.execPath, [BIN, ...args], { env })).stdout;
}

/** Starts `orchestrator ...args` in the background; `done` resolves its exit code and output. */
export function startOrchestrator(env: NodeJS.ProcessEnv, ...args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    // "close", not "exit": output may still be in the pipes when the process has exited.
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, exited: () => child.exitCode !== null, stdout: () => stdout };
}
