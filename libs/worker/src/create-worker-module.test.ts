import { fromJson, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { WorkerService } from "@orchestrator/contracts";
import { describe, expect, it, vi } from "vitest";
import { createActivityTracker, type WorkActivity } from "./activity-tracker.js";
import { createWorkerModule } from "./create-worker-module.js";
import type { WorkHandler } from "./worker-options.js";

function setup(handler: WorkHandler) {
  const activity: WorkActivity[] = [];
  const tracker = createActivityTracker((a) => activity.push(a));
  const module = createWorkerModule({ name: "A", handler, tracker });
  const client = createClient(WorkerService, createRouterTransport((router) => module.register(router)));
  return { activity, client, module };
}

describe("createWorkerModule", () => {
  it("declares WorkerService", () => {
    expect(setup(async () => null).module.serviceNames).toEqual(["orchestrator.worker.v1.WorkerService"]);
  });

  it("hands the handler the payload as JSON and answers its result and name", async () => {
    const { client } = setup(async (request, context) => ({ got: context.payload, work: request.workId, by: context.instance }));
    const response = await client.execute({ workId: "w1", payload: fromJson(ValueSchema, { n: [1, "two", null] }) });
    expect(response.instance).toBe("A");
    expect(toJson(ValueSchema, response.result!)).toEqual({ got: { n: [1, "two", null] }, work: "w1", by: "A" });
  });

  it("reads an absent payload as null and an undefined result as null", async () => {
    const { client } = setup(async (_request, context) => (context.payload === null ? (undefined as never) : "not null"));
    const response = await client.execute({});
    expect(toJson(ValueSchema, response.result!)).toBeNull();
  });

  it("is busy while the handler runs and idle after, also when it fails", async () => {
    let seenDuring: WorkActivity[] = [];
    const { activity, client } = setup(async () => {
      seenDuring = [...activity];
      throw new ConnectError("nope", Code.ResourceExhausted);
    });
    await expect(client.execute({})).rejects.toMatchObject({ code: Code.ResourceExhausted });
    expect(seenDuring).toEqual(["busy"]);
    await vi.waitFor(() => expect(activity).toEqual(["busy", "idle"]));
  });
});
