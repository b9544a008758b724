import { fromJson, type JsonValue, type MessageInitShape } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { type WorkHello, type WorkRequest, WorkerService, type WorkResponseSchema, type WorkResult } from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { pushable } from "it-pushable";

/** One Work stream as the fake scheduler holds it. */
export class FakeStream {
  hello: WorkHello | undefined;
  readonly results: WorkResult[] = [];
  /** True once the worker half-closed its side. */
  halfClosed = false;
  readonly out = pushable<MessageInitShape<typeof WorkResponseSchema>>({ objectMode: true });

  /** Pushes an assignment; `timeoutMs` and `traceparent` as the scheduler would set them. */
  assign(id: string, payload: JsonValue, o: { timeoutMs?: number; traceparent?: string } = {}): void {
    const timeout = o.timeoutMs === undefined ? undefined : { seconds: BigInt(Math.floor(o.timeoutMs / 1000)), nanos: (o.timeoutMs % 1000) * 1e6 };
    this.out.push({
      kind: { case: "assignment", value: { id, request: { workId: `task-${id}`, attempt: 1, payload: fromJson(ValueSchema, payload) }, timeout, traceparent: o.traceparent ?? "" } },
    });
  }

  cancel(id: string): void {
    this.out.push({ kind: { case: "cancel", value: { id } } });
  }

  /** Waits for the worker's answer to assignment `id`. */
  result(id: string): Promise<WorkResult> {
    return waitFor(`the result of ${id}`, () => this.results.find((r) => r.id === id));
  }
}

/**
 * A scheduler serving only WorkerService.Work, for tests: records each
 * stream's hello and results, pushes what a test tells it to, and ends a
 * stream when the worker half-closes it (as the scheduler does). Assignments
 * carry the request `{workId: "task-<id>", attempt: 1, payload}`.
 */
export class FakeScheduler {
  readonly streams: FakeStream[] = [];
  /** Calls answered UNIMPLEMENTED instead, when set. */
  unimplemented = false;
  calls = 0;

  module(): ServiceModule {
    return {
      serviceNames: [WorkerService.typeName],
      register: (router) => router.service(WorkerService, { work: (requests, ctx) => this.serve(requests, ctx) }),
    };
  }

  /** The n-th stream (from 0), once its hello arrived. */
  stream(n: number): Promise<FakeStream> {
    return waitFor(`stream ${n} to say hello`, () => (this.streams[n]?.hello ? this.streams[n] : undefined));
  }

  /** The latest stream of `instance`, once its hello arrived. */
  streamOf(instance: string): Promise<FakeStream> {
    return waitFor(`a stream of ${instance} to say hello`, () => this.streams.findLast((s) => s.hello?.instance === instance));
  }

  private async *serve(requests: AsyncIterable<WorkRequest>, ctx: HandlerContext) {
    this.calls++;
    if (this.unimplemented) throw new ConnectError("not here", Code.Unimplemented);
    const stream = new FakeStream();
    this.streams.push(stream);
    ctx.signal.addEventListener("abort", () => stream.out.end(), { once: true });
    void (async () => {
      for await (const request of requests) {
        if (request.kind.case === "hello") stream.hello = request.kind.value;
        else if (request.kind.case === "result") stream.results.push(request.kind.value);
      }
      // The worker is leaving: end the stream, as the scheduler does.
      stream.halfClosed = true;
      stream.out.end();
    })().catch(() => undefined);
    yield* stream.out;
  }
}
