import { randomBytes } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import type { MailboxConfig } from "@orchestrator/config";
import { HealthService, MailboxService } from "@orchestrator/contracts";
import type { DatabaseHandle } from "@orchestrator/db";
import { UnavailableError } from "@orchestrator/errors";
import { createServiceClient, type ServiceModule } from "@orchestrator/rpc";
import type { Logger } from "pino";
import { createMailboxServiceHandler } from "./handlers/mailbox-service.handler.js";
import { createHealthRecipientDirectory } from "./messages/health-recipient-directory.js";
import { Mailbox } from "./messages/mailbox.service.js";
import type { RecipientDirectory } from "./messages/recipient-directory.js";
import { RetentionSweeper } from "./retention/retention-sweeper.js";
import { MailboxEvents } from "./waiting/mailbox-events.js";
import { WaiterRegistry } from "./waiting/waiter-registry.js";

/** What the mailbox is built from. */
export interface MailboxModuleOptions {
  /** A migrated database. */
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Where the health service answers (groups resolve there); called from start() on, when the address is known. */
  readonly healthAddress: () => string;
  /** Key sent to the health service, if it requires one. */
  readonly apiKey: string | undefined;
  readonly config: MailboxConfig;
  /** Replaces the health service as the source of group members (tests, in-process use). */
  readonly directory?: RecipientDirectory;
}

/** The mailbox as a module a server hosts, plus its parts for in-process use and tests. */
export interface MailboxModule extends ServiceModule {
  readonly mailbox: Mailbox;
  /** Waiting Check calls and Subscribe streams held by this replica now. */
  readonly waiterCount: () => number;
  readonly retention: RetentionSweeper;
}

/**
 * Builds orchestrator.mailbox.v1.MailboxService: the Mailbox, the waiter
 * registry with its one LISTEN, the retention sweeper and the health client
 * that resolves groups. On stop, waiting calls end with UNAVAILABLE (retry
 * elsewhere) and streams close, before the server drains.
 */
export function createMailboxModule(options: MailboxModuleOptions): MailboxModule {
  const { database, logger, config } = options;
  // Marks this replica's notices, so its listener skips what it already woke in process.
  const origin = randomBytes(8).toString("hex");
  const registry = new WaiterRegistry(config.maxWaiters);
  const events = new MailboxEvents(database, registry, logger, origin);
  const retention = new RetentionSweeper(database.db, config.retention, logger);
  let health: Client<typeof HealthService> | undefined;
  const directory =
    options.directory ??
    createHealthRecipientDirectory(
      () =>
        (health ??= createServiceClient(HealthService, {
          address: options.healthAddress(),
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        })),
    );
  const mailbox = new Mailbox(database, registry, directory, config, origin);
  return {
    serviceNames: [MailboxService.typeName],
    mailbox,
    retention,
    waiterCount: () => registry.size,
    register(router) {
      router.service(MailboxService, createMailboxServiceHandler(mailbox));
    },
    async start() {
      await events.start();
      retention.start();
    },
    async stop() {
      registry.close(new UnavailableError("shutting_down", "the mailbox is shutting down; retry on another replica"));
      await retention.stop();
      await events.stop();
    },
  };
}
