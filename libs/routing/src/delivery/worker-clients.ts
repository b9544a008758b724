import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { WorkerService, type ExecuteRequestSchema, type ExecuteResponse } from "@orchestrator/contracts";
import { createTransport, releaseTransport } from "@orchestrator/rpc";

const EXECUTE = WorkerService.method.execute;

/** What an Execute call may be given. */
export interface ExecuteCallOptions {
  /** Aborting it cancels the call on the instance too (HTTP/2 RST_STREAM); undefined when nothing but the timeout ends it. */
  readonly signal: AbortSignal | undefined;
  /** Deadline of this call, sent to the instance as `grpc-timeout`. */
  readonly timeoutMs: number;
}

/**
 * WorkerService clients, one per instance address, over gRPC (HTTP/2, one
 * connection per address shared by every call), authenticated with the
 * control plane's key, which workers accept. Calls go to the address's
 * transport directly (with its interceptors: tracing, auth), not through a
 * typed connect client, whose extra async layer costs a promise per call.
 */
export class WorkerClients {
  private readonly clients = new Map<string, Transport>();

  constructor(private readonly apiKey: string | undefined) {}

  execute(address: string, request: MessageInitShape<typeof ExecuteRequestSchema>, options: ExecuteCallOptions): Promise<ExecuteResponse> {
    const timeoutMs = Math.max(1, Math.ceil(options.timeoutMs));
    return this.client(address)
      .unary(EXECUTE, options.signal, timeoutMs, undefined, request, undefined)
      .then((response) => response.message);
  }

  /**
   * Drops the client of an address no instance uses any more (re-registered
   * elsewhere, deregistered) and closes its pooled channel, so no connection
   * or reconnect timer outlives the instance.
   */
  forget(address: string): void {
    this.clients.delete(address);
    releaseTransport(address);
  }

  private client(address: string): Transport {
    let client = this.clients.get(address);
    if (!client) {
      client = createTransport({ address, ...(this.apiKey ? { apiKey: this.apiKey } : {}), timeoutMs: 0 });
      this.clients.set(address, client);
    }
    return client;
  }
}
