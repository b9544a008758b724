/** What a DatabaseHandle delegates LISTEN to; one implementation per backend. */
export interface NotificationListener {
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  onReconnect(callback: () => void): () => void;
  close(): Promise<void>;
}

/** Receives errors that have no caller to throw to (lost connections, throwing callbacks). */
export type BackgroundErrorHandler = (error: unknown) => void;
