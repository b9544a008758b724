import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { HealthService } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { createRetryInterceptor } from "./create-retry-interceptor.js";
import { callError } from "./testing/call-error.js";

/** A HealthService whose CheckHealth (NO_SIDE_EFFECTS) and RegisterInstance (a write) fail UNAVAILABLE `failures` times. */
function flaky(failures: number, code = Code.Unavailable) {
  const calls = { checkHealth: 0, registerInstance: 0 };
  const transport = createRouterTransport(
    (router) =>
      router.service(HealthService, {
        checkHealth() {
          if (++calls.checkHealth <= failures) throw new ConnectError("the database is unavailable; retry later", code);
          return { statuses: { A: "healthy" } };
        },
        registerInstance() {
          if (++calls.registerInstance <= failures) throw new ConnectError("the database is unavailable; retry later", code);
          return {};
        },
      }),
    { transport: { interceptors: [createRetryInterceptor({ initialDelayMs: 5, maxDelayMs: 20 })] } },
  );
  return { client: createClient(HealthService, transport), calls };
}

describe("createRetryInterceptor", () => {
  it("retries an idempotent call answered UNAVAILABLE, with backoff, until it succeeds", async () => {
    const { client, calls } = flaky(2);
    expect((await client.checkHealth({ instances: ["A"] })).statuses).toEqual({ A: "healthy" });
    expect(calls.checkHealth).toBe(3);
  });

  it("gives up after maxAttempts with the last UNAVAILABLE", async () => {
    const { client, calls } = flaky(10);
    expect((await callError(client.checkHealth({}))).code).toBe(Code.Unavailable);
    expect(calls.checkHealth).toBe(4);
  });

  it("never repeats a call that is not declared idempotent (it could happen twice)", async () => {
    const { client, calls } = flaky(1);
    expect((await callError(client.registerInstance({ name: "A", address: "127.0.0.1:1" }))).code).toBe(Code.Unavailable);
    expect(calls.registerInstance).toBe(1);
  });

  it("does not retry other codes", async () => {
    const { client, calls } = flaky(1, Code.InvalidArgument);
    expect((await callError(client.checkHealth({}))).code).toBe(Code.InvalidArgument);
    expect(calls.checkHealth).toBe(1);
  });
});
