import { hostname } from "node:os";
import type { SchedulerConfig } from "@orchestrator/config";
import { SchedulerService } from "@orchestrator/contracts";
import type { DatabaseHandle } from "@orchestrator/db";
import type { ServiceModule } from "@orchestrator/rpc";
import type { Logger } from "pino";
import { findContextsOnDownInstance } from "./dispatch/context-sweeps.js";
import { DispatchService } from "./dispatch/dispatch.service.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import { InflightCalls } from "./dispatch/inflight-calls.js";
import { WorkerReports } from "./dispatch/worker-reports.js";
import { CoordinatorRelay } from "./dispatch/coordinator-relay.js";
import { SchedulerEvents } from "./events/scheduler-events.js";
import { GateNotifier } from "./gates/gate-notifier.js";
import { GateService } from "./gates/gate.service.js";
import { createSchedulerServiceHandler } from "./handlers/scheduler-service.handler.js";
import { Housekeeper } from "./replicas/housekeeper.js";
import { ResetService } from "./reset/reset.service.js";
import { Decomposer } from "./runs/decomposer.js";
import { RunDriver } from "./runs/run-driver.js";
import { RunSupervisor } from "./runs/run-supervisor.js";
import { RunService } from "./runs/run.service.js";
import { DeadlineTimer } from "./shared/deadline-timer.js";
import { newId } from "./shared/new-id.js";
import type { SchedulerObserver } from "./shared/scheduler-observer.js";
import { createServiceClients } from "./shared/service-clients.js";
import { PoolAllocator } from "./dispatch/pool-allocator.js";
import { TaskService } from "./tasks/task.service.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";
import { createRouting, type Routing, type RoutingSettings } from "@orchestrator/routing";
import { defaultRouterConfig } from "@orchestrator/config";
import { WorkerService } from "@orchestrator/contracts";
import { WorkerStreams } from "./dispatch/worker-streams.js";

/** What the scheduler is built from. */
export interface SchedulerModuleOptions {
  /** A migrated database. */
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Where the health service answers (instance kinds and health); read from start() on. */
  readonly healthAddress: () => string;
  /** Where the router answers (run decomposition is routed through it). */
  readonly routerAddress: () => string;
  /** Where the mailbox answers (dispatch messages to agents, their reports, gate messages). */
  readonly mailboxAddress: () => string;
  /** Key sent to those services. */
  readonly apiKey: string | undefined;
  readonly config: SchedulerConfig;
  /**
   * Attempt, deadline and outlier-ejection settings of direct delivery to
   * service instances (libs/routing, as the router uses them).
   * @default defaultRouterConfig()
   */
  readonly routing?: RoutingSettings;
  /** This replica's id in leases and dispatch contexts. @default `<hostname>-<pid>-<random>` */
  readonly replicaId?: string;
  /**
   * How long a clean shutdown waits for in-flight dispatches to answer
   * before aborting them (they are then taken over by another replica).
   * @default 5000
   */
  readonly drainMs?: number;
  /** Progress hooks (metrics, benchmarks). */
  readonly observer?: SchedulerObserver;
}

/** The scheduler as a module a server hosts, plus its parts for in-process use and tests. */
export interface SchedulerModule extends ServiceModule {
  readonly replicaId: string;
  readonly tasks: TaskService;
  readonly dispatches: DispatchService;
  readonly gates: GateService;
  readonly runs: RunService;
  readonly supervisor: RunSupervisor;
  readonly inflight: InflightCalls;
  /** The instance view (libs/routing) the health service's WatchHealth stream feeds: dispatch selects from it. */
  readonly directory: Routing["view"];
  /** Work streams workers hold to this replica (WorkerService/Work). */
  readonly streams: WorkerStreams;
}

/**
 * Builds orchestrator.scheduler.v1.SchedulerService: tasks, dispatch
 * (router for services, mailbox for agents), gates, runs and their drivers,
 * the one LISTEN, the instance view of libs/routing (one WatchHealth), the worker
 * report stream (one Subscribe), and the lease timer. Background parts
 * start with the server and stop before it closes: drivers stop claiming,
 * in-flight dispatches get `drainMs` to answer, leases are released so
 * another replica takes the runs over at once.
 */
export function createSchedulerModule(options: SchedulerModuleOptions): SchedulerModule {
  const { database, logger, config } = options;
  const db = database.db;
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${newId("s").slice(2)}`;
  const log = logger.child({ replica: replicaId });
  const background = new RepeatedFailureLog(log);
  const events = new SchedulerEvents(database, log);
  const clients = createServiceClients({ router: options.routerAddress, mailbox: options.mailboxAddress, health: options.healthAddress }, options.apiKey);
  // Service instances are called directly (one hop) with the router's own policy, over one instance view.
  const routing = createRouting({
    healthClient: clients.health,
    apiKey: options.apiKey,
    settings: options.routing ?? defaultRouterConfig(),
    logger: log,
    syncTimeoutMs: 5000,
  });
  const directory = routing.view;
  const streams = new WorkerStreams(log);
  const inflight = new InflightCalls();
  const dispatcher = new Dispatcher({ db, config, owner: replicaId, routing, streams, inflight, clients, logger: log });
  const dispatches = new DispatchService(db, dispatcher, new PoolAllocator(clients, log), log);
  const notifier = new GateNotifier(db, clients, config.handle, log);
  const relay = new CoordinatorRelay(clients, log);
  let gates: GateService;
  const gateTimer = new DeadlineTimer(
    async () => {
      await gates.timeOutDue();
      return gates.nextDeadline();
    },
    (err) => background.failed("gate deadline check", err),
    config.leaseMs,
  );
  gates = new GateService(db, notifier, config.gateHandle, (at) => gateTimer.schedule(at));
  const decomposer = new Decomposer(clients, config.decomposer, config.decomposeTimeoutMs);
  const supervisor = new RunSupervisor({
    db,
    owner: replicaId,
    leaseMs: config.leaseMs,
    createDriver: (runId, onExit) => new RunDriver(runId, {
        db,
        owner: replicaId,
        dispatcher,
        decomposer,
        logger: log,
        onExit,
        fallbackSink: dispatches.sink,
        ...(options.observer ? { observer: options.observer } : {}),
      }),
    logger: log,
  });
  const runs = new RunService(db, config, replicaId, supervisor, decomposer, events);
  const reset = new ResetService(db, clients);
  const housekeeper = new Housekeeper({
    db,
    owner: replicaId,
    leaseMs: config.leaseMs,
    supervisor,
    settle: (outcomes) => dispatches.settle(outcomes),
    onPresumedDead: () => inflight.abortAll("this replica was presumed dead"),
    outcomesRecorded: () => dispatches.idle(),
    logger: log,
  });
  const reports = new WorkerReports({
    db,
    clients,
    handle: config.handle,
    gates,
    onRetry: (tasks) => {
      dispatches.retry(tasks).catch((err: unknown) => background.failed("re-dispatch", err));
    },
    onGate: (gate) => {
      notifier.notify(gate, "");
      if (gate.deadlineAt) gateTimer.schedule(gate.deadlineAt);
    },
    onCoordinatedEscalation: (message, coordinator, about) => relay.relay(message, coordinator, about),
    logger: log,
  });
  const unsubscribers: Array<() => void> = [];

  const wire = () => {
    unsubscribers.push(
      events.subscribe((n) => {
        switch (n.k) {
          case "runs":
            for (const id of n.ids) if (n.by !== `${replicaId}/${id}`) supervisor.driver(id)?.wake();
            break;
          case "closed":
            if (n.ids) inflight.abortContexts(n.ids, "dispatch closed");
            else if (n.run) inflight.abortRun(n.run, "run stopped");
            else inflight.abortAll("dispatches closed");
            break;
          case "gate":
            gateTimer.schedule(new Date(n.at));
            break;
          case "replicas":
            housekeeper.tickSoon();
            break;
          case "reset":
            inflight.abortAll("scheduler reset");
            supervisor.wakeAll();
            break;
        }
      }),
      events.onResync(() => {
        supervisor.wakeAll();
        housekeeper.tickSoon();
        gateTimer.schedule(new Date());
      }),
      directory.onChange((before, after) => {
        if (after?.health === "down" && before?.health !== "down") {
          void findContextsOnDownInstance(db, after.name)
            .then((outcomes) => (outcomes.length > 0 ? dispatches.settle(outcomes) : undefined))
            .catch((err: unknown) => background.failed("timing out dispatches of a down instance", err, { instance: after.name }));
        }
        if (after && after.health !== "down" && before?.health !== after.health) supervisor.wakeAll();
        else supervisor.wakeWaiting(); // e.g. an instance became idle, for runs targeting @idle
      }),
    );
  };

  return {
    serviceNames: [SchedulerService.typeName],
    replicaId,
    tasks: new TaskService(db),
    dispatches,
    gates,
    runs,
    supervisor,
    inflight,
    directory,
    streams,
    register(router) {
      router.service(SchedulerService, createSchedulerServiceHandler({ tasks: this.tasks, dispatches, gates, runs, reset }));
      // Workers hold their Work stream here; Execute is the instances' own (UNIMPLEMENTED here).
      router.service(WorkerService, { work: (requests, ctx) => streams.serve(requests, ctx.signal) });
    },
    async start() {
      wire();
      await events.start();
      routing.start();
      await directory.whenReady(5000);
      await housekeeper.start();
      gateTimer.schedule(await gates.nextDeadline());
      reports.start();
    },
    async stop() {
      dispatches.stopRetrying();
      await supervisor.drain();
      await inflight.idle(options.drainMs ?? 5000);
      inflight.abortAll("scheduler shutting down");
      await supervisor.stopAll(true);
      streams.closeAll();
      await dispatches.idle();
      await reports.stop();
      await gateTimer.stop();
      await housekeeper.stop();
      await notifier.idle();
      await relay.idle();
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      await routing.stop();
      await events.stop();
    },
  };
}
