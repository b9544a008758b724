/**
 * orchestrator.mailbox.v1.MailboxService: persistent typed messages between
 * handles, group sends, threads, waiting checks woken by LISTEN/NOTIFY,
 * resumable subscriptions and retention.
 */
export { createMailboxModule, type MailboxModule, type MailboxModuleOptions } from "./mailbox-module.js";
export { Mailbox, DEFAULT_LIMIT } from "./messages/mailbox.service.js";
export type { RecipientDirectory } from "./messages/recipient-directory.js";
export { MESSAGE_TYPES, PRIORITIES, type MessageRecord, type MessageType, type Priority } from "./messages/message.js";
export { MAILBOX_CHANNEL } from "./waiting/mailbox-notice.js";
export { CALLER_HEADER } from "@orchestrator/rpc";
