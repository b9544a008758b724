import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useRef, useState } from "react";
import { describeError } from "./describe-error";

/** How a live stream stands. */
export type StreamStatus = { state: "connecting" } | { state: "live" } | { state: "ended" } | { state: "error"; message: string; retrying: boolean };

/** Codes a reconnect cannot fix: the request or the key is wrong. */
const FINAL = new Set([Code.InvalidArgument, Code.NotFound, Code.Unauthenticated, Code.PermissionDenied, Code.FailedPrecondition, Code.Unimplemented]);

/**
 * Consumes a server stream while the component is mounted (and `deps` are
 * unchanged): `open(signal)` starts the call, `onMessage` gets each message.
 * When the stream breaks (server restart, network) it reconnects with
 * backoff, and `onConnect` runs first each time so the consumer can drop
 * state the new snapshot replaces; errors that a retry cannot fix stop it.
 * A stream that ends normally (WatchRun after the final phase) stays ended.
 */
export function useStream<T>(
  open: ((signal: AbortSignal) => AsyncIterable<T>) | undefined,
  onMessage: (message: T) => void,
  deps: readonly unknown[],
  onConnect?: () => void,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>({ state: "connecting" });
  const handlers = useRef({ onMessage, onConnect });
  handlers.current = { onMessage, onConnect };
  useEffect(() => {
    if (!open) return;
    const abort = new AbortController();
    let attempt = 0;
    (async () => {
      while (!abort.signal.aborted) {
        setStatus({ state: "connecting" });
        handlers.current.onConnect?.();
        try {
          let first = true;
          for await (const message of open(abort.signal)) {
            if (first) {
              setStatus({ state: "live" });
              first = false;
              attempt = 0;
            }
            handlers.current.onMessage(message);
          }
          if (!abort.signal.aborted) setStatus({ state: "ended" });
          return;
        } catch (err) {
          if (abort.signal.aborted) return;
          const code = ConnectError.from(err).code;
          const retrying = !FINAL.has(code);
          setStatus({ state: "error", message: describeError(err), retrying });
          if (!retrying) return;
          attempt++;
          await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
        }
      }
    })().catch((err: unknown) => setStatus({ state: "error", message: describeError(err), retrying: false }));
    return () => abort.abort();
  }, deps);
  return status;
}
