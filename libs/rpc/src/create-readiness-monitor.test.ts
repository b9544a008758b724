import { describe, expect, it } from "vitest";
import { waitFor } from "@orchestrator/testing";
import { createReadinessMonitor } from "./create-readiness-monitor.js";
import { HealthStatusRegistry } from "./health-status-registry.js";
import { createTestLogger } from "./testing/test-logger.js";

const DB = "orchestrator.mailbox.v1.MailboxService";
const OTHER = "orchestrator.router.v1.RouterService";

function fixture(graceMs: number) {
  const health = new HealthStatusRegistry();
  for (const name of ["", DB, OTHER]) health.setStatus(name, "SERVING");
  let down = false;
  let probes = 0;
  const { logger, lines } = createTestLogger();
  const monitor = createReadinessMonitor({
    dependency: "database",
    probe: async () => {
      probes++;
      if (down) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    },
    serviceNames: [DB],
    graceMs,
    intervalMs: 20,
    logger,
  });
  monitor.start(health);
  return { health, monitor, lines, setDown: (v: boolean) => (down = v), probes: () => probes };
}

describe("createReadinessMonitor", () => {
  it("turns the services that need the database NOT_SERVING after the grace, keeps liveness, and turns them SERVING again by itself", async () => {
    const f = fixture(100);
    f.setDown(true);
    await waitFor("NOT_SERVING", () => f.health.get(DB) === "NOT_SERVING");
    expect(f.health.get("")).toBe("SERVING");
    expect(f.health.get(OTHER)).toBe("SERVING");
    f.setDown(false);
    await waitFor("SERVING again", () => f.health.get(DB) === "SERVING");
    f.monitor.stop();
    const messages = f.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages.filter((m) => m.startsWith("database readiness probe failed:"))).toHaveLength(1);
    expect(messages).toContain("database unreachable for longer than 100 ms: NOT_SERVING until it answers");
    expect(messages).toContain("database reachable again: SERVING");
  });

  it("stays SERVING through an outage shorter than the grace", async () => {
    const f = fixture(60_000);
    f.setDown(true);
    const before = f.probes();
    await waitFor("a few failed probes", () => f.probes() >= before + 5);
    expect(f.health.get(DB)).toBe("SERVING");
    f.monitor.stop();
  });

  it("never turns a server that is shutting down (\"\" NOT_SERVING) back to SERVING", async () => {
    const f = fixture(50);
    f.setDown(true);
    await waitFor("NOT_SERVING", () => f.health.get(DB) === "NOT_SERVING");
    f.health.setAll("NOT_SERVING");
    f.setDown(false);
    const before = f.probes();
    await waitFor("more probes", () => f.probes() >= before + 3);
    expect(f.health.get(DB)).toBe("NOT_SERVING");
    f.monitor.stop();
  });
});
