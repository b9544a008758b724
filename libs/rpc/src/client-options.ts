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
  /**
   * Library under gRPC calls: @grpc/grpc-js (about half the CPU per call of
   * connect-node, see bench/rpc; one pooled channel per address), or
   * connect-node. Addresses with a path prefix always use connect-node.
   * @default "grpc-js"
   */
  grpcClient?: "connect-node" | "grpc-js";
}
