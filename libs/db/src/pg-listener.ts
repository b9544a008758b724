import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import pg from "pg";
import { quoteChannel } from "./channel-name.js";
import type { BackgroundErrorHandler, NotificationListener } from "./notification-listener.js";

/** Options of `PgListener`. */
export interface PgListenerOptions {
  /** postgres:// URL of the database to listen on. */
  url: string;
  /** `application_name` of the listener's session (how operators and tests find its backend). */
  applicationName: string;
  onError: BackgroundErrorHandler;
  /** First reconnect delay; doubles per failed attempt, with jitter. @default 100 */
  minReconnectDelayMs?: number;
  /** @default 5000 */
  maxReconnectDelayMs?: number;
}

interface ChannelState {
  readonly callbacks: Set<(payload: string) => void>;
  /** Settles when this channel's LISTEN has been sent (or left to the pending reconnect). */
  ready: Promise<void>;
}

/**
 * LISTEN on real Postgres through ONE dedicated pg.Client, multiplexed over
 * every channel: LISTEN once per channel, UNLISTEN when its last callback
 * leaves. Connects lazily on the first `listen`. After the connection is
 * lost it reconnects with exponential backoff, re-LISTENs every channel and
 * then calls each `onReconnect` callback, since notifications sent while
 * disconnected are gone. Callbacks run in the root trace context.
 */
export class PgListener implements NotificationListener {
  readonly #options: PgListenerOptions;
  readonly #channels = new Map<string, ChannelState>();
  readonly #reconnectCallbacks = new Set<() => void>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnecting = false;
  #attempt = 0;
  #closed = false;

  constructor(options: PgListenerOptions) {
    this.#options = options;
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const quoted = quoteChannel(channel);
    if (this.#closed) throw new Error("database handle is closed");
    const callback = (payload: string) => onPayload(payload); // unique per subscription
    let state = this.#channels.get(channel);
    if (!state) {
      state = { callbacks: new Set(), ready: Promise.resolve() };
      this.#channels.set(channel, state);
      state.callbacks.add(callback);
      state.ready = this.#listenOn(quoted);
    } else {
      state.callbacks.add(callback);
    }
    try {
      await state.ready;
    } catch (error) {
      this.#remove(channel, state, callback);
      throw error;
    }
    let unsubscribed: Promise<void> | undefined;
    return () => (unsubscribed ??= this.#unsubscribe(channel, state, callback));
  }

  onReconnect(callback: () => void): () => void {
    const entry = () => callback();
    this.#reconnectCallbacks.add(entry);
    return () => void this.#reconnectCallbacks.delete(entry);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#channels.clear();
    this.#reconnectCallbacks.clear();
    const client = this.#client;
    this.#client = undefined;
    if (client) await endQuietly(client);
  }

  async #listenOn(quoted: string): Promise<void> {
    const client = this.#client;
    if (client) return this.#query(client, `LISTEN ${quoted}`);
    // The pending reconnect LISTENs every channel in the map, this one included.
    if (this.#reconnecting) return;
    // First connection: #connect LISTENs every channel in the map once connected.
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
    await this.#connecting;
  }

  async #unsubscribe(channel: string, state: ChannelState, callback: (payload: string) => void): Promise<void> {
    const last = this.#remove(channel, state, callback);
    const client = this.#client;
    if (last && client) await this.#query(client, `UNLISTEN ${quoteChannel(channel)}`);
  }

  /** Removes a callback; true when it was the channel's last one. */
  #remove(channel: string, state: ChannelState, callback: (payload: string) => void): boolean {
    state.callbacks.delete(callback);
    if (state.callbacks.size > 0 || this.#channels.get(channel) !== state) return false;
    this.#channels.delete(channel);
    return true;
  }

  /** Runs a statement; a failure caused by losing the connection is left to the reconnect. */
  async #query(client: pg.Client, text: string): Promise<void> {
    try {
      await client.query(text);
    } catch (error) {
      if (client === this.#client && !this.#closed) throw error;
    }
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.#options.url,
      application_name: this.#options.applicationName,
      keepAlive: true,
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, new Error("listener connection ended")));
    client.on("notification", (message) => this.#dispatch(message.channel, message.payload ?? ""));
    // Sockets keep the context they were created in: create this one outside any request's trace.
    await context.with(ROOT_CONTEXT, () => client.connect()).catch(async (error: unknown) => {
      await endQuietly(client);
      throw error;
    });
    if (this.#closed) {
      await endQuietly(client);
      throw new Error("database handle is closed");
    }
    this.#client = client;
    const channels = [...this.#channels.keys()];
    if (channels.length > 0) {
      try {
        await client.query(channels.map((c) => `LISTEN ${quoteChannel(c)}`).join("; "));
      } catch (error) {
        this.#lost(client, error);
        throw error;
      }
    }
    return client;
  }

  #lost(client: pg.Client, error: unknown): void {
    if (client !== this.#client || this.#closed) return;
    this.#client = undefined;
    this.#options.onError(error);
    endQuietly(client).catch(this.#options.onError);
    if (this.#channels.size > 0) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer || this.#closed) return;
    this.#reconnecting = true;
    const min = this.#options.minReconnectDelayMs ?? 100;
    const max = this.#options.maxReconnectDelayMs ?? 5000;
    const delay = Math.min(max, min * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnect().catch(this.#options.onError);
    }, delay);
    this.#reconnectTimer.unref();
  }

  async #reconnect(): Promise<void> {
    this.#reconnectTimer = undefined;
    if (this.#closed) return;
    if (this.#channels.size === 0) {
      this.#reconnecting = false; // nobody listens: connect again on the next listen
      this.#attempt = 0;
      return;
    }
    try {
      await this.#connect();
    } catch (error) {
      this.#options.onError(error);
      if (!this.#client) this.#scheduleReconnect();
      return;
    }
    this.#reconnecting = false;
    this.#attempt = 0;
    for (const callback of [...this.#reconnectCallbacks]) this.#invoke(callback);
  }

  #dispatch(channel: string, payload: string): void {
    const state = this.#channels.get(channel);
    if (!state) return;
    for (const callback of [...state.callbacks]) this.#invoke(() => callback(payload));
  }

  #invoke(callback: () => void): void {
    try {
      context.with(ROOT_CONTEXT, callback);
    } catch (error) {
      this.#options.onError(error);
    }
  }
}

async function endQuietly(client: pg.Client): Promise<void> {
  client.removeAllListeners("end");
  client.removeAllListeners("notification");
  client.removeAllListeners("error");
  client.on("error", () => {});
  await client.end().catch(() => {});
}
