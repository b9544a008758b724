/** How a client reaches a server; shared by createTransport and createServiceClient. */
export interface ClientOptions {
  /** "host:port" or "http://host:port" (https:// for TLS terminated elsewhere). */
  address: string;
  /** Sent as `Authorization: Bearer <apiKey>` on every call when set. */
  apiKey?: string;
  /**
   * Default deadline per call when the caller gives none (a call's
   * `timeoutMs` option wins); 0 = none, for long-lived streams.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Wire protocol: gRPC over HTTP/2, Connect over HTTP/1.1, or gRPC-Web over HTTP/1.1.
   * @default "grpc"
   */
  protocol?: "grpc" | "connect" | "grpc-web";
}
