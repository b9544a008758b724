import type { Database, RunStatement } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { MessageRecord, MessageType } from "../messages/message.js";
import { headSeq, messagesAfter } from "../messages/message.repository.js";
import type { WaiterRegistry } from "./waiter-registry.js";
import { WakeSignal } from "./wake-signal.js";

/** Messages read per query while catching up. */
const BATCH = 256;

/** Where a Subscribe stream starts and what it shows. */
export interface FollowOptions {
  readonly handle: string;
  /** Resume after this seq; undefined: from the handle's current head (new messages only). */
  readonly afterSeq: string | undefined;
  readonly types: readonly MessageType[];
  /** Ends the stream (client gone, shutdown). */
  readonly signal: AbortSignal;
}

/**
 * Subscribe: every message of a handle with seq above the cursor, in seq
 * order, exactly once, then each new one as it is committed (woken through
 * the registry). Since a handle's seq is gap-free in commit order, resuming
 * from the last seq received loses and repeats nothing. Reads in batches
 * only as fast as the client takes them (the generator is pulled), so a
 * slow client costs no memory. Ends when `signal` aborts; throws the
 * registry's reason on shutdown.
 */
export async function* followMailbox(db: Kysely<Database>, run: RunStatement, registry: WaiterRegistry, options: FollowOptions): AsyncGenerator<MessageRecord> {
  // The head is read before the waiter is registered: once the subscription
  // shows in the registry, every message committed later is above the
  // cursor (read after, a send committed in between would count as old and
  // be skipped). Nothing is missed either way: the first query below runs
  // after the registration.
  let cursor = options.afterSeq ?? (await headSeq(db, options.handle));
  const wake = new WakeSignal();
  const remove = registry.add({
    handle: options.handle,
    types: options.types.length > 0 ? new Set(options.types) : undefined,
    wake: () => wake.notify(),
    close: (reason) => wake.close(reason),
  });
  try {
    for (;;) {
      const batch = await messagesAfter(run, options.handle, cursor, options.types, BATCH);
      for (const message of batch) {
        cursor = message.seq;
        yield message;
      }
      if (batch.length === BATCH) continue;
      if (!(await wake.wait(options.signal))) return;
    }
  } finally {
    remove();
  }
}
