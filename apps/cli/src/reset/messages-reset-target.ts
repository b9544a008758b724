import { MailboxService } from "@orchestrator/contracts";
import { clientFor } from "../global-options.js";
import type { ResetTarget } from "./reset-target.js";

/** `reset --messages [--handle H]`: MailboxService/Purge, every message or one handle's. */
export const messagesResetTarget: ResetTarget = {
  flag: "messages",
  description: "delete mailbox messages (all, or one handle's with --handle)",
  async run(command, options) {
    const res = await clientFor(MailboxService, command).purge(options.handle ? { handle: options.handle } : { all: true });
    return { target: "messages", deleted: Number(res.deleted), ...(options.handle ? { detail: `of ${options.handle}` } : {}) };
  },
};
