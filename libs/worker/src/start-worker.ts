import { allFiles } from "@orchestrator/contracts";
import { startServer } from "@orchestrator/rpc";
import { createActivityTracker } from "./activity-tracker.js";
import { createWorkerModule } from "./create-worker-module.js";
import { type Registration, startRegistration } from "./start-registration.js";
import type { RunningWorker, WorkerOptions } from "./worker-options.js";

/**
 * Starts an instance: serves WorkerService, grpc.health.v1 and reflection on
 * one port; when `controlPlane` is set, registers with it (RegisterInstance
 * replace=true, kind service, probe mode grpc), heartbeats, reports activity
 * busy while any Execute is in flight and idle when none, and registers again
 * if a heartbeat answers NOT_FOUND (control plane reset).
 *
 * Resolves once the server listens and the first registration was tried;
 * rejects if the server cannot start or the control plane refuses the
 * configuration (bad key, invalid name). close() stops heartbeats and closes
 * the server; the registration stays, so the health service sees it down.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const logger = options.logger.child({ instance: options.name });
  let registration: Registration | undefined;
  const tracker = createActivityTracker((activity) => registration?.reportActivity(activity));
  const server = await startServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    apiKeys: options.serverApiKeys ?? (options.apiKey ? [options.apiKey] : []),
    modules: [createWorkerModule({ name: options.name, handler: options.handler, tracker })],
    reflectionFiles: allFiles,
    logger,
  });
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
      logger,
    });
    try {
      await registration.start();
    } catch (error) {
      await registration.stop();
      await server.close();
      throw error;
    }
  }
  logger.info({ address: server.address, controlPlane: options.controlPlane ?? null }, "worker started");
  let closing: Promise<void> | undefined;
  return {
    name: options.name,
    address: server.address,
    close() {
      closing ??= (async () => {
        await registration?.stop();
        await server.close();
      })();
      return closing;
    },
  };
}
