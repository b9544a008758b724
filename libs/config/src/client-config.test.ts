import { describe, expect, it } from "vitest";
import { loadClientConfig } from "./client-config.js";
import { loadConfig } from "./load-config.js";

describe("loadClientConfig", () => {
  it("dials what loadConfig dials, sends its first key, and reads the handle", () => {
    const cases = [{}, { ORCHESTRATOR_ADDR: "h:1" }, { ORCHESTRATOR_HOST: "0.0.0.0", ORCHESTRATOR_PORT: "7000" }, { ORCHESTRATOR_HOST: "10.0.0.2" }];
    for (const env of cases) expect(loadClientConfig(env).addr).toBe(loadConfig(env).addr);
    expect(loadClientConfig({ ORCHESTRATOR_API_KEY: " old, new ,", ORCHESTRATOR_HANDLE: " kite-1 " })).toMatchObject({ apiKey: "old", handle: "kite-1" });
    expect(loadClientConfig({})).toMatchObject({ apiKey: undefined, handle: undefined, otlpEndpoint: undefined });
    expect(() => loadClientConfig({ ORCHESTRATOR_PORT: "http" })).toThrow('ORCHESTRATOR_PORT: must be a whole number from 0 to 65535, got "http"');
  });
});
