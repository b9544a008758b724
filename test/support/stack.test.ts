import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startStack, type Stack } from "./start-stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ services: ["health"] });
});
afterAll(() => stack.close());

it("composes the services on one port with a health address that points at itself", async () => {
  const client = createServiceClient(HealthService, { address: stack.address });
  await client.registerInstance({ name: "X", address: "127.0.0.1:1" });
  expect((await client.listInstances({})).instances.map((i) => i.name)).toEqual(["X"]);
});
