import { allFiles } from "@orchestrator/contracts";
import { startServer } from "@orchestrator/rpc";
import { createActivityTracker } from "./activity-tracker.js";
import { createWorkerModule } from "./create-worker-module.js";
import { openWorkStream, type WorkStream } from "./open-work-stream.js";
import { type Registration, startRegistration } from "./start-registration.js";
import type { RunningWorker, WorkerOptions } from "./worker-options.js";

const DEFAULT_SLOTS = 16;
const MAX_SLOTS = 10_000;

/**
 * Starts an instance: serves WorkerService, grpc.health.v1 and reflection on
 * one port; when `controlPlane` is set, registers with it (RegisterInstance
 * replace=true, kind service, probe mode grpc), heartbeats, reports activity
 * (busy while any task is in flight, idle once none was for 100 ms), and
 * registers again if a heartbeat answers NOT_FOUND (control plane reset).
 * After its first registration it also holds a Work stream to `scheduler`
 * (default: the control plane's address) and runs the tasks pushed down it
 * through the same handler, `slots` at a time (see openWorkStream); unary
 * Execute keeps working beside it.
 *
 * Resolves once the server listens and the first registration was tried;
 * rejects if the server cannot start, `slots` is not an integer from 1 to
 * 10000, or the control plane refuses the configuration (bad key, invalid
 * name). close() closes the Work stream (tasks in flight finish and answer),
 * stops heartbeats and closes the server; the registration stays, so the
 * health service sees it down.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const slots = options.slots ?? DEFAULT_SLOTS;
  if (!Number.isInteger(slots) || slots < 1 || slots > MAX_SLOTS) {
    throw new RangeError(`slots must be an integer from 1 to ${MAX_SLOTS}, got ${slots}`);
  }
  const logger = options.logger.child({ instance: options.name });
  const scheduler = options.scheduler === false ? undefined : (options.scheduler ?? options.controlPlane);
  let registration: Registration | undefined;
  let stream: WorkStream | undefined;
  let closing: Promise<void> | undefined;
  const tracker = createActivityTracker((activity) => registration?.reportActivity(activity));
  const server = await startServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    apiKeys: options.serverApiKeys ?? (options.apiKey ? [options.apiKey] : []),
    modules: [createWorkerModule({ name: options.name, handler: options.handler, tracker })],
    reflectionFiles: allFiles,
    logger,
  });
  // The scheduler pushes only to registered instances: the stream opens after the first registration.
  const openStream = () => {
    if (stream || closing || !scheduler) return;
    stream = openWorkStream({ address: scheduler, apiKey: options.apiKey, instance: options.name, slots, handler: options.handler, tracker, logger });
  };
  if (options.controlPlane) {
    registration = startRegistration({
      name: options.name,
      address: options.advertiseAddress ?? server.address,
      pool: options.pool ?? "default",
      labels: options.labels ?? {},
      controlPlane: options.controlPlane,
      apiKey: options.apiKey,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
      activity: () => tracker.current,
      onRegistered: openStream,
      logger,
    });
    try {
      await registration.start();
    } catch (error) {
      await stream?.close();
      await registration.stop();
      await server.close();
      throw error;
    }
  }
  logger.info({ address: server.address, controlPlane: options.controlPlane ?? null, scheduler: options.controlPlane ? (scheduler ?? null) : null }, "worker started");
  return {
    name: options.name,
    address: server.address,
    close() {
      closing ??= (async () => {
        await stream?.close();
        await registration?.stop();
        await server.close();
      })();
      return closing;
    },
  };
}
