import { describe, expect, it, vi } from "vitest";
import { waitForMessages } from "./wait-for-messages.js";
import { WaiterRegistry } from "./waiter-registry.js";

/** A query whose answers the test hands out one call at a time. */
function scriptedQuery() {
  const calls: Array<(rows: string[]) => void> = [];
  const query = vi.fn(() => new Promise<string[]>((resolve) => calls.push(resolve)));
  return { query, answer: (rows: string[]) => calls.shift()!(rows), pending: () => calls.length };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("waitForMessages", () => {
  it("registers before the first query, so a wake during it makes it look again", async () => {
    const registry = new WaiterRegistry(10);
    const q = scriptedQuery();
    const result = waitForMessages(registry, { handle: "h", types: undefined, timeoutMs: 60_000, signal: new AbortController().signal, query: q.query });
    expect(registry.size).toBe(1);
    registry.wake(["h"], "status"); // committed while the first query ran
    q.answer([]);
    await tick();
    expect(q.query).toHaveBeenCalledTimes(2);
    q.answer(["m1"]);
    await expect(result).resolves.toEqual({ messages: ["m1"], timedOut: false });
    expect(registry.size).toBe(0);
  });

  it("queries only when woken: no polling between wake-ups", async () => {
    vi.useFakeTimers();
    try {
      const registry = new WaiterRegistry(10);
      const q = scriptedQuery();
      const result = waitForMessages(registry, { handle: "h", types: undefined, timeoutMs: 60_000, signal: new AbortController().signal, query: q.query });
      q.answer([]);
      await vi.advanceTimersByTimeAsync(59_000);
      expect(q.query).toHaveBeenCalledTimes(1);
      registry.wake(["h"], "status");
      q.answer(["m"]);
      await expect(result).resolves.toMatchObject({ messages: ["m"] });
    } finally {
      vi.useRealTimers();
    }
  });

  it("times out empty, but keeps an answer that arrives during the last query", async () => {
    vi.useFakeTimers();
    try {
      const registry = new WaiterRegistry(10);
      const empty = scriptedQuery();
      const first = waitForMessages(registry, { handle: "h", types: undefined, timeoutMs: 1000, signal: new AbortController().signal, query: empty.query });
      empty.answer([]);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(first).resolves.toEqual({ messages: [], timedOut: true });

      const late = scriptedQuery();
      const second = waitForMessages(registry, { handle: "h", types: undefined, timeoutMs: 1000, signal: new AbortController().signal, query: late.query });
      await vi.advanceTimersByTimeAsync(1000); // times out while the query is still running
      late.answer(["m"]);
      await expect(second).resolves.toEqual({ messages: ["m"], timedOut: false });
      expect(registry.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("ends at once when the call is aborted, and hands a late answer to abandon", async () => {
    const registry = new WaiterRegistry(10);
    const q = scriptedQuery();
    const abandon = vi.fn(async () => {});
    const controller = new AbortController();
    const result = waitForMessages(registry, { handle: "h", types: undefined, timeoutMs: 60_000, signal: controller.signal, query: q.query, abandon });
    controller.abort(new Error("client went away"));
    await expect(result).rejects.toThrow("client went away");
    expect(registry.size).toBe(0);
    q.answer(["claimed"]);
    await tick();
    expect(abandon).toHaveBeenCalledWith(["claimed"]);
  });

  it("fails with the registry's reason on shutdown, and refuses to start when full", async () => {
    const registry = new WaiterRegistry(1);
    const q = scriptedQuery();
    const result = waitForMessages(registry, { handle: "h", types: undefined, timeoutMs: 60_000, signal: new AbortController().signal, query: q.query });
    await expect(
      waitForMessages(registry, { handle: "h2", types: undefined, timeoutMs: 60_000, signal: new AbortController().signal, query: q.query }),
    ).rejects.toThrow(/already holds 1 waiting/);
    registry.close(new Error("shutting down"));
    await expect(result).rejects.toThrow("shutting down");
  });
});
