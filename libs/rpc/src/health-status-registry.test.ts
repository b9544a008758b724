import { describe, expect, it } from "vitest";
import { HealthStatusRegistry } from "./health-status-registry.js";

describe("HealthStatusRegistry", () => {
  it("answers undefined for unknown services and the last status set otherwise", () => {
    const registry = new HealthStatusRegistry();
    expect(registry.get("a.B")).toBeUndefined();
    registry.setStatus("a.B", "NOT_SERVING");
    registry.setStatus("a.B", "SERVING");
    expect(registry.get("a.B")).toBe("SERVING");
  });

  it("setAll changes every registered service", () => {
    const registry = new HealthStatusRegistry();
    registry.setStatus("", "SERVING");
    registry.setStatus("a.B", "SERVING");
    registry.setAll("NOT_SERVING");
    expect([...registry.list()]).toEqual([
      ["", "NOT_SERVING"],
      ["a.B", "NOT_SERVING"],
    ]);
  });

  it("watch yields the current status, then changes, and ends when aborted", async () => {
    const registry = new HealthStatusRegistry();
    registry.setStatus("a.B", "SERVING");
    const abort = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const status of registry.watch("a.B", abort.signal)) {
        seen.push(status);
        if (seen.length === 1) {
          registry.setStatus("other", "NOT_SERVING"); // not a change of a.B
          registry.setStatus("a.B", "NOT_SERVING");
        }
        if (seen.length === 2) {
          abort.abort();
        }
      }
    })();
    await done;
    expect(seen).toEqual(["SERVING", "NOT_SERVING"]);
  });

  it("watch reports SERVICE_UNKNOWN until the service is registered", async () => {
    const registry = new HealthStatusRegistry();
    const abort = new AbortController();
    const seen: string[] = [];
    for await (const status of registry.watch("late.Service", abort.signal)) {
      seen.push(status);
      if (status === "SERVICE_UNKNOWN") {
        setImmediate(() => registry.setStatus("late.Service", "SERVING"));
      } else {
        abort.abort();
      }
    }
    expect(seen).toEqual(["SERVICE_UNKNOWN", "SERVING"]);
  });
});
