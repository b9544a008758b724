import { describe, expect, it } from "vitest";
import { untilAborted } from "./until-aborted.js";

function neverEnding(first: number[]): AsyncIterable<number> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* first;
      await new Promise(() => {});
    },
  };
}

describe("untilAborted", () => {
  it("passes values through until the source ends", async () => {
    const out: number[] = [];
    const source = (async function* () {
      yield 1;
      yield 2;
    })();
    for await (const n of untilAborted(source, new AbortController().signal)) {
      out.push(n);
    }
    expect(out).toEqual([1, 2]);
  });

  it("ends a source that never ends once the signal aborts", async () => {
    const abort = new AbortController();
    const out: number[] = [];
    for await (const n of untilAborted(neverEnding([1, 2]), abort.signal)) {
      out.push(n);
      if (n === 2) {
        abort.abort();
      }
    }
    expect(out).toEqual([1, 2]);
  });

  it("yields nothing when the signal is already aborted", async () => {
    const out: number[] = [];
    for await (const n of untilAborted(neverEnding([1]), AbortSignal.abort())) {
      out.push(n);
    }
    expect(out).toEqual([]);
  });
});
