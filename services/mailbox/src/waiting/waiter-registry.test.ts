import { ResourceExhaustedError, UnavailableError } from "@orchestrator/errors";
import { describe, expect, it } from "vitest";
import { WaiterRegistry, type Waiter } from "./waiter-registry.js";

function waiter(handle: string, types?: string[]) {
  const log: string[] = [];
  const w: Waiter = {
    handle,
    types: types && new Set(types),
    wake: () => log.push("wake"),
    close: (reason) => log.push(`close:${reason.message}`),
  };
  return { w, log };
}

describe("WaiterRegistry", () => {
  it("wakes only the waiters of the named handles whose types match", () => {
    const registry = new WaiterRegistry(10);
    const any = waiter("coord");
    const done = waiter("coord", ["worker_done"]);
    const other = waiter("kite-1");
    for (const x of [any, done, other]) registry.add(x.w);
    expect(registry.wake(["coord"], "status")).toBe(1);
    expect(any.log).toEqual(["wake"]);
    expect(done.log).toEqual([]);
    expect(registry.wake(["coord", "nobody"], "worker_done")).toBe(2);
    expect(done.log).toEqual(["wake"]);
    expect(other.log).toEqual([]);
  });

  it("counts, removes idempotently and forgets empty handles", () => {
    const registry = new WaiterRegistry(10);
    const a = waiter("a");
    const remove = registry.add(a.w);
    registry.add(waiter("a").w);
    expect(registry.size).toBe(2);
    remove();
    remove();
    expect(registry.size).toBe(1);
    registry.wake(["a"], "status");
    expect(a.log).toEqual([]);
  });

  it("refuses waiters beyond its bound", () => {
    const registry = new WaiterRegistry(2);
    registry.add(waiter("a").w);
    const remove = registry.add(waiter("b").w);
    expect(() => registry.add(waiter("c").w)).toThrow(ResourceExhaustedError);
    remove();
    expect(() => registry.add(waiter("c").w)).not.toThrow();
  });

  it("wakes everyone after a reconnect and closes everyone on shutdown", () => {
    const registry = new WaiterRegistry(10);
    const a = waiter("a", ["handoff"]);
    const b = waiter("b");
    registry.add(a.w);
    registry.add(b.w);
    registry.wakeAll();
    expect([a.log, b.log]).toEqual([["wake"], ["wake"]]);
    registry.close(new Error("bye"));
    expect(a.log.at(-1)).toBe("close:bye");
    expect(() => registry.add(waiter("c").w)).toThrow(UnavailableError);
  });
});
