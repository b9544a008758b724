/** A service's readiness as grpc.health.v1 reports it. */
export type ServingStatus = "SERVING" | "NOT_SERVING";

/**
 * The serving statuses grpc.health.v1.Health answers, by fully-qualified
 * service name; `""` is the server as a whole. `startServer` registers every
 * module's services NOT_SERVING, flips them to SERVING once the modules have
 * started, and back to NOT_SERVING when shutdown begins. Modules may set their
 * own statuses in between (a lost database makes a service NOT_SERVING).
 */
export class HealthStatusRegistry {
  readonly #statuses = new Map<string, ServingStatus>();
  readonly #waiters = new Set<() => void>();

  /** Sets a service's status (registering the service if new) and wakes watchers when it changed. */
  setStatus(service: string, status: ServingStatus): void {
    if (this.#statuses.get(service) === status) {
      return;
    }
    this.#statuses.set(service, status);
    for (const wake of [...this.#waiters]) {
      wake();
    }
  }

  /** Sets every registered service, the overall `""` included, to `status`. */
  setAll(status: ServingStatus): void {
    for (const service of [...this.#statuses.keys()]) {
      this.setStatus(service, status);
    }
  }

  /** The status of `service`, or undefined when it was never registered. */
  get(service: string): ServingStatus | undefined {
    return this.#statuses.get(service);
  }

  /** A snapshot of every registered service's status. */
  list(): ReadonlyMap<string, ServingStatus> {
    return new Map(this.#statuses);
  }

  /**
   * Yields the current status of `service` at once (`"SERVICE_UNKNOWN"` when
   * it is not registered), then each change, until `signal` aborts. A slow
   * consumer sees the latest status, not every intermediate one.
   */
  async *watch(service: string, signal: AbortSignal): AsyncGenerator<ServingStatus | "SERVICE_UNKNOWN"> {
    let last: ServingStatus | "SERVICE_UNKNOWN" | undefined;
    while (!signal.aborted) {
      const current = this.#statuses.get(service) ?? "SERVICE_UNKNOWN";
      if (current !== last) {
        last = current;
        yield current;
        continue;
      }
      if (!(await this.#nextChange(signal))) {
        return;
      }
    }
  }

  /** Resolves true on the next status change, false when `signal` aborts first. */
  #nextChange(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) {
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const settle = (changed: boolean) => {
        this.#waiters.delete(onChange);
        signal.removeEventListener("abort", onAbort);
        resolve(changed);
      };
      const onChange = () => settle(true);
      const onAbort = () => settle(false);
      this.#waiters.add(onChange);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
