/**
 * Bench helper (not a bench itself): starts N unregistered workers in this
 * process, each answering Execute with its payload, and prints their
 * addresses as one JSON line on stdout. Run by bench/router.ts as a child
 * process, so workers do not share the bench client's event loop.
 *
 *   node --import tsx bench/support/echo-workers.ts 8
 */
import { startWorker, type RunningWorker } from "@orchestrator/worker";
import { pino } from "pino";

const count = Number(process.argv[2] ?? 1);
const logger = pino({ level: "silent" });
const workers: RunningWorker[] = [];
for (let i = 1; i <= count; i++) {
  workers.push(await startWorker({ name: `W${i}`, handler: async (_req, ctx) => ctx.payload, logger }));
}
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
