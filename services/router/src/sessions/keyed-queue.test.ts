import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { KeyedQueue } from "./keyed-queue.js";

describe("KeyedQueue", () => {
  it("runs tasks of one key one at a time, in arrival order", async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const never = new AbortController().signal;
    const task = (name: string, ms: number) => q.run("k", async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    }, never);
    expect(await Promise.all([task("a", 20), task("b", 1), task("c", 5)])).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(q.size).toBe(0);
  });

  it("runs different keys concurrently", async () => {
    const q = new KeyedQueue();
    const never = new AbortController().signal;
    let running = 0;
    let peak = 0;
    const task = (key: string) => q.run(key, async () => {
      peak = Math.max(peak, ++running);
      await sleep(10);
      running--;
    }, never);
    await Promise.all([task("a"), task("b"), task("c")]);
    expect(peak).toBe(3);
  });

  it("lets a waiter whose signal aborts leave without breaking the order or running its task", async () => {
    const q = new KeyedQueue();
    const never = new AbortController().signal;
    const log: string[] = [];
    const first = q.run("k", async () => {
      await sleep(20);
      log.push("first");
    }, never);
    const leaving = new AbortController();
    const second = q.run("k", async () => log.push("second"), leaving.signal);
    const third = q.run("k", async () => log.push("third"), never);
    leaving.abort(new Error("gone"));
    await expect(second).rejects.toThrow("gone");
    await Promise.all([first, third]);
    expect(log).toEqual(["first", "third"]);
  });

  it("a failing task does not block the next", async () => {
    const q = new KeyedQueue();
    const never = new AbortController().signal;
    await expect(q.run("k", async () => Promise.reject(new Error("boom")), never)).rejects.toThrow("boom");
    expect(await q.run("k", async () => "next", never)).toBe("next");
  });
});
