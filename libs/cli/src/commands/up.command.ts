import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { loadConfig } from "@orchestrator/config";
import { HealthService, HealthState } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { startControlPlane } from "../control-plane/start-control-plane.js";

const BIN = fileURLToPath(new URL("../../bin/orchestrator.js", import.meta.url));

/** Letters A, B, ... for `count` demo instances (A–H by default). */
export function demoNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i < 26 ? String.fromCharCode(65 + i) : `demo-${i + 1}`));
}

/**
 * `orchestrator up`: the whole control plane in one process on one port
 * (embedded PGlite unless DATABASE_URL is set), plus demo instances A–H as
 * child processes, then a list of things to try.
 */
export function upCommand(): Command {
  return new Command("up")
    .description("run the whole control plane in one process, with demo instances A-H")
    .option("--demo <count>", "number of demo instances (0 for none)", (v) => Number.parseInt(v, 10), 8)
    .addHelpText("after", "\nExamples:\n  $ orchestrator up            # what `npm start` runs\n  $ DATABASE_URL=postgres://postgres@127.0.0.1/orchestrator orchestrator up --demo 3")
    .action(async (o: { demo: number }) => {
      const config = loadConfig();
      const plane = await startControlPlane(config, ["health"]);
      const children = new Map<string, ChildProcess>();
      let stopping = false;
      const shutdown = async (code: number) => {
        if (stopping) return;
        stopping = true;
        for (const child of children.values()) child.kill("SIGTERM");
        await plane.close();
        process.exit(code);
      };
      process.once("SIGINT", () => void shutdown(0));
      process.once("SIGTERM", () => void shutdown(0));

      const names = demoNames(Math.max(0, o.demo));
      for (const name of names) {
        const child = fork(BIN, ["demo-instance", "--name", name, "--pool", "demo", "--control-plane", plane.server.address], {
          env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        });
        children.set(name, child);
        child.once("exit", (code, signal) => {
          if (!stopping) plane.logger.warn({ instance: name, code, signal }, "demo instance exited; restart it with `orchestrator demo-instance --name " + name + "`");
        });
      }
      if (names.length > 0) await waitHealthy(plane.server.address, config.apiKeys[0], names, 60_000);
      printNextSteps(plane.server.address, names, children);
    });
}

async function waitHealthy(address: string, apiKey: string | undefined, names: string[], timeoutMs: number): Promise<void> {
  const client = createServiceClient(HealthService, { address, ...(apiKey ? { apiKey } : {}), timeoutMs: 0 });
  const pending = new Set(names);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    for await (const ev of client.watchHealth({ instances: [] }, { signal: abort.signal })) {
      if (ev.instance && ev.instance.health === HealthState.HEALTHY) pending.delete(ev.instance.name);
      if (pending.size === 0) return;
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
    process.stderr.write(`warning: not healthy after ${timeoutMs / 1000}s: ${[...pending].join(", ")}\n`);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function printNextSteps(address: string, names: string[], children: Map<string, ChildProcess>): void {
  const range = names.length > 1 ? `${names[0]}-${names.at(-1)}` : (names[0] ?? "A");
  const pids = names.map((n) => `${n}=${children.get(n)?.pid}`).join(" ");
  process.stdout.write(`
orchestrator is up on ${address}${names.length ? ` with demo instances ${range} (pool "demo")` : ""}.
${names.length ? `demo instance pids: ${pids}\n` : ""}
Try:
  npx orchestrator health --instances ${range} --output json
  npx orchestrator instances list
  npx orchestrator allocate --pool demo ; npx orchestrator release A
  grpcurl -plaintext ${address} list
  grpcurl -plaintext -d '{"instances":["${range}"]}' ${address} orchestrator.health.v1.HealthService/CheckHealth
  curl -s -H 'content-type: application/json' -d '{"instances":["@healthy"]}' http://${address}/orchestrator.health.v1.HealthService/CheckHealth

Kill a demo instance (kill <pid>) and watch it go down: npx orchestrator health --watch
Bring it back: npx orchestrator demo-instance --name <NAME>
Stop with Ctrl-C.
`);
}
