import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { allFiles, AgentService, HealthService, InstanceKind, InstanceSchema, OutputLineSchema, type Instance } from "@orchestrator/contracts";
import { createServiceClient, startServer, type RunningServer, type ServiceModule } from "@orchestrator/rpc";
import { testLogger } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_HEADER, createAgentRelayModule } from "./agent-relay-module.js";

/**
 * The relay against real servers: a fake registry (HealthService
 * GetInstance) and a fake agent runner (AgentService) on one port, the
 * relay on another, called as the browser calls it.
 */
let fakes: RunningServer;
let relay: RunningServer;
const instances = new Map<string, Instance>();

function fakeModule(): ServiceModule {
  return {
    serviceNames: [HealthService.typeName, AgentService.typeName],
    register(router) {
      router.service(HealthService, {
        getInstance(req) {
          const instance = instances.get(req.name);
          if (!instance) throw new ConnectError(`instance "${req.name}" not found`, Code.NotFound);
          return { instance };
        },
      });
      router.service(AgentService, {
        async *tailOutput(req, ctx) {
          yield { lines: [create(OutputLineSchema, { seq: 1n, stream: "stdout", text: `last ${req.lines}` })] };
          if (!req.follow) return;
          yield { lines: [create(OutputLineSchema, { seq: 2n, stream: "stdout", text: "live line" })] };
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        },
        getAgentStatus() {
          return { name: "kite-1", activity: "idle" };
        },
      });
    },
  };
}

beforeAll(async () => {
  const common = { host: "127.0.0.1", port: 0, apiKeys: [], reflectionFiles: allFiles, logger: testLogger(), drainTimeoutMs: 500 };
  fakes = await startServer({ ...common, modules: [fakeModule()] });
  instances.set("kite-1", create(InstanceSchema, { name: "kite-1", kind: InstanceKind.AGENT, address: fakes.address }));
  instances.set("A", create(InstanceSchema, { name: "A", kind: InstanceKind.SERVICE, address: "127.0.0.1:9" }));
  relay = await startServer({ ...common, modules: [createAgentRelayModule({ healthAddress: () => fakes.address })] });
});

afterAll(async () => {
  await relay?.close();
  await fakes?.close();
});

describe("createAgentRelayModule", () => {
  const client = () => createServiceClient(AgentService, { address: relay.address, protocol: "connect", timeoutMs: 10_000 });

  it("relays TailOutput (follow) to the agent named in the header, and ends with the caller", async () => {
    const abort = new AbortController();
    const texts: string[] = [];
    await expect(
      (async () => {
        for await (const res of client().tailOutput({ lines: 7, follow: true }, { headers: { [AGENT_HEADER]: "kite-1" }, signal: abort.signal })) {
          texts.push(...res.lines.map((l) => l.text));
          if (texts.length === 2) abort.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: Code.Canceled });
    expect(texts).toEqual(["last 7", "live line"]);
  });

  it("relays GetAgentStatus", async () => {
    expect(await client().getAgentStatus({}, { headers: { [AGENT_HEADER]: "kite-1" } })).toMatchObject({ name: "kite-1", activity: "idle" });
  });

  it("refuses a call without an agent, an instance that is no agent, and an unknown one", async () => {
    const fail = (headers: Record<string, string>) => client().getAgentStatus({}, { headers }).then(() => undefined, (err: unknown) => ConnectError.from(err));
    const missing = await fail({});
    expect(missing?.code).toBe(Code.InvalidArgument);
    expect(missing?.rawMessage).toContain(AGENT_HEADER);
    const service = await fail({ [AGENT_HEADER]: "A" });
    expect(service?.code).toBe(Code.FailedPrecondition);
    expect(service?.rawMessage).toContain("A is not an agent runner");
    const unknown = await fail({ [AGENT_HEADER]: "nobody" });
    expect(unknown?.code).toBe(Code.NotFound);
    expect(unknown?.rawMessage).toBe('instance "nobody" not found');
  });
});
