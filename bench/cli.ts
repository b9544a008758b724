/**
 * How fast the `orchestrator` command starts, as whole processes, against
 * the floor of any Node.js process (`node -e 0`): `orchestrator --version`,
 * and `orchestrator health --instances A-H --output json` against a running
 * control plane (`orchestrator up` with demo instances A-H, in a process
 * of its own). Each round runs the three commands once, in turn, so load
 * on the machine hits all of them alike; the table reports medians and
 * the ratios to the floor in this one run (targets: --version at most 3x,
 * health at most 4x).
 *
 *   flock /work/bench.lock npm run bench -- cli            # PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres flock /work/bench.lock npm run bench -- cli
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { createServer } from "node:net";

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

const ROUNDS = Number(process.env.ROUNDS ?? 30);
const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "apps/cli/bin/orchestrator.js");
const NAMES = ["A", "B", "C", "D", "E", "F", "G", "H"];

// The bundle is what runs (bin/orchestrator.js): make sure it is today's.
execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--if-stale"], { cwd: ROOT, stdio: "inherit" });

const port = await freePort();
const address = `127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "orch-bench-cli-"));
const plane = spawn(process.execPath, [BIN, "up"], {
  env: { ...process.env, ORCHESTRATOR_PORT: String(port), ORCHESTRATOR_DATA_DIR: dataDir, LOG_LEVEL: "silent", ORCHESTRATOR_API_KEY: "" },
  stdio: "ignore",
  detached: true,
});
const health = createServiceClient(HealthService, { address, timeoutMs: 2000 });
try {
  await waitFor(
    "the control plane with A-H healthy",
    async () => {
      const { statuses } = await health.checkHealth({ instances: ["A-H"] }).catch(() => ({ statuses: {} as Record<string, string> }));
      return NAMES.every((n) => statuses[n] === "healthy");
    },
    { timeoutMs: 180_000, intervalMs: 250 },
  );

  const env: NodeJS.ProcessEnv = { ...process.env, ORCHESTRATOR_ADDR: address, ORCHESTRATOR_API_KEY: "", LOG_LEVEL: "silent" };
  delete env.ORCHESTRATOR_CLI_SOURCE;
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const commands: Record<string, string[]> = {
    "node -e 0": ["-e", "0"],
    "orchestrator --version": [BIN, "--version"],
    "orchestrator health --instances A-H --output json": [BIN, "health", "--instances", "A-H", "--output", "json"],
  };

  /** Wall time of one process, spawn to exit, in ms; fails on a non-zero exit. */
  const time = (args: string[]) =>
    new Promise<number>((resolve, reject) => {
      const start = performance.now();
      const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "inherit"] });
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${args.join(" ")} exited ${code}`))));
    });

  const samples = new Map<string, number[]>(Object.keys(commands).map((k) => [k, []]));
  const loadBefore = loadavg();
  for (const args of Object.values(commands)) await time(args); // warm the file cache
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, args] of Object.entries(commands)) samples.get(name)!.push(await time(args));
  }
  const loadAfter = loadavg();

  const quantile = (xs: number[], q: number) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  };
  const floor = quantile(samples.get("node -e 0")!, 0.5);
  const targets: Record<string, number> = { "orchestrator --version": 3, "orchestrator health --instances A-H --output json": 4 };
  console.log(`\n${ROUNDS} rounds, ${new Date().toISOString()}, Node ${process.version}, database ${process.env.DATABASE_URL ? "Postgres" : "PGlite"}`);
  console.log(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}\n`);
  console.log("| process | p50 ms | p90 ms | p50 / node -e 0 | target |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const [name, xs] of samples) {
    const p50 = quantile(xs, 0.5);
    const ratio = p50 / floor;
    const target = targets[name];
    console.log(`| \`${name}\` | ${p50.toFixed(0)} | ${quantile(xs, 0.9).toFixed(0)} | ${ratio.toFixed(2)}x | ${target ? `≤ ${target}x ${ratio <= target ? "(met)" : "(missed)"}` : "floor"} |`);
  }
} finally {
  if (plane.pid) process.kill(-plane.pid, "SIGTERM");
  await new Promise((resolve) => plane.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
