import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AgentService, HealthService, MailboxService, SchedulerService } from "@orchestrator/contracts";
import { authState, reportUnauthenticated } from "../auth/key-store";
import { describeError } from "./describe-error";

/** Who the console says it is (`resolved_by` of gates, the default sender). */
export const CONSOLE_CALLER = "console";

/**
 * Every call carries the tab's key and the console's caller name; an
 * UNAUTHENTICATED answer (unary or stream) goes to the key prompt.
 */
const auth: Interceptor = (next) => async (req) => {
  const { key } = authState();
  if (key) req.header.set("authorization", `Bearer ${key}`);
  req.header.set("x-orchestrator-caller", CONSOLE_CALLER);
  try {
    const res = await next(req);
    if (!res.stream) return res;
    return {
      ...res,
      message: (async function* () {
        try {
          yield* res.message;
        } catch (err) {
          noteAuthError(err);
          throw err;
        }
      })(),
    };
  } catch (err) {
    noteAuthError(err);
    throw err;
  }
};

function noteAuthError(err: unknown): void {
  if (ConnectError.from(err).code === Code.Unauthenticated) reportUnauthenticated(describeError(err));
}

/**
 * The services' own contracts over Connect (binary protobuf, HTTP/1.1,
 * server streaming for the live parts), at this page's origin: the console
 * has no API of its own.
 */
const transport = createConnectTransport({ baseUrl: location.origin, useBinaryFormat: true, interceptors: [auth] });

export const health: Client<typeof HealthService> = createClient(HealthService, transport);
export const scheduler: Client<typeof SchedulerService> = createClient(SchedulerService, transport);
export const mailbox: Client<typeof MailboxService> = createClient(MailboxService, transport);
/** AgentService relayed by the control plane to the agent named in `x-orchestrator-agent`. */
export const agents: Client<typeof AgentService> = createClient(AgentService, transport);
