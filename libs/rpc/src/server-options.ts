import type { DescFile } from "@bufbuild/protobuf";
import type { Logger } from "pino";
import type { HttpHandler } from "./http-handler.js";
import type { ServiceModule } from "./service-module.js";

/** What startServer needs; every service passes the same shape. */
export interface ServerOptions {
  /** Interface to listen on, e.g. "127.0.0.1". Anything but loopback requires `apiKeys`. */
  host: string;
  /** Port to listen on; 0 picks an ephemeral port (read it from RunningServer.port). */
  port: number;
  /** Accepted `Authorization: Bearer` keys (several, for rotation); empty turns auth off. */
  apiKeys: readonly string[];
  /** The units this server hosts; each registers its handlers on the one router. */
  modules: readonly ServiceModule[];
  /** Files served by reflection (plus their transitive deps and the files of every registered service). */
  reflectionFiles: readonly DescFile[];
  /** Receives lifecycle logs and unexpected handler errors; never API keys or request bodies. */
  logger: Logger;
  /**
   * Called with the bound address ("127.0.0.1:50051") once the port listens,
   * before any module starts: modules that call services hosted by this same
   * process (port 0 in tests) learn where to dial.
   */
  onListening?: (address: string) => void;
  /** Run in order after the server has closed (close db, flush telemetry). */
  onClose?: ReadonlyArray<() => Promise<void>>;
  /**
   * How long close() lets open calls finish before it cuts connections.
   * @default 10000
   */
  drainTimeoutMs?: number;
  /**
   * Largest request message accepted, in bytes; bigger ones fail with
   * RESOURCE_EXHAUSTED instead of exhausting memory.
   * @default 16777216 (16 MiB)
   */
  readMaxBytes?: number;
  /**
   * Plain HTTP handlers tried in order before the RPC router (console assets,
   * `/mcp`, REST transcoding); the first that returns true has answered.
   * @default []
   */
  httpHandlers?: readonly HttpHandler[];
}
