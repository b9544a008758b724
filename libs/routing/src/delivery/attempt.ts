/** One delivery of work to one instance, as reported to callers. */
export interface AttemptRecord {
  /** 1 for the first attempt. */
  readonly number: number;
  readonly instance: string;
  /** gRPC code name: `OK`, `UNAVAILABLE`, ... */
  readonly code: string;
  /** Error message; "" on success. */
  readonly message: string;
  readonly latencyMs: number;
}

/** The attempts as compact JSON, for google.rpc.ErrorInfo metadata (`attempts`). */
export function attemptsJson(attempts: readonly AttemptRecord[]): string {
  return JSON.stringify(
    attempts.map((a) => ({
      number: a.number,
      instance: a.instance,
      code: a.code,
      ...(a.message ? { message: a.message.slice(0, 200) } : {}),
      latencyMs: Math.round(a.latencyMs * 100) / 100,
    })),
  );
}
