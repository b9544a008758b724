import type { Gate } from "@orchestrator/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { mailbox, scheduler } from "../rpc/clients";
import { describeError } from "../rpc/describe-error";
import { useStream, type StreamStatus } from "../rpc/use-stream";
import { msOf } from "../shared/format";

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Pending gates across every run, and how they are kept current. */
export interface Gates {
  readonly pending: readonly Gate[];
  readonly error: string | undefined;
  readonly status: StreamStatus;
  /** Reload now (after a resolution, or by hand). */
  reload(): void;
}

/**
 * Pending gates (ListGates status=pending). Every new gate sends a
 * `decision_gate` message to the gate handle; the console subscribes to
 * that mailbox (MailboxService Subscribe) and reloads on each, so new gates
 * appear as they are created. It also reloads when a gate's deadline passes
 * (its default applies then) and after each resolution. No timer polls.
 */
export function useGates(gateHandle: string, epoch: number): Gates {
  const [pending, setPending] = useState<readonly Gate[]>([]);
  const [error, setError] = useState<string>();
  const busy = useRef({ busy: false, again: false });
  const reload = useCallback(() => {
    const b = busy.current;
    if (b.busy) {
      b.again = true;
      return;
    }
    b.busy = true;
    (async () => {
      try {
        do {
          b.again = false;
          try {
            const res = await scheduler.listGates({ status: "pending", limit: 1000 });
            setPending(res.gates);
            setError(undefined);
          } catch (err) {
            setError(describeError(err));
          }
        } while (b.again);
      } finally {
        b.busy = false;
      }
    })().catch((err: unknown) => setError(describeError(err)));
  }, []);
  useEffect(reload, [reload, epoch]);
  const status = useStream(
    (signal) => mailbox.subscribe({ handle: gateHandle, types: ["decision_gate"] }, { signal }),
    () => reload(),
    [gateHandle, epoch],
    reload,
  );
  // When the next deadline passes the server applies the default: reload then.
  useEffect(() => {
    const next = Math.min(...pending.map((g) => msOf(g.deadline) || Infinity));
    if (!Number.isFinite(next)) return;
    const wait = Math.max(0, next - Date.now()) + 1500;
    // setTimeout fires at once past 2^31-1 ms (about 24.8 days): a far deadline is left to a later render.
    if (wait > MAX_TIMER_MS) return;
    const timer = setTimeout(reload, wait);
    return () => clearTimeout(timer);
  }, [pending, reload]);
  return { pending, error, status, reload };
}
