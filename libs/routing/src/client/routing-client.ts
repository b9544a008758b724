import type { MessageInitShape } from "@bufbuild/protobuf";
import type { OutlierConfig } from "@orchestrator/config";
import type {
  CloseSessionRequestSchema,
  CloseSessionResponse,
  FanoutRequestSchema,
  FanoutResponse,
  FanoutStreamRequestSchema,
  FanoutStreamResponse,
  GetSessionRequestSchema,
  GetSessionResponse,
  RouteRequestSchema,
  RouteResponse,
  SendSessionRequestSchema,
  SendSessionResponse,
  SpawnSessionRequestSchema,
  SpawnSessionResponse,
} from "@orchestrator/contracts";
import type { Logger } from "pino";
import type { OutlierDetector } from "../choice/outlier-detector.js";
import type { InstanceView } from "../instances/instance-view.js";
import type { RoutingSettings } from "../routing-settings.js";

/** Options of createRoutingClient. */
export interface RoutingClientOptions {
  /** Where the health service answers ("host:port"): the client follows its WatchHealth stream. */
  readonly healthAddress: string;
  /**
   * Where the router answers: only session calls go there (a session's
   * order, sequence numbers and history live in the router's database).
   * Without it, session calls fail with FAILED_PRECONDITION.
   */
  readonly routerAddress?: string;
  /** The control plane's key: sent to the health service, to instances (which accept it) and to the router. */
  readonly apiKey?: string;
  /**
   * Attempts, deadlines, backoff and outlier ejection, over the router's
   * defaults (`defaultRouterConfig()`: 3 attempts, 10 s per attempt, 30 s
   * per call, backoff 25 ms to 1 s, ejection after 5 failures for 10 s).
   */
  readonly settings?: Partial<Omit<RoutingSettings, "outlier">> & { readonly outlier?: Partial<OutlierConfig> };
  /**
   * How long a call waits for the first instance snapshot before going on
   * with what there is (a selector error then names what was not found).
   * @default 5000
   */
  readonly syncTimeoutMs?: number;
  /** Where the health stream's reconnects are reported. @default silent */
  readonly logger?: Logger;
}

/** What a call may be given, as with a Connect client. */
export interface RoutingCallOptions {
  /** Aborting it cancels the call, and the work on the instances (CANCELLED). */
  readonly signal?: AbortSignal;
  /** The caller's deadline in ms: the call's budget is cut to it, less a small margin, as the router cuts it to a caller's deadline. */
  readonly timeoutMs?: number;
}

/**
 * Route, Fanout and session sends without the router's hop: the same
 * requests, responses and errors as RouterService (a ConnectError with the
 * same code, ErrorInfo reason and `attempts` metadata), so code written
 * against `Client<typeof RouterService>` switches by changing how the
 * client is made. See createRoutingClient.
 */
export interface RoutingClient {
  /** RouterService/Route, in this process: picks, retries and fails over itself, calling the instance directly. */
  route(request: MessageInitShape<typeof RouteRequestSchema>, options?: RoutingCallOptions): Promise<RouteResponse>;
  /** RouterService/Fanout, in this process: calls every target directly and aggregates. */
  fanout(request: MessageInitShape<typeof FanoutRequestSchema>, options?: RoutingCallOptions): Promise<FanoutResponse>;
  /** RouterService/FanoutStream, in this process: each target's outcome as it arrives, then the summary. */
  fanoutStream(request: MessageInitShape<typeof FanoutStreamRequestSchema>, options?: RoutingCallOptions): AsyncIterable<FanoutStreamResponse>;
  /** RouterService/SpawnSession, through the router (needs `routerAddress`). */
  spawnSession(request: MessageInitShape<typeof SpawnSessionRequestSchema>, options?: RoutingCallOptions): Promise<SpawnSessionResponse>;
  /** RouterService/SendSession, through the router (needs `routerAddress`): ordered, numbered, recorded, failed over there. */
  sendSession(request: MessageInitShape<typeof SendSessionRequestSchema>, options?: RoutingCallOptions): Promise<SendSessionResponse>;
  /** RouterService/GetSession, through the router (needs `routerAddress`). */
  getSession(request: MessageInitShape<typeof GetSessionRequestSchema>, options?: RoutingCallOptions): Promise<GetSessionResponse>;
  /** RouterService/CloseSession, through the router (needs `routerAddress`). */
  closeSession(request: MessageInitShape<typeof CloseSessionRequestSchema>, options?: RoutingCallOptions): Promise<CloseSessionResponse>;
  /** Resolves once the first instance snapshot is in, or after `timeoutMs`; true when it is in. */
  ready(timeoutMs?: number): Promise<boolean>;
  /** The instances as this client sees them (diagnostics, tests). */
  readonly view: InstanceView;
  /** This client's outlier verdicts (diagnostics, tests). */
  readonly outliers: OutlierDetector;
  /** Stops following the health service. Calls in flight finish; later calls route on the last view. */
  close(): Promise<void>;
}
