import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./load-config.js";

describe("loadConfig", () => {
  it("defaults to loopback, port 50051, PGlite under .orchestrator", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: "127.0.0.1", port: 50051, addr: "127.0.0.1:50051", dataDir: ".orchestrator" });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.apiKeys).toEqual([]);
    expect(c.probe).toEqual({ intervalMs: 500, timeoutMs: 400, failureThreshold: 2, successThreshold: 1, heartbeatTimeoutMs: 5000 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("splits several API keys for rotation and dials loopback when listening on all interfaces", () => {
    const c = loadConfig({ ORCHESTRATOR_API_KEY: "old, new ,", ORCHESTRATOR_HOST: "0.0.0.0", ORCHESTRATOR_PORT: "7000" });
    expect(c.apiKeys).toEqual(["old", "new"]);
    expect(c.addr).toBe("127.0.0.1:7000");
    expect(c.healthAddr).toBe("127.0.0.1:7000");
  });

  it("names every bad variable and its rule", () => {
    expect(() => loadConfig({ ORCHESTRATOR_PORT: "70000", ORCHESTRATOR_PROBE_FAILURE_THRESHOLD: "0" })).toThrow(ConfigError);
    try {
      loadConfig({ ORCHESTRATOR_PORT: "70000", ORCHESTRATOR_PROBE_FAILURE_THRESHOLD: "0" });
    } catch (err) {
      expect(String(err)).toContain("ORCHESTRATOR_PORT");
      expect(String(err)).toContain("ORCHESTRATOR_PROBE_FAILURE_THRESHOLD");
    }
  });

  it.each(["   ", "key1, ,key2", "\t"])("refuses a whitespace-only API key entry (%j): it would silently turn auth off", (value) => {
    expect(() => loadConfig({ ORCHESTRATOR_API_KEY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ORCHESTRATOR_API_KEY: value })).toThrow(/ORCHESTRATOR_API_KEY: .*whitespace/);
  });

  it("an empty ORCHESTRATOR_API_KEY is unset: no keys", () => {
    expect(loadConfig({ ORCHESTRATOR_API_KEY: "" }).apiKeys).toEqual([]);
  });
});
