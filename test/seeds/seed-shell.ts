import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");

/** How a shell line ended. */
export interface ShellRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A shell where `orchestrator` is on PATH, as after `npm install -g`, so a
 * seed's command lines run as written (with `orchestrator` for the tool's
 * name): `sh.run("orchestrator fanout --targets A-H --aggregate true --timeout 10s")`.
 * Lines run in bash in a scratch directory (`dir`), against `address`.
 */
export interface SeedShell {
  readonly dir: string;
  run(line: string, env?: Readonly<Record<string, string>>): Promise<ShellRun>;
  /** Runs a line that must succeed; resolves its stdout (throws with its stderr otherwise). */
  ok(line: string, env?: Readonly<Record<string, string>>): Promise<string>;
  /** Runs a line that must succeed and print one JSON document. */
  json<T = Record<string, unknown>>(line: string, env?: Readonly<Record<string, string>>): Promise<T>;
  close(): void;
}

/** A SeedShell for the control plane at `address`; `env` applies to every line. */
export function seedShell(address: string, env: Readonly<Record<string, string>> = {}): SeedShell {
  const dir = mkdtempSync(join(tmpdir(), "orch-seed-"));
  mkdirSync(join(dir, "bin"));
  symlinkSync(BIN, join(dir, "bin", "orchestrator"));
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, ORCHESTRATOR_ADDR: address, LOG_LEVEL: "silent", ...env };
  delete base.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!("ORCHESTRATOR_HANDLE" in env)) delete base.ORCHESTRATOR_HANDLE;
  if (!("ORCHESTRATOR_API_KEY" in env)) delete base.ORCHESTRATOR_API_KEY;
  const run = (line: string, extra: Readonly<Record<string, string>> = {}) =>
    new Promise<ShellRun>((resolve) => {
      execFile("bash", ["-c", line], { cwd: dir, env: { ...base, ...extra }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      });
    });
  const ok = async (line: string, extra?: Readonly<Record<string, string>>) => {
    const r = await run(line, extra);
    if (r.code !== 0) throw new Error(`\`${line}\` exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  return {
    dir,
    run,
    ok,
    json: async <T>(line: string, extra?: Readonly<Record<string, string>>) => JSON.parse(await ok(line, extra)) as T,
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
