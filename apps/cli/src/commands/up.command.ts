import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { loadConfig } from "@orchestrator/config";
import { HealthService, HealthState } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { SERVICE_NAMES } from "../control-plane/service-names.js";

/** The script this process runs (bin/orchestrator.js, from source or from the bundle): demo instances run the same. */
const BIN = process.argv[1] ?? fileURLToPath(new URL("../../bin/orchestrator.js", import.meta.url));

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
      // Loaded here, not at the top: client commands start without the services and their database drivers.
      const { startControlPlane } = await import("../control-plane/start-control-plane.js");
      const plane = await startControlPlane(config, [...SERVICE_NAMES]);
      const children = new Map<string, ChildProcess>();
      let stopping = false;
      const shutdown = async (code: number) => {
        if (stopping) return;
        stopping = true;
        for (const child of children.values()) child.kill("SIGTERM");
        try {
          await plane.close();
        } catch (err) {
          process.stderr.write(`shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
          code = 1;
        }
        process.exit(code);
      };
      const onSignal = () => {
        shutdown(0).catch(() => process.exit(1));
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);

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
Web console: http://${address}/
${names.length ? `demo instance pids: ${pids}\n` : ""}
Try:
  npx orchestrator health --instances ${range} --output json
  npx orchestrator instances list
  npx orchestrator allocate --pool demo ; npx orchestrator release A
  grpcurl -plaintext ${address} list
  grpcurl -plaintext -d '{"instances":["${range}"]}' ${address} orchestrator.health.v1.HealthService/CheckHealth
  curl -s -H 'content-type: application/json' -d '{"instances":["@healthy"]}' http://${address}/orchestrator.health.v1.HealthService/CheckHealth

Router (route, fan out, sessions):
  npx orchestrator route --instances A B --payload '{"data":"task"}'
  npx orchestrator route --instances A --payload '{"demo":{"fail":2,"key":"k1"}}'      # retried, succeeds on attempt 3
  npx orchestrator fanout --targets ${range} --aggregate all --timeout 10s
  npx orchestrator fanout --targets ${range} --timeout 1s --payload-for 'G={"demo":{"hang":true}}'
  npx orchestrator sessions spawn --id session1 --pool demo ; npx orchestrator sessions send --id session1 --data '{"key":"value"}'
  grpcurl -plaintext -d '{"instances":["A","B"],"payload":{"data":"task"}}' ${address} orchestrator.router.v1.RouterService/Route
  curl -s -H 'content-type: application/json' -d '{"targets":["${range}"],"aggregate":"all","timeout":"10s"}' http://${address}/orchestrator.router.v1.RouterService/Fanout

Mailbox (one terminal waits, another sends):
  ORCHESTRATOR_HANDLE=coordinator npx orchestrator check --wait --types worker_done --timeout-ms 60000
  npx orchestrator send --to coordinator --from ${names[0] ?? "A"} --subject "t1 done" --type worker_done --payload '{"task":"t1"}'
  npx orchestrator send --to @all --from coordinator --subject standup --priority high ; npx orchestrator inbox --handle ${names[1] ?? "B"}
  curl -s -H 'content-type: application/json' -d '{"handle":"coordinator","wait":true,"timeoutMs":60000}' http://${address}/orchestrator.mailbox.v1.MailboxService/Check

Scheduler (task DAGs, runs, gates):
  npx orchestrator run --spec '{"target":"@pool:demo","tasks":[{"id":"a","spec":"a"},{"id":"b","spec":"b","deps":["a"]},{"id":"c","spec":"c","deps":["a"]},{"id":"d","spec":"d","deps":["b","c"]}]}' --follow
  npx orchestrator task create --id t1 --spec "build" ; npx orchestrator dispatch --task t1 --to @pool:demo ; npx orchestrator dispatch-show --task t1
  npx orchestrator gate create --task t1 --question "ship?" --options yes,no ; npx orchestrator gate list ; npx orchestrator reset --tasks

Kill a demo instance (kill <pid>) and watch it go down: npx orchestrator health --watch
Bring it back: npx orchestrator demo-instance --name <NAME>
Stop with Ctrl-C.
`);
}
