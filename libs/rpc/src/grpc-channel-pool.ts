import type * as grpcJs from "@grpc/grpc-js";

/** @grpc/grpc-js, loaded on first use (clients that never speak gRPC, such as most CLI commands, skip its load time). */
export type GrpcJs = typeof grpcJs;

let loaded: GrpcJs | undefined;
let loading: Promise<GrpcJs> | undefined;

/** The grpc-js module once loaded, else a promise of it. */
export function loadGrpcJs(): GrpcJs | Promise<GrpcJs> {
  return loaded ?? (loading ??= import("@grpc/grpc-js").then((m) => (loaded = m)));
}

/**
 * Channel options: no receive limit (the servers cap requests, not
 * responses; connect-node had none either), and a short reconnect backoff,
 * because an instance that restarts on the same address should be reachable
 * within a second rather than grpc-js' default of up to two minutes.
 */
const CHANNEL_OPTIONS: grpcJs.ChannelOptions = {
  "grpc.max_receive_message_length": -1,
  "grpc.initial_reconnect_backoff_ms": 100,
  "grpc.max_reconnect_backoff_ms": 1000,
};

const channels = new Map<string, grpcJs.Channel>();

/** "http://host:port" → the channel key and grpc-js target; https:// means TLS. */
function target(baseUrl: string): { target: string; secure: boolean } {
  const url = new URL(baseUrl);
  const secure = url.protocol === "https:";
  return { target: `${url.hostname}:${url.port || (secure ? 443 : 80)}`, secure };
}

/**
 * The one grpc-js channel (one HTTP/2 connection, reconnected as needed) of
 * a server address, shared by every client of that address whatever its
 * service, key or deadline (those are per call).
 */
export function channelFor(grpc: GrpcJs, baseUrl: string): grpcJs.Channel {
  let channel = channels.get(baseUrl);
  if (!channel) {
    const t = target(baseUrl);
    channel = new grpc.Channel(t.target, t.secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    channels.set(baseUrl, channel);
  }
  return channel;
}

/**
 * Closes and forgets the pooled channel of `baseUrl` ("http://host:port"),
 * for an instance that went away: its connection and reconnect timers are
 * released. Calls in progress finish; a later call opens a new channel.
 */
export function releaseChannel(baseUrl: string): void {
  const channel = channels.get(baseUrl);
  if (channel) {
    channels.delete(baseUrl);
    channel.close();
  }
}

/** Base URLs that have a pooled channel now (diagnostics and tests: a released address is absent). */
export function pooledChannels(): string[] {
  return [...channels.keys()];
}
