import { ConnectError } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";

/**
 * Reads the machine-readable reason (google.rpc.ErrorInfo) from a
 * ConnectError, if any: `unknown_instance`, `instance_down`,
 * `invalid_api_key`, ... Callers branch on reasons, never on messages.
 */
export function errorReason(err: unknown): string | undefined {
  if (!(err instanceof ConnectError)) {
    return undefined;
  }
  const reason = err.findDetails(rpcStatus.ErrorInfoSchema).find((info) => info.reason !== "")?.reason;
  return reason;
}
