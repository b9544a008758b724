import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { HealthService, MailboxService, RouterService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";

/** Clients of the services the scheduler calls, by their gRPC contracts only. */
export interface ServiceClients {
  readonly router: () => Client<typeof RouterService>;
  readonly mailbox: () => Client<typeof MailboxService>;
  readonly health: () => Client<typeof HealthService>;
}

/** Where those services answer; read from start() on (they may be this very process, on a port known only then). */
export interface ServiceAddresses {
  readonly router: () => string;
  readonly mailbox: () => string;
  readonly health: () => string;
}

/**
 * Lazily created clients, one per service and address (re-created if the
 * address changes), without a default deadline: every call passes its own.
 */
export function createServiceClients(addresses: ServiceAddresses, apiKey: string | undefined): ServiceClients {
  const cached = <T extends DescService>(service: T, address: () => string) => {
    let current: { address: string; client: Client<T> } | undefined;
    return () => {
      const at = address();
      if (current?.address !== at) {
        current = { address: at, client: createServiceClient(service, { address: at, ...(apiKey ? { apiKey } : {}), timeoutMs: 0 }) };
      }
      return current.client;
    };
  };
  return {
    router: cached(RouterService, addresses.router),
    mailbox: cached(MailboxService, addresses.mailbox),
    health: cached(HealthService, addresses.health),
  };
}
