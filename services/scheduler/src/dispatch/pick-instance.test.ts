import { describe, expect, it } from "vitest";
import { pickInstance, type PickableInstance } from "./pick-instance.js";

const agent = (name: string, extra: Partial<PickableInstance> = {}): PickableInstance => ({
  name,
  kind: "agent",
  pool: "kite",
  labels: {},
  health: "healthy",
  activity: "idle",
  allocatedTo: null,
  ...extra,
});
const options = { tried: [], load: () => 0 };

describe("pickInstance", () => {
  it("takes an instance allocated to a holder only when no other is usable", () => {
    const instances = [agent("kite-1", { allocatedTo: "task:t-1" }), agent("kite-2")];
    expect(pickInstance("@pool:kite", instances, options).instance).toBe("kite-2");
    expect(pickInstance("@pool:kite", [instances[0]!], options).instance).toBe("kite-1");
  });

  it("prefers the least loaded, then instances the task has not failed on", () => {
    const instances = [agent("kite-1"), agent("kite-2"), agent("kite-3")];
    expect(pickInstance("@pool:kite", instances, { tried: [], load: (n) => (n === "kite-1" ? 1 : 0) }).instance).not.toBe("kite-1");
    expect(pickInstance("@pool:kite", instances, { tried: ["kite-1", "kite-2"], load: () => 0 }).instance).toBe("kite-3");
  });

  it("never picks a down instance", () => {
    expect(() => pickInstance("@pool:kite", [agent("kite-1", { health: "down" })], options)).toThrow(/no healthy/i);
  });
});
