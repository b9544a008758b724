import { ConnectError, type Client } from "@connectrpc/connect";
import { AgentService, HealthService, InstanceKind, type TailOutputResponse } from "@orchestrator/contracts";
import { FailedPreconditionError, InvalidArgumentError } from "@orchestrator/errors";
import { createServiceClient, type ServiceModule } from "@orchestrator/rpc";

/** Request header naming the agent whose AgentService a call on the control plane is relayed to. */
export const AGENT_HEADER = "x-orchestrator-agent";

const HANDLE = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/** What the relay needs: where the health service is, and the key the control plane's own clients send. */
export interface AgentRelayOptions {
  /** host:port of the health service (resolves an agent's registered address). */
  readonly healthAddress: () => string;
  readonly apiKey?: string | undefined;
}

/**
 * AgentService on the control plane's port, relayed to the agent runner
 * named in the `x-orchestrator-agent` header: the call goes to the address
 * the agent registered (HealthService GetInstance), so a browser, which can
 * reach only the console's origin, tails an agent's output through the
 * agent's own contract. The relayed call goes through the server's
 * interceptors (API key, validation) like any RPC, and is cancelled with
 * the caller's. A missing header is INVALID_ARGUMENT; an instance that is no
 * agent runner is FAILED_PRECONDITION (`not_an_agent`).
 */
export function createAgentRelayModule(options: AgentRelayOptions): ServiceModule {
  const health = () => createServiceClient(HealthService, { address: options.healthAddress(), ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
  async function agentFor(header: string | null): Promise<Client<typeof AgentService>> {
    const name = header?.trim() ?? "";
    if (!HANDLE.test(name)) throw new InvalidArgumentError(AGENT_HEADER, "the header must name an agent (1-63 letters, digits, '.', '_' or '-')");
    const { instance } = await health().getInstance({ name }).catch(rethrowClean);
    if (!instance || instance.kind !== InstanceKind.AGENT || instance.address === "") {
      throw new FailedPreconditionError("not_an_agent", `${name} is not an agent runner (instances started with \`orchestrator agent\` serve AgentService)`, { instance: name });
    }
    return createServiceClient(AgentService, { address: instance.address, ...(options.apiKey ? { apiKey: options.apiKey } : {}), timeoutMs: 0 });
  }
  return {
    serviceNames: [AgentService.typeName],
    register(router) {
      router.service(AgentService, {
        async *tailOutput(req, ctx): AsyncGenerator<TailOutputResponse> {
          const agent = await agentFor(ctx.requestHeader.get(AGENT_HEADER));
          try {
            yield* agent.tailOutput(req, { signal: ctx.signal });
          } catch (err) {
            rethrowClean(err);
          }
        },
        async getAgentStatus(req, ctx) {
          const agent = await agentFor(ctx.requestHeader.get(AGENT_HEADER));
          return agent.getAgentStatus(req, { signal: ctx.signal, timeoutMs: 10_000 }).catch(rethrowClean);
        },
      });
    },
  };
}

/**
 * An upstream error as this call's own: code, message and details kept, the
 * upstream response's headers and trailers (its content-type, grpc-status)
 * dropped, since the server would otherwise send them as this response's.
 */
function rethrowClean(err: unknown): never {
  if (!(err instanceof ConnectError)) throw err;
  const clean = new ConnectError(err.rawMessage, err.code, undefined, undefined, err.cause);
  clean.details = err.details;
  throw clean;
}
