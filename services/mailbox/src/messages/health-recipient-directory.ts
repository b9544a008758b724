import type { Client } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import type { HealthService } from "@orchestrator/contracts";
import { DomainError, InvalidArgumentError, UnavailableError } from "@orchestrator/errors";
import type { RecipientDirectory } from "./recipient-directory.js";

/** Deadline of one lookup in the registry. */
const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * A RecipientDirectory backed by the health service's ListInstances, over
 * its gRPC contract. The client is obtained per call because the health
 * address is only known once the server listens. Errors are mapped to the
 * mailbox's own, naming the Send field `to`.
 */
export function createHealthRecipientDirectory(client: () => Client<typeof HealthService>): RecipientDirectory {
  return {
    async resolve(selector) {
      try {
        const res = await client().listInstances({ selectors: [selector] }, { timeoutMs: LOOKUP_TIMEOUT_MS });
        return res.instances.map((i) => i.name);
      } catch (err) {
        throw fromHealthError(ConnectError.from(err), selector);
      }
    },
  };
}

function fromHealthError(err: ConnectError, selector: string): DomainError {
  if (err.code === Code.NotFound) {
    const rule = `selector "${selector}" matched no instance`;
    return new DomainError("not_found", "no_match", `to: ${rule}`, { selector, field: "to" }, [{ field: "to", description: rule }]);
  }
  if (err.code === Code.InvalidArgument) return new InvalidArgumentError("to", err.rawMessage, "invalid_selector");
  return new UnavailableError("health_unavailable", `cannot resolve "${selector}": the health service answered ${Code[err.code]}: ${err.rawMessage}`, {
    selector,
  });
}
