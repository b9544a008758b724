/**
 * Bench helper (not a bench itself): starts N no-op workers, each noting
 * when every Execute reached it (epoch ms, sub-ms precision: comparable
 * with the bench process's clock). Run by bench/scheduler.ts as a child
 * process (fork), so workers use their own event loop; prints their
 * addresses as `{"addresses": [...]}` once listening (the bench registers
 * them), answers `{"arrivals": {...}}` over IPC when asked.
 *
 * With `--register <control plane> <pool> [<scheduler>]` they register
 * themselves like any worker (heartbeats, activity reports); with a
 * scheduler address they also hold a Work stream to it (the SDK's default
 * when the scheduler answers on the control plane's address), so the
 * scheduler pushes tasks down it; without one they take unary Execute only.
 *
 *   node --import tsx bench/support/scheduler-workers.ts 4 [--register 127.0.0.1:50051 bench [127.0.0.1:50052]]
 */
import { startWorker, type RunningWorker } from "@orchestrator/worker";
import { pino } from "pino";

const count = Number(process.argv[2] ?? 4);
const register = process.argv[3] === "--register" ? { controlPlane: process.argv[4]!, pool: process.argv[5] ?? "bench", scheduler: process.argv[6] } : undefined;
const logger = pino({ level: "silent" });
// A Map, stamped before anything else: the harness should cost the handler as little as it can (a plain object
// with tens of thousands of keys cost about 5 µs a task, which delayed the later assignments of a burst).
const arrivals = new Map<string, number>();
const workers: RunningWorker[] = [];
for (let i = 1; i <= count; i++) {
  workers.push(
    await startWorker({
      name: `${register?.pool ?? "bench"}-${i}`,
      ...(register ? { controlPlane: register.controlPlane, pool: register.pool, heartbeatIntervalMs: 1000, scheduler: register.scheduler ?? false } : {}),
      logger,
      handler: async (req) => {
        const at = performance.timeOrigin + performance.now();
        if (!arrivals.has(req.workId)) arrivals.set(req.workId, at);
        return null;
      },
    }),
  );
}
process.on("message", (msg) => {
  if (msg === "arrivals") process.send!({ arrivals: Object.fromEntries(arrivals) });
  if (msg === "reset") arrivals.clear();
});
process.stdout.write(`${JSON.stringify({ addresses: workers.map((w) => w.address) })}\n`);
process.once("SIGTERM", () => {
  Promise.all(workers.map((w) => w.close())).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`close failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
});
