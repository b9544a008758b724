import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  MailboxService,
  MessageSchema,
  PurgeResponseSchema,
  SendResponseSchema,
  SubscribeResponseSchema,
  type Message,
  type SubscribeResponse,
} from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";

/** A MailboxService keeping messages in memory: Send, Subscribe (resumable by seq) and Purge. For tests only. */
export interface FakeMailboxModule extends ServiceModule {
  /** Every message sent, in order. */
  readonly messages: Message[];
  /** Messages to one handle. */
  to(handle: string): Message[];
  /** Sends a message as a test agent would (e.g. a `worker_done`). */
  send(message: { to: string; from: string; type: string; subject: string; body?: string; payload?: unknown; threadId?: string }): Message;
}

/** A stand-in for the mailbox with its Subscribe contract (per-handle seq, `after_seq`, type filter). */
export function createFakeMailboxModule(): FakeMailboxModule {
  const messages: Message[] = [];
  const seqs = new Map<string, bigint>();
  const listeners = new Set<(m: Message) => void>();
  const add = (m: { to: string; from: string; type: string; subject: string; body?: string; payload?: string; threadId?: string; priority?: string }) => {
    const seq = (seqs.get(m.to) ?? 0n) + 1n;
    seqs.set(m.to, seq);
    const message = create(MessageSchema, {
      id: randomUUID(),
      seq,
      threadId: m.threadId || randomUUID(),
      from: m.from,
      to: m.to,
      sentTo: m.to,
      type: m.type || "status",
      priority: m.priority || "normal",
      subject: m.subject,
      body: m.body ?? "",
      payload: m.payload ?? "",
    });
    messages.push(message);
    for (const l of listeners) l(message);
    return message;
  };
  return {
    serviceNames: [MailboxService.typeName],
    messages,
    to: (handle) => messages.filter((m) => m.to === handle),
    send: (m) => add({ ...m, payload: m.payload === undefined ? "" : JSON.stringify(m.payload) }),
    register(router) {
      router.service(MailboxService, {
        async send(req) {
          const message = add({ to: req.to, from: req.from || "anonymous", type: req.type, subject: req.subject, body: req.body, payload: req.payload, threadId: req.threadId, priority: req.priority });
          return create(SendResponseSchema, { threadId: message.threadId, messages: [message] });
        },
        async purge() {
          const deleted = BigInt(messages.length);
          messages.splice(0);
          return create(PurgeResponseSchema, { deleted });
        },
        async *subscribe(req, ctx) {
          const matches = (m: Message) => m.to === req.handle && (req.types.length === 0 || req.types.includes(m.type));
          const after = req.afterSeq ?? seqs.get(req.handle) ?? 0n;
          const queue: SubscribeResponse[] = messages.filter((m) => matches(m) && m.seq > after).map((message) => create(SubscribeResponseSchema, { message }));
          let wake: (() => void) | undefined;
          const listener = (m: Message) => {
            if (!matches(m)) return;
            queue.push(create(SubscribeResponseSchema, { message: m }));
            wake?.();
          };
          listeners.add(listener);
          ctx.signal.addEventListener("abort", () => wake?.());
          try {
            while (!ctx.signal.aborted) {
              while (queue.length > 0) yield queue.shift()!;
              await new Promise<void>((r) => (wake = r));
            }
          } finally {
            listeners.delete(listener);
          }
        },
      });
    },
  };
}
