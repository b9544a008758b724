import { describe, expect, it } from "vitest";
import { type OutputRecord, OutputRing } from "./output-ring.js";

describe("OutputRing", () => {
  it("keeps the last `capacity` lines with gap-free seqs", () => {
    const ring = new OutputRing(3);
    expect(ring.tail(10)).toEqual([]);
    for (let i = 1; i <= 5; i++) ring.append("stdout", `line ${i}`, "t1");
    expect(ring.tail(10).map((r) => [r.seq, r.text])).toEqual([
      [3, "line 3"],
      [4, "line 4"],
      [5, "line 5"],
    ]);
    expect(ring.tail(2).map((r) => r.seq)).toEqual([4, 5]);
    expect(ring.lastSeq).toBe(5);
  });

  it("pushes new lines to followers until their signal aborts", async () => {
    const ring = new OutputRing(10);
    ring.append("agent", "before");
    const abort = new AbortController();
    const follower = ring.follow(abort.signal);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const batch of follower) {
        seen.push(...batch.map((r) => r.text));
        if (seen.length === 3) abort.abort();
      }
    })();
    ring.append("stdout", "one");
    ring.append("stderr", "two");
    await new Promise((r) => setTimeout(r, 0));
    ring.append("stdout", "three");
    await reading;
    expect(seen).toEqual(["one", "two", "three"]);
    ring.append("stdout", "after");
  });

  it("drops a slow follower's oldest pending lines, leaving a seq gap", async () => {
    const ring = new OutputRing(100, { followerBacklog: 4 });
    const abort = new AbortController();
    const follower = ring.follow(abort.signal);
    for (let i = 1; i <= 10; i++) ring.append("stdout", `line ${i}`);
    const batches: AsyncIterator<OutputRecord[], undefined> = follower[Symbol.asyncIterator]();
    const first = await batches.next();
    expect(first.value!.map((r) => r.seq)).toEqual([7, 8, 9, 10]);
    expect(follower.dropped).toBe(6);
    ring.append("stdout", "line 11");
    expect((await batches.next()).value!.map((r) => r.seq)).toEqual([11]);
    abort.abort();
    expect((await batches.next()).done).toBe(true);
  });

  it("ends a follow whose signal is already aborted", async () => {
    const ring = new OutputRing(2);
    const abort = new AbortController();
    abort.abort();
    const batches = [];
    for await (const batch of ring.follow(abort.signal)) batches.push(batch);
    expect(batches).toEqual([]);
  });
});
