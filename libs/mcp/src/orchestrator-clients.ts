import type { Client } from "@connectrpc/connect";
import { HealthService, MailboxService, SchedulerService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";

/** Where the services the MCP server calls answer (one address when one control plane hosts them all). */
export interface OrchestratorAddresses {
  readonly mailbox: string;
  readonly scheduler: string;
  readonly health: string;
}

/** The service clients behind the tools: the MCP server holds nothing else. */
export interface OrchestratorClients {
  readonly mailbox: Client<typeof MailboxService>;
  readonly scheduler: Client<typeof SchedulerService>;
  readonly health: Client<typeof HealthService>;
}

/** Clients of the mailbox, scheduler and health services (gRPC, bearer key, 30 s default deadline). */
export function createOrchestratorClients(addresses: OrchestratorAddresses, apiKey?: string): OrchestratorClients {
  const key = apiKey ? { apiKey } : {};
  return {
    mailbox: createServiceClient(MailboxService, { address: addresses.mailbox, ...key }),
    scheduler: createServiceClient(SchedulerService, { address: addresses.scheduler, ...key }),
    health: createServiceClient(HealthService, { address: addresses.health, ...key }),
  };
}
