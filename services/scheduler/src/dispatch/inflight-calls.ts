import { CallAbort } from "./call-abort.js";

/** A call this replica has in flight for a dispatch context. */
interface InflightCall {
  readonly runId: string | null;
  readonly instance: string;
  readonly abort: CallAbort;
}

/**
 * The dispatch calls (Route, Send) this replica has in flight, by context
 * id. When a context is closed by someone else (a gate, StopRun, a sweep on
 * another replica, Reset), its call is aborted, which cancels the work on
 * the instance. Also the per-instance load that instance selection reads.
 */
export class InflightCalls {
  private readonly calls = new Map<string, InflightCall>();
  private readonly perInstance = new Map<string, number>();
  private readonly idleWaiters = new Set<() => void>();

  /** Registers a call; returns what aborts it. */
  add(contextId: string, runId: string | null, instance: string): CallAbort {
    const abort = new CallAbort();
    this.calls.set(contextId, { runId, instance, abort });
    this.perInstance.set(instance, (this.perInstance.get(instance) ?? 0) + 1);
    return abort;
  }

  /** Forgets a finished call. */
  delete(contextId: string): void {
    const call = this.calls.get(contextId);
    if (!call) return;
    this.calls.delete(contextId);
    const left = (this.perInstance.get(call.instance) ?? 1) - 1;
    if (left <= 0) this.perInstance.delete(call.instance);
    else this.perInstance.set(call.instance, left);
    if (this.calls.size === 0) for (const waiter of this.idleWaiters) waiter();
  }

  /** Resolves once no call is in flight, or after `timeoutMs` (shutdown drain). */
  async idle(timeoutMs: number): Promise<void> {
    if (this.calls.size === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.idleWaiters.add(done);
    });
  }

  /** Calls in flight to `instance`. */
  load(instance: string): number {
    return this.perInstance.get(instance) ?? 0;
  }

  get size(): number {
    return this.calls.size;
  }

  /** Aborts the calls of these contexts. */
  abortContexts(ids: readonly string[], reason: string): void {
    for (const id of ids) this.calls.get(id)?.abort.abort(new Error(reason));
  }

  /** Aborts every call of a run. */
  abortRun(runId: string, reason: string): void {
    for (const call of this.calls.values()) if (call.runId === runId) call.abort.abort(new Error(reason));
  }

  /** Aborts every call. */
  abortAll(reason: string): void {
    for (const call of this.calls.values()) call.abort.abort(new Error(reason));
  }
}
