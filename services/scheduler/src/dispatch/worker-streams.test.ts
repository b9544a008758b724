import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { type WorkRequest, WorkRequestSchema } from "@orchestrator/contracts";
import { pushable } from "it-pushable";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { CallAbort } from "./call-abort.js";
import { WorkerStreams } from "./worker-streams.js";

const hello = create(WorkRequestSchema, { kind: { case: "hello", value: { instance: "A", slots: 1 } } });
const assignment = (id: string, timeoutMs = 60_000) => ({ id, request: { workId: id }, timeoutMs, traceparent: null });

describe("WorkerStreams", () => {
  it("withdraws an assignment whose caller aborts: CANCELED for the caller, a WorkCancel on the stream, the next waiting one goes out", async () => {
    const streams = new WorkerStreams(pino({ level: "silent" }));
    const requests = pushable<WorkRequest>({ objectMode: true });
    requests.push(hello);
    const call = new AbortController();
    const out = streams.serve(requests, call.signal)[Symbol.asyncIterator]();
    const first = out.next();
    await expect.poll(() => streams.has("A")).toBe(true);
    const caller = new CallAbort();
    const a = streams.push("A", assignment("a"), caller);
    const b = streams.push("A", assignment("b"), new CallAbort());
    expect((await first).value?.kind).toMatchObject({ case: "assignment", value: { id: "a" } });
    caller.abort(new Error("stopped"));
    await expect(a).rejects.toMatchObject({ code: Code.Canceled });
    expect((await out.next()).value?.kind).toMatchObject({ case: "cancel", value: { id: "a" } });
    expect((await out.next()).value?.kind).toMatchObject({ case: "assignment", value: { id: "b" } });
    requests.end();
    await expect(b).rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.Unavailable);
    expect((await out.next()).done).toBe(true);
    expect(streams.has("A")).toBe(false);
  });
});
