import { Code, ConnectError } from "@connectrpc/connect";
import { WorkerService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { testLogger } from "@orchestrator/testing";
import { startWorker, type RunningWorker } from "@orchestrator/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttemptError } from "./attempt-error.js";

/** Classifies what a real call to a real worker throws. */
async function classify(address: string, payloadCode: Code | "hang" | "ok", opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<AttemptError> {
  const signal = opts.signal ?? new AbortController().signal;
  try {
    await createServiceClient(WorkerService, { address, timeoutMs: 0 }).execute({ workId: String(payloadCode) }, { signal, timeoutMs: opts.timeoutMs ?? 5000 });
  } catch (error) {
    return AttemptError.from(error, "W", signal.aborted ? signal.reason : undefined);
  }
  throw new Error("expected a failure");
}

describe("AttemptError.from", () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker({
      name: "W",
      logger: testLogger(),
      handler: async (req, ctx) => {
        if (req.workId === "hang") await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
        throw new ConnectError("answered", Number(req.workId) as Code);
      },
    });
  });
  afterAll(() => worker.close());

  it("an UNAVAILABLE or RESOURCE_EXHAUSTED the instance answered: retryable, the instance is reachable", async () => {
    for (const code of [Code.Unavailable, Code.ResourceExhausted]) {
      expect(await classify(worker.address, code)).toMatchObject({ code, retryable: true, unreachable: false, abandoned: false });
    }
  });

  it("other answered codes are final", async () => {
    for (const code of [Code.InvalidArgument, Code.Internal, Code.FailedPrecondition, Code.NotFound]) {
      expect(await classify(worker.address, code)).toMatchObject({ code, retryable: false, unreachable: false });
    }
  });

  it("a per-attempt deadline is retryable and not the instance being unreachable", async () => {
    expect(await classify(worker.address, "hang", { timeoutMs: 50 })).toMatchObject({ code: Code.DeadlineExceeded, retryable: true, unreachable: false, abandoned: false });
  });

  it("a refused connection: UNAVAILABLE, retryable, unreachable", async () => {
    expect(await classify("127.0.0.1:1", Code.Unavailable)).toMatchObject({ code: Code.Unavailable, retryable: true, unreachable: true });
  });

  it("a call the router itself stopped is abandoned, not the instance's fault", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new ConnectError("deadline", Code.DeadlineExceeded)), 30);
    expect(await classify(worker.address, "hang", { signal: controller.signal })).toMatchObject({ code: Code.DeadlineExceeded, retryable: false, abandoned: true });
  });
});
