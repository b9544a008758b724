import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { MailboxService, Message } from "@orchestrator/contracts";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";

/** How long one waiting Check blocks before it is renewed. */
const WAIT_MS = 120_000;
/** Deadline of a waiting Check beyond its wait. */
const CALL_MARGIN_MS = 10_000;
/** Message ids remembered to never take one twice (a MarkRead that failed and is retried). */
const REMEMBERED_IDS = 1000;

/** Options of startDispatchIntake. */
export interface DispatchIntakeOptions {
  readonly client: Client<typeof MailboxService>;
  /** The agent's name: its mailbox handle. */
  readonly handle: string;
  /** Each dispatch message, once, in the mailbox's order. */
  readonly onDispatch: (message: Message) => void;
  readonly logger: Logger;
}

/** A running intake loop. */
export interface DispatchIntake {
  /** Ends the loop (a waiting Check is cancelled); resolves when it has. */
  stop(): Promise<void>;
}

/**
 * Takes the agent's work without polling: a loop of mailbox Check(handle,
 * unread, types [dispatch], wait) that the mailbox wakes at the commit of a
 * dispatch (LISTEN/NOTIFY), renewed every 2 minutes. Messages are peeked,
 * handed to `onDispatch`, then marked read (MarkRead by id, retried until
 * it succeeds), so a Check cancelled at shutdown marks nothing read that
 * was not taken. Failures reconnect with exponential backoff and jitter
 * (100 ms to 5 s).
 */
export function startDispatchIntake(o: DispatchIntakeOptions): DispatchIntake {
  const abort = new AbortController();
  const { signal } = abort;
  const log = o.logger.child({ component: "dispatch-intake", handle: o.handle });
  const taken = new Set<string>();
  let delay = 100;

  const backoff = async (what: string, error: unknown) => {
    const e = ConnectError.from(error);
    log.warn({ code: Code[e.code], err: e.rawMessage, retryInMs: delay }, `${what} failed; retrying`);
    await sleep(delay * (0.5 + Math.random()), undefined, { signal }).catch(() => undefined);
    delay = Math.min(delay * 2, 5000);
  };

  const markRead = async (ids: string[]) => {
    while (!signal.aborted) {
      try {
        await o.client.markRead({ ids, handle: o.handle }, { signal });
        return;
      } catch (error) {
        if (signal.aborted) return;
        await backoff("MarkRead", error);
      }
    }
  };

  const loop = async () => {
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const res = await o.client.check(
          { handle: o.handle, unreadOnly: true, types: ["dispatch"], markRead: false, wait: true, timeoutMs: WAIT_MS },
          { signal, timeoutMs: WAIT_MS + CALL_MARGIN_MS },
        );
        messages = res.messages;
        delay = 100;
      } catch (error) {
        if (signal.aborted) return;
        await backoff("waiting for dispatches", error);
        continue;
      }
      const fresh = messages.filter((m) => !taken.has(m.id));
      for (const m of fresh) {
        taken.add(m.id);
        o.onDispatch(m);
      }
      while (taken.size > REMEMBERED_IDS) taken.delete(taken.values().next().value!);
      if (messages.length > 0) await markRead(messages.map((m) => m.id));
    }
  };

  const running = loop();
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}
