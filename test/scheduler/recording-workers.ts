import type { JsonValue } from "@bufbuild/protobuf";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { testLogger, waitFor } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker } from "@orchestrator/worker";

/** One Execute a recording worker saw. */
export interface Execution {
  readonly instance: string;
  readonly workId: string;
  readonly attempt: number;
  readonly startedAt: number;
  endedAt?: number;
  outcome?: "ok" | "error";
}

/** Demo workers in this process that record every Execute (the worker side of "exactly once"). */
export interface RecordingWorkers {
  readonly executions: Execution[];
  /** Executions of a work id (a task id) that answered a result. */
  succeeded(workId: string): Execution[];
  close(): Promise<void>;
}

/**
 * Starts demo workers (createDemoHandler: `{"demo":{"delayMs":N}}`,
 * `{"demo":{"fail":N}}`, ...) registered with the health service at
 * `controlPlane`, each recording what it executed, and waits until the
 * health service sees them healthy.
 */
export async function startRecordingWorkers(controlPlane: string, names: readonly string[], pool: string): Promise<RecordingWorkers> {
  const executions: Execution[] = [];
  const workers: RunningWorker[] = [];
  for (const name of names) {
    const demo = createDemoHandler({ instance: name });
    workers.push(
      await startWorker({
        name,
        pool,
        controlPlane,
        heartbeatIntervalMs: 500,
        logger: testLogger(),
        handler: async (request, context): Promise<JsonValue> => {
          const execution: Execution = { instance: name, workId: request.workId, attempt: request.attempt, startedAt: performance.now() };
          executions.push(execution);
          try {
            const result = await demo(request, context);
            execution.outcome = "ok";
            return result;
          } catch (err) {
            execution.outcome = "error";
            throw err;
          } finally {
            execution.endedAt = performance.now();
          }
        },
      }),
    );
  }
  const health = createServiceClient(HealthService, { address: controlPlane, timeoutMs: 5000 });
  await waitFor(`${names.join(", ")} healthy`, async () => {
    const { statuses } = await health.checkHealth({ instances: [...names] });
    return names.every((n) => statuses[n] === "healthy");
  }, { timeoutMs: 60_000, intervalMs: 50 });
  return {
    executions,
    succeeded: (workId) => executions.filter((e) => e.workId === workId && e.outcome === "ok"),
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
