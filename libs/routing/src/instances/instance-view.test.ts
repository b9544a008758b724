import { describe, expect, it } from "vitest";
import { InstanceView } from "./instance-view.js";
import type { RoutableInstance } from "./routable-instance.js";

const instance = (name: string, health: RoutableInstance["health"] = "healthy"): RoutableInstance => ({
  name,
  address: "127.0.0.1:1",
  kind: "service",
  pool: "p",
  labels: {},
  health,
  activity: "idle",
  allocatedTo: null,
});

describe("InstanceView", () => {
  it("lists in natural name order and tells listeners what changed", () => {
    const view = new InstanceView();
    const changes: string[] = [];
    view.onChange((before, after) => changes.push(`${before?.name ?? "-"}:${before?.health ?? "-"}>${after?.health ?? "removed"}`));
    for (const n of ["kite-10", "kite-2", "A"]) view.upsert(instance(n));
    expect(view.list().map((i) => i.name)).toEqual(["A", "kite-2", "kite-10"]);
    view.upsert(instance("A", "down"));
    view.remove("kite-2");
    view.remove("missing");
    expect(changes.slice(-2)).toEqual(["A:healthy>down", "kite-2:healthy>removed"]);
    expect(view.list().map((i) => i.name)).toEqual(["A", "kite-10"]);
  });

  it("waits for the first snapshot, bounded; after one wait ran out, later callers do not wait", async () => {
    const view = new InstanceView();
    const first = view.whenReady(5000)!;
    view.markSynced(new Set());
    await first;
    expect(view.ready).toBe(true);
    expect(view.whenReady(5000)).toBeUndefined();

    const cold = new InstanceView();
    await cold.whenReady(10);
    expect(cold.ready).toBe(false);
    expect(cold.whenReady(5000)).toBeUndefined();
  });

  it("drops instances missing from a resync snapshot", () => {
    const view = new InstanceView();
    view.upsert(instance("A"));
    view.upsert(instance("B"));
    view.markSynced(new Set(["A"]));
    expect(view.list().map((i) => i.name)).toEqual(["A"]);
  });

  it("keeps telling the other listeners when one throws, and reports the error", () => {
    const errors: unknown[] = [];
    const view = new InstanceView({ onListenerError: (error) => errors.push(error) });
    const heard: string[] = [];
    view.onChange(() => {
      throw new Error("listener broke");
    });
    view.onChange((_before, after) => heard.push(after?.name ?? "-"));
    view.upsert(instance("A"));
    expect(heard).toEqual(["A"]);
    expect(view.get("A")).toBeDefined();
    expect(errors).toEqual([new Error("listener broke")]);
  });
});
