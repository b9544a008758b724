import type { Client } from "@connectrpc/connect";
import type { MailboxService } from "@orchestrator/contracts";
import { setTimeout as sleep } from "node:timers/promises";
import { DISPATCH_URI, inboxUri } from "./resource-uris.js";

/**
 * A session's resource subscriptions. Each subscribed resource follows the
 * caller's mailbox through one MailboxService Subscribe stream (every
 * message for the inbox, `dispatch` messages for the current dispatch),
 * resumed after the last seq seen when it breaks, and calls `updated(uri)`
 * for each: pushed by the mailbox at commit, never polled. Streams end on
 * unsubscribe and on close.
 */
export class ResourceSubscriptions {
  private readonly streams = new Map<string, AbortController>();

  constructor(
    private readonly mailbox: Client<typeof MailboxService>,
    private readonly handle: string | undefined,
    private readonly updated: (uri: string) => void,
    private readonly headers: Record<string, string>,
  ) {}

  /** True when `uri` is a resource this session can follow. */
  subscribable(uri: string): boolean {
    return this.handle !== undefined && (uri === inboxUri(this.handle) || uri === DISPATCH_URI);
  }

  subscribe(uri: string): void {
    if (!this.subscribable(uri) || this.streams.has(uri)) return;
    const abort = new AbortController();
    this.streams.set(uri, abort);
    // follow() handles its own errors (retrying until aborted); the catch is for a bug in it.
    this.follow(uri, uri === DISPATCH_URI ? ["dispatch"] : [], abort.signal).catch(() => this.streams.delete(uri));
  }

  unsubscribe(uri: string): void {
    this.streams.get(uri)?.abort();
    this.streams.delete(uri);
  }

  /** How many resources are followed now. */
  get size(): number {
    return this.streams.size;
  }

  closeAll(): void {
    for (const abort of this.streams.values()) abort.abort();
    this.streams.clear();
  }

  private async follow(uri: string, types: string[], signal: AbortSignal): Promise<void> {
    let afterSeq: bigint | undefined;
    let delay = 100;
    while (!signal.aborted) {
      try {
        const stream = this.mailbox.subscribe(
          { handle: this.handle!, types, ...(afterSeq !== undefined ? { afterSeq } : {}) },
          { signal, timeoutMs: 0, headers: this.headers },
        );
        for await (const { message } of stream) {
          delay = 100;
          if (message) afterSeq = message.seq;
          this.updated(uri);
        }
      } catch {
        if (signal.aborted) return;
      }
      await sleep(delay * (0.5 + Math.random()), undefined, { signal }).catch(() => undefined);
      delay = Math.min(delay * 2, 5000);
    }
  }
}
