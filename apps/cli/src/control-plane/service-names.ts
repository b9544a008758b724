/** The services one process can host (`orchestrator serve <service...>`); kept apart from their factories so commands can name them without loading them. */
export const SERVICE_NAMES = ["health", "router", "mailbox", "scheduler"] as const;

/** One of SERVICE_NAMES. */
export type ServiceName = (typeof SERVICE_NAMES)[number];
