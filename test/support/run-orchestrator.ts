import { execFile } from "node:child_process";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");

/** How a CLI run ended. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `orchestrator ...args` against `address` to completion and answers
 * its exit code and output (never rejects on a non-zero exit: tests assert it).
 */
export function runOrchestrator(address: string, ...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ORCHESTRATOR_ADDR: address, LOG_LEVEL: "silent" };
  delete env.ORCHESTRATOR_API_KEY;
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
