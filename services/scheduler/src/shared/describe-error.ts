import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason } from "@orchestrator/rpc";

/** One line for a failed call: `UNAVAILABLE (instance_down): instance "A" is down`. */
export function describeError(err: unknown): string {
  if (err instanceof ConnectError) {
    const reason = errorReason(err);
    return `${Code[err.code]?.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase() ?? err.code}${reason ? ` (${reason})` : ""}: ${err.rawMessage}`;
  }
  return err instanceof Error ? err.message : String(err);
}
