/** URI of a handle's inbox resource. */
export const inboxUri = (handle: string) => `orchestrator://mailbox/${handle}`;

/** URI of the caller's current dispatch resource. */
export const DISPATCH_URI = "orchestrator://dispatch/current";
