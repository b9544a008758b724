import { describe, expect, it } from "vitest";
import { SharedLoads } from "./shared-loads.js";

/** A load function whose calls are counted and answered by hand. */
function manual() {
  const calls: Array<{ key: string; resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  const load = (key: string) => new Promise<string>((resolve, reject) => calls.push({ key, resolve, reject }));
  return { calls, loads: new SharedLoads(load) };
}

describe("SharedLoads", () => {
  it("lets a reader woken before a load started join it", async () => {
    const { calls, loads } = manual();
    const wokenAt = performance.now();
    const a = loads.get("r1", wokenAt);
    const b = loads.get("r1", wokenAt);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve("view");
    expect(await Promise.all([a, b])).toEqual(["view", "view"]);
  });

  it("starts a new load for a reader woken after the one under way started (it may have missed that change)", async () => {
    const { calls, loads } = manual();
    const first = loads.get("r1", performance.now());
    await new Promise((r) => setTimeout(r, 2));
    const second = loads.get("r1", performance.now());
    expect(calls).toHaveLength(2);
    calls[0]!.resolve("old");
    calls[1]!.resolve("new");
    expect(await first).toBe("old");
    expect(await second).toBe("new");
  });

  it("keeps keys apart and forgets a load once it settled, failed ones too", async () => {
    const { calls, loads } = manual();
    const since = performance.now();
    const r1 = loads.get("r1", since);
    const r2 = loads.get("r2", since);
    expect(calls.map((c) => c.key)).toEqual(["r1", "r2"]);
    calls[0]!.reject(new Error("database down"));
    calls[1]!.resolve("two");
    await expect(r1).rejects.toThrow("database down");
    expect(await r2).toBe("two");
    const again = loads.get("r1", since);
    expect(calls).toHaveLength(3);
    calls[2]!.resolve("one");
    expect(await again).toBe("one");
  });
});
