import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import { rpcStatus, WorkerService } from "@orchestrator/contracts";
import { DomainError } from "@orchestrator/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_LIMITS } from "./bound-connect-error.js";
import { createErrorInterceptor } from "./create-error-interceptor.js";
import { createServiceClient } from "./create-service-client.js";
import { errorReason } from "./error-reason.js";
import { fieldViolations } from "./field-violations.js";
import type { ServiceModule } from "./service-module.js";
import { callError } from "./testing/call-error.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";
import { createTestLogger } from "./testing/test-logger.js";

/** Errors as pg, pg-pool and Postgres raise them while the database restarts or is gone. */
const UNREACHABLE: ReadonlyArray<[string, () => unknown]> = [
  ["connection refused", () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
  ["connection reset", () => Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
  ["both addresses refused", () => Object.assign(new AggregateError([Object.assign(new Error("refused"), { code: "ECONNREFUSED" })], ""), {})],
  ["shutting down (57P01)", () => Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })],
  ["starting up (57P03)", () => Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
  ["connection terminated", () => new Error("Connection terminated unexpectedly")],
  ["pool timeout", () => new Error("timeout exceeded when trying to connect")],
  ["PGlite closed", () => new Error("PGlite is closed")],
];

function throwing(make: () => unknown) {
  const { logger, lines } = createTestLogger();
  const transport = createRouterTransport(
    (router) =>
      router.service(WorkerService, {
        execute() {
          throw make();
        },
      }),
    { router: { interceptors: [createErrorInterceptor(logger)] } },
  );
  return { client: createClient(WorkerService, transport), lines };
}

describe("database errors at the RPC edge", () => {
  it.each(UNREACHABLE)("%s is UNAVAILABLE database_unavailable, never INTERNAL", async (_name, make) => {
    const { client } = throwing(make);
    const err = await callError(client.execute({}));
    expect(err.code).toBe(Code.Unavailable);
    expect(errorReason(err)).toBe("database_unavailable");
    expect(err.rawMessage).toBe("the database is unavailable; retry later");
  });

  it.each(["40001", "40P01"])("a conflict (%s) that reached the edge is ABORTED transaction_conflict", async (code) => {
    const { client } = throwing(() => Object.assign(new Error("could not serialize access"), { code }));
    const err = await callError(client.execute({}));
    expect(err.code).toBe(Code.Aborted);
    expect(errorReason(err)).toBe("transaction_conflict");
  });

  it("an outage is logged once, without a stack, not once per call", async () => {
    const { client, lines } = throwing(() => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
    for (let i = 0; i < 50; i++) await callError(client.execute({}));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("RPCs needing the database failed: connect ECONNREFUSED 127.0.0.1:5432 (repeats are summarised)");
    expect(lines[0]).not.toContain("    at ");
  });
});

describe("every error leaves capped in size", () => {
  let t: TestServer;
  const huge = "x".repeat(100_000);
  const module: ServiceModule = {
    serviceNames: [],
    register(router) {
      router.service(WorkerService, {
        execute() {
          const violations = Array.from({ length: 500 }, (_, i) => ({ field: `tasks[${i}].deps`, description: huge }));
          throw new DomainError("invalid_argument", "dependency_cycle", `tasks: ${huge}`, { cycle: huge }, violations);
        },
      });
    },
  };
  beforeAll(async () => {
    t = await startTestServer({ modules: [module] });
  });
  afterAll(() => t.server.close());

  it.each(["grpc", "connect", "grpc-web"] as const)("a 100 kB message with 500 violations reaches a %s client as INVALID_ARGUMENT, bounded", async (protocol) => {
    const client = createServiceClient(WorkerService, { address: t.server.address, protocol });
    const err = await callError(client.execute({}));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(errorReason(err)).toBe("dependency_cycle");
    expect(err.rawMessage.length).toBeLessThanOrEqual(ERROR_LIMITS.messageChars);
    const violations = fieldViolations(err);
    expect(violations).toHaveLength(ERROR_LIMITS.violations + 1);
    expect(violations.at(-1)?.description).toBe(`and ${500 - ERROR_LIMITS.violations} more violations`);
    expect(violations[0]!.description.length).toBeLessThanOrEqual(ERROR_LIMITS.valueChars);
    expect(err.findDetails(rpcStatus.ErrorInfoSchema)[0]?.metadata.cycle?.length).toBeLessThanOrEqual(ERROR_LIMITS.valueChars);
  });
});
