import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { reattaching, retryingWait } from "./reattaching.js";

const unavailable = () => new ConnectError("the database is unavailable; retry later", Code.Unavailable);

describe("reattaching", () => {
  it("reopens a stream that failed with a transient error and goes on to its end", async () => {
    let opened = 0;
    const reattached: number[] = [];
    const seen: string[] = [];
    const open = async function* () {
      opened++;
      yield `snapshot ${opened}`;
      if (opened === 1) throw unavailable();
      if (opened === 2) throw new ConnectError("read ECONNRESET", Code.Internal);
      yield "finished";
    };
    for await (const item of reattaching(open, { maxDelayMs: 5, onReattach: (_e, attempt) => reattached.push(attempt) })) seen.push(item);
    expect(seen).toEqual(["snapshot 1", "snapshot 2", "snapshot 3", "finished"]);
    expect(reattached).toEqual([1, 1]);
  });

  it("with isLast, reopens a stream the server ended before its last item", async () => {
    let opened = 0;
    const seen: string[] = [];
    const open = async function* () {
      opened++;
      yield `snapshot ${opened}`;
      if (opened === 2) yield "finished";
    };
    for await (const item of reattaching(open, { maxDelayMs: 5, isLast: (i) => i === "finished" })) seen.push(item);
    expect(seen).toEqual(["snapshot 1", "snapshot 2", "finished"]);
  });

  it("throws a final error at once", async () => {
    let opened = 0;
    const open = async function* () {
      opened++;
      yield 1;
      throw new ConnectError('run "r" not found', Code.NotFound);
    };
    await expect(async () => {
      for await (const _ of reattaching(open, { maxDelayMs: 5 })) {
        // consume
      }
    }).rejects.toMatchObject({ code: Code.NotFound });
    expect(opened).toBe(1);
  });
});

describe("retryingWait", () => {
  it("asks again after a transient error with what is left of the wait", async () => {
    const asked: number[] = [];
    const res = await retryingWait(async (remaining) => {
      asked.push(remaining);
      if (asked.length < 3) throw unavailable();
      return "message";
    }, 60_000);
    expect(res).toBe("message");
    expect(asked).toHaveLength(3);
    expect(asked[2]!).toBeLessThanOrEqual(asked[0]!);
  });
});
