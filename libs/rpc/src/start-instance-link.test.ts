import { Code, ConnectError } from "@connectrpc/connect";
import { Activity, allFiles, HealthService, InstanceKind, ProbeMode, type RegisterInstanceRequest } from "@orchestrator/contracts";
import { testLogger, waitFor } from "@orchestrator/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HealthCall, InstanceLink, InstanceLinkOptions } from "./instance-link.js";
import type { RunningServer } from "./running-server.js";
import { startInstanceLink } from "./start-instance-link.js";
import { startServer } from "./start-server.js";
import { createTestLogger } from "./testing/test-logger.js";

/** What the fake health service saw: `<Method> <name>[ <detail>]` per answered call, and how many ran at once. */
const seen = { calls: [] as string[], registrations: [] as RegisterInstanceRequest[], known: new Set<string>(), refused: new Set<string>(), inFlight: 0, maxInFlight: 0 };

/** Answers a call of a known instance a turn of the event loop later, so overlapping calls would show in maxInFlight. */
async function answer(method: string, name: string, detail?: string): Promise<object> {
  seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
  await new Promise((resolve) => setImmediate(resolve));
  seen.inFlight--;
  if (!seen.known.has(name)) throw new ConnectError(`instance "${name}" not found`, Code.NotFound);
  seen.calls.push([method, name, ...(detail ? [detail] : [])].join(" "));
  return {};
}

const callsOf = (name: string): string[] => seen.calls.filter((c) => c.split(" ")[1] === name);
type Send = Parameters<HealthCall>[1];
const report = (name: string, detail: string): Send => (health, signal) => health.reportActivity({ name, activity: Activity.IDLE, detail }, { signal });
const release = (name: string, holder: string): Send => (health, signal) => health.releaseInstance({ name, holder }, { signal });

let server: RunningServer;
const links: InstanceLink[] = [];

/** A link for `name` to the fake, probe mode grpc, with no heartbeat tick unless `overrides` sets an interval. */
function link(name: string, overrides: Partial<InstanceLinkOptions> = {}): InstanceLink {
  const l = startInstanceLink({
    name,
    address: "127.0.0.1:7001",
    kind: InstanceKind.SERVICE,
    probeMode: ProbeMode.GRPC,
    pool: "kites",
    labels: { zone: "eu" },
    controlPlane: server.address,
    heartbeatIntervalMs: 600_000,
    logger: testLogger(),
    ...overrides,
  });
  links.push(l);
  return l;
}

beforeAll(async () => {
  server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: [],
    reflectionFiles: allFiles,
    logger: testLogger(),
    modules: [
      {
        serviceNames: [HealthService.typeName],
        register: (router) =>
          router.service(HealthService, {
            registerInstance: (r) => {
              if (seen.refused.has(r.name)) throw new ConnectError("name refused", Code.InvalidArgument);
              seen.registrations.push(r);
              seen.known.add(r.name);
              seen.calls.push(`RegisterInstance ${r.name}`);
              return {};
            },
            heartbeat: (r) => answer("Heartbeat", r.name),
            reportActivity: (r) => answer("ReportActivity", r.name, r.detail),
            releaseInstance: (r) => {
              if (r.holder === "task:other") throw new ConnectError("held by another", Code.FailedPrecondition);
              return answer("ReleaseInstance", r.name, r.holder);
            },
            deregisterInstance: async (r) => {
              await answer("DeregisterInstance", r.name);
              seen.known.delete(r.name);
              return {};
            },
          }),
      },
    ],
  });
});

afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
});

afterAll(async () => {
  await server?.close();
});

describe("startInstanceLink", () => {
  it("registers with replace=true, its kind, probe mode, address, pool and labels, then runs afterRegister", async () => {
    await link("reg-1", { afterRegister: (call) => call("ReportActivity", report("reg-1", "hello")) }).start();
    expect(seen.registrations.find((r) => r.name === "reg-1")).toMatchObject({
      address: "127.0.0.1:7001",
      kind: InstanceKind.SERVICE,
      probeMode: ProbeMode.GRPC,
      pool: "kites",
      labels: { zone: "eu" },
      replace: true,
    });
    expect(callsOf("reg-1")).toEqual(["RegisterInstance reg-1", "ReportActivity reg-1 hello"]);
  });

  it("heartbeats right after registering when probed by heartbeat", async () => {
    await link("hb-1", { probeMode: ProbeMode.HEARTBEAT, afterRegister: (call) => call("ReportActivity", report("hb-1", "idle")) }).start();
    expect(callsOf("hb-1")).toEqual(["RegisterInstance hb-1", "Heartbeat hb-1", "ReportActivity hb-1 idle"]);
  });

  it("runs queued calls one at a time, in order", async () => {
    const l = link("order-1");
    await l.start();
    seen.maxInFlight = 0;
    const results = await Promise.all([
      l.call("ReportActivity", report("order-1", "1")),
      l.call("ReleaseInstance", release("order-1", "task:a")),
      l.call("ReportActivity", report("order-1", "2")),
      l.call("ReportActivity", report("order-1", "3")),
    ]);
    expect(results).toEqual([true, true, true, true]);
    expect(callsOf("order-1")).toEqual(["RegisterInstance order-1", "ReportActivity order-1 1", "ReleaseInstance order-1 task:a", "ReportActivity order-1 2", "ReportActivity order-1 3"]);
    expect(seen.maxInFlight).toBe(1);
  });

  it("registers again when a heartbeat answers NOT_FOUND, and runs afterRegister again", async () => {
    const l = link("re-1", { heartbeatIntervalMs: 20, afterRegister: (call) => call("ReportActivity", report("re-1", "again")) });
    await l.start();
    await waitFor("a heartbeat", () => callsOf("re-1").includes("Heartbeat re-1"));
    seen.known.delete("re-1");
    await waitFor("a second registration", () => seen.registrations.filter((r) => r.name === "re-1").length === 2);
    await waitFor("the re-report", () => callsOf("re-1").filter((c) => c === "ReportActivity re-1 again").length === 2);
  });

  it("drops failures with an ignored code without a word, and logs the others", async () => {
    const { logger, lines } = createTestLogger();
    const l = link("ign-1", { logger });
    await l.start();
    expect(await l.call("ReleaseInstance", release("ign-1", "task:other"), { ignore: [Code.FailedPrecondition] })).toBe(false);
    expect(lines.filter((line) => line.includes("control-plane call failed"))).toEqual([]);
    expect(await l.call("ReleaseInstance", release("ign-1", "task:other"))).toBe(false);
    expect(lines.filter((line) => line.includes("control-plane call failed") && line.includes("ReleaseInstance"))).toHaveLength(1);
  });

  it("rejects start on a configuration refusal, and starts while the control plane is unreachable", async () => {
    seen.refused.add("bad-1");
    await expect(link("bad-1").start()).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(link("lonely-1", { controlPlane: "127.0.0.1:1" }).start()).resolves.toBeUndefined();
  });

  it("deregister lets queued calls go out first, then removes the instance", async () => {
    const l = link("dereg-1");
    await l.start();
    const queued = l.call("ReportActivity", report("dereg-1", "last"));
    await l.deregister(5000);
    await queued;
    expect(callsOf("dereg-1")).toEqual(["RegisterInstance dereg-1", "ReportActivity dereg-1 last", "DeregisterInstance dereg-1"]);
    expect(seen.known.has("dereg-1")).toBe(false);
    expect(await l.call("ReportActivity", report("dereg-1", "after"))).toBe(false);
  });

  it("deregister counts NOT_FOUND as done; stop keeps the registration", async () => {
    const { logger, lines } = createTestLogger();
    const gone = link("gone-1", { logger });
    await gone.start();
    seen.known.delete("gone-1");
    await gone.deregister(5000);
    expect(lines.filter((line) => line.includes("could not deregister"))).toEqual([]);
    const kept = link("kept-1");
    await kept.start();
    await kept.stop();
    expect(seen.known.has("kept-1")).toBe(true);
  });
});
