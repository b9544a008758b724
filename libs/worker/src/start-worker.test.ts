import { create, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { type ExecuteResponse, grpcHealth, WorkerService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDemoHandler } from "./demo/create-demo-handler.js";
import type { DemoStats } from "./demo/demo-stats.js";
import { startWorker } from "./start-worker.js";
import type { RunningWorker, WorkHandler } from "./worker-options.js";

const logger = pino({ level: "silent" });
const demo = createDemoHandler();
/** Resolvers waiting for the next call to reach the handler. */
const arrivals: Array<() => void> = [];
const handler: WorkHandler = (request, context) => {
  arrivals.shift()?.();
  return demo(request, context);
};
const nextArrival = () => new Promise<void>((resolve) => arrivals.push(resolve));

let worker: RunningWorker;
let client: ReturnType<typeof createServiceClient<typeof WorkerService>>;

function execute(payload: JsonValue, o: { workId?: string; timeoutMs?: number; signal?: AbortSignal } = {}) {
  return client.execute(
    { workId: o.workId ?? "w", attempt: 1, payload: fromJson(ValueSchema, payload) },
    { timeoutMs: o.timeoutMs, signal: o.signal },
  );
}

function result(response: ExecuteResponse): JsonValue {
  return toJson(ValueSchema, response.result ?? create(ValueSchema));
}

async function failure(run: Promise<unknown>): Promise<ConnectError> {
  try {
    await run;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected a failure");
}

/** The worker's demo stats, asked over RPC as a test in another process would. */
async function stats(): Promise<DemoStats> {
  return result(await execute({ demo: { stats: true } })) as unknown as DemoStats;
}

beforeAll(async () => {
  worker = await startWorker({ name: "A", handler, logger });
  client = createServiceClient(WorkerService, { address: worker.address, protocol: "connect" });
});

afterAll(async () => {
  await worker?.close();
});

describe("startWorker without a control plane", () => {
  it("answers Execute with the handler's result and its name", async () => {
    const response = await execute({ data: "task" });
    expect(response.instance).toBe("A");
    expect(result(response)).toEqual({ instance: "A", echo: { data: "task" }, attempt: 1 });
    expect(worker.name).toBe("A");
    expect(worker.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("fails the first 2 calls of a key, then succeeds", async () => {
    const payload = { demo: { fail: 2, key: "rpc-k1", code: "unavailable" } };
    expect((await failure(execute(payload))).code).toBe(Code.Unavailable);
    expect((await failure(execute({ demo: { fail: 2, key: "rpc-k2" } }))).code).toBe(Code.Unavailable);
    expect((await failure(execute(payload))).code).toBe(Code.Unavailable);
    expect(result(await execute(payload))).toMatchObject({ instance: "A", echo: payload });
  });

  it("cancels a delay when the client deadline passes", async () => {
    const before = await stats();
    const error = await failure(execute({ demo: { delayMs: 60_000 } }, { timeoutMs: 200 }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    await vi.waitFor(async () => expect((await stats()).cancelled).toBe(before.cancelled + 1));
  });

  it("stops a hanging call when the client aborts", async () => {
    const before = await stats();
    const controller = new AbortController();
    const arrived = nextArrival();
    const pending = failure(execute({ demo: { hang: true } }, { signal: controller.signal }));
    await arrived;
    controller.abort();
    expect((await pending).code).toBe(Code.Canceled);
    await vi.waitFor(async () => expect((await stats()).cancelled).toBe(before.cancelled + 1));
  });

  it("serves grpc.health.v1 Check as SERVING", async () => {
    const health = createServiceClient(grpcHealth.Health, { address: worker.address });
    const response = await health.check({ service: "" });
    expect(response.status).toBe(grpcHealth.HealthCheckResponse_ServingStatus.SERVING);
  });
});
