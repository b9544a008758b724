import { create, fromJson, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  Activity,
  allFiles,
  HealthService,
  HeartbeatResponseSchema,
  InstanceKind,
  ProbeMode,
  type RegisterInstanceRequest,
  RegisterInstanceResponseSchema,
  ReportActivityResponseSchema,
  WorkerService,
} from "@orchestrator/contracts";
import { createServiceClient, type RunningServer, type ServiceModule, startServer } from "@orchestrator/rpc";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorker } from "./start-worker.js";
import { FakeScheduler } from "./testing/fake-scheduler.js";
import type { RunningWorker, WorkerOptions } from "./worker-options.js";

const logger = pino({ level: "silent" });
const API_KEY = "test-key-0123456789";

/** A stand-in health service that records what workers send. */
class FakeHealthService {
  registrations: RegisterInstanceRequest[] = [];
  heartbeats: string[] = [];
  activities: Array<{ name: string; activity: Activity }> = [];
  known = new Set<string>();
  refuse = new Set<string>();

  /** Forgets every instance, as a control plane whose database was reset. */
  reset(): void {
    this.known.clear();
  }

  module(): ServiceModule {
    return {
      serviceNames: [HealthService.typeName],
      register: (router: ConnectRouter) => {
        router.service(HealthService, {
          registerInstance: (request) => {
            if (this.refuse.has(request.name)) throw new ConnectError("name refused", Code.InvalidArgument);
            this.registrations.push(request);
            this.known.add(request.name);
            return create(RegisterInstanceResponseSchema);
          },
          heartbeat: (request) => {
            if (!this.known.has(request.name)) throw new ConnectError(`instance "${request.name}" not found`, Code.NotFound);
            this.heartbeats.push(request.name);
            return create(HeartbeatResponseSchema);
          },
          reportActivity: (request) => {
            if (!this.known.has(request.name)) throw new ConnectError(`instance "${request.name}" not found`, Code.NotFound);
            this.activities.push({ name: request.name, activity: request.activity });
            return create(ReportActivityResponseSchema);
          },
        });
      },
    };
  }

  activitiesOf(name: string): Activity[] {
    return this.activities.filter((a) => a.name === name).map((a) => a.activity);
  }
}

const fake = new FakeHealthService();
const scheduler = new FakeScheduler();
/** Health and scheduler on one port, as `orchestrator up` serves them. */
let controlPlane: RunningServer;
const workers: RunningWorker[] = [];

async function worker(name: string, handler: WorkerOptions["handler"] = async () => "done", more: Partial<WorkerOptions> = {}): Promise<RunningWorker> {
  const w = await startWorker({
    name,
    pool: "kites",
    labels: { zone: "eu" },
    controlPlane: controlPlane.address,
    apiKey: API_KEY,
    heartbeatIntervalMs: 20,
    handler,
    logger,
    ...more,
  });
  workers.push(w);
  return w;
}

beforeAll(async () => {
  controlPlane = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: [API_KEY],
    modules: [fake.module(), scheduler.module()],
    reflectionFiles: allFiles,
    logger,
  });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

afterAll(async () => {
  await controlPlane?.close();
});

describe("startWorker with a control plane", () => {
  it("registers with replace=true, kind service, probe mode grpc and its address", async () => {
    const w = await worker("reg-1");
    const registration = fake.registrations.find((r) => r.name === "reg-1");
    expect(registration).toMatchObject({
      name: "reg-1",
      address: w.address,
      kind: InstanceKind.SERVICE,
      probeMode: ProbeMode.GRPC,
      pool: "kites",
      labels: { zone: "eu" },
      replace: true,
    });
  });

  it("heartbeats", async () => {
    await worker("hb-1");
    await vi.waitFor(() => expect(fake.heartbeats.filter((n) => n === "hb-1").length).toBeGreaterThanOrEqual(3));
  });

  it("reports busy while an Execute is in flight and idle after it", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const w = await worker("act-1", async () => {
      await gate;
      return "done";
    });
    const client = createServiceClient(WorkerService, { address: w.address, apiKey: API_KEY });
    await vi.waitFor(() => expect(fake.activitiesOf("act-1")).toEqual([Activity.IDLE]));
    const call = client.execute({ workId: "x", payload: fromJson(ValueSchema, null) });
    await vi.waitFor(() => expect(fake.activitiesOf("act-1")).toEqual([Activity.IDLE, Activity.BUSY]));
    release();
    expect((await call).instance).toBe("act-1");
    await vi.waitFor(() => expect(fake.activitiesOf("act-1")).toEqual([Activity.IDLE, Activity.BUSY, Activity.IDLE]));
  });

  it("registers again and re-reports its activity when a heartbeat answers NOT_FOUND", async () => {
    await worker("re-1");
    await vi.waitFor(() => expect(fake.heartbeats).toContain("re-1"));
    fake.reset();
    await vi.waitFor(() => expect(fake.registrations.filter((r) => r.name === "re-1")).toHaveLength(2));
    await vi.waitFor(() => expect(fake.activitiesOf("re-1")).toEqual([Activity.IDLE, Activity.IDLE]));
  });

  it("rejects when the control plane refuses the registration", async () => {
    fake.refuse.add("bad-1");
    await expect(worker("bad-1")).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("starts when the control plane is not reachable yet", async () => {
    const w = await startWorker({
      name: "lonely-1",
      controlPlane: "127.0.0.1:1",
      heartbeatIntervalMs: 20,
      handler: async () => "alone",
      logger,
    });
    workers.push(w);
    const response = await createServiceClient(WorkerService, { address: w.address }).execute({});
    expect(response.instance).toBe("lonely-1");
  });

  it("stops heartbeating on close and keeps the registration", async () => {
    const w = await worker("close-1");
    await vi.waitFor(() => expect(fake.heartbeats).toContain("close-1"));
    await w.close();
    // A heartbeat aborted by close() may still reach the server: let those land
    // (three heartbeats of another worker), then count, then watch three more.
    const beats = (name: string) => fake.heartbeats.filter((n) => n === name).length;
    await worker("close-2");
    await vi.waitFor(() => expect(beats("close-2")).toBeGreaterThanOrEqual(3));
    const count = beats("close-1");
    const later = beats("close-2") + 3;
    await vi.waitFor(() => expect(beats("close-2")).toBeGreaterThanOrEqual(later));
    expect(beats("close-1")).toBe(count);
    expect(fake.known.has("close-1")).toBe(true);
  });
});

describe("startWorker's Work stream", () => {
  it("opens after registering, on the control plane's port by default: hello with its name and slots, tasks through its handler", async () => {
    await worker("ws-1", async (request) => ({ ran: request.workId }), { slots: 4 });
    const stream = await scheduler.streamOf("ws-1");
    expect(stream.hello?.slots).toBe(4);
    expect(fake.registrations.some((r) => r.name === "ws-1")).toBe(true);
    stream.assign("d1", null);
    const result = (await stream.result("d1")).outcome;
    expect(result.case === "result" && toJson(ValueSchema, result.value)).toEqual({ ran: "task-d1" });
    await vi.waitFor(() => expect(fake.activitiesOf("ws-1")).toEqual([Activity.IDLE, Activity.BUSY, Activity.IDLE]));
  });

  it("holds none with scheduler: false", async () => {
    await worker("ws-2", undefined, { scheduler: false });
    await vi.waitFor(() => expect(fake.heartbeats.filter((n) => n === "ws-2").length).toBeGreaterThanOrEqual(3));
    expect(scheduler.streams.some((s) => s.hello?.instance === "ws-2")).toBe(false);
  });

  it("close() lets the stream's tasks finish and answer, then ends the stream", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (arrived = resolve));
    const w = await worker("ws-3", async () => {
      arrived();
      await gate;
      return "finished";
    });
    const stream = await scheduler.streamOf("ws-3");
    stream.assign("d2", null);
    await running;
    const closed = w.close();
    release();
    await closed;
    expect((await stream.result("d2")).outcome.case).toBe("result");
    expect(stream.halfClosed).toBe(true);
  });

  it("rejects slots outside 1-10000", async () => {
    await expect(worker("ws-4", undefined, { slots: 0 })).rejects.toThrow(RangeError);
  });
});
