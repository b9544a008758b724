import type { MessagePriorityName, MessageTypeName } from "@orchestrator/db";

/** What a message means to its recipient (the Orca vocabulary). */
export type MessageType = MessageTypeName;
/** How urgently it wants attention: Check returns urgent, then high, then normal. */
export type Priority = MessagePriorityName;

/** Every message type, in the order documented in the contract. */
export const MESSAGE_TYPES: readonly MessageType[] = Object.freeze([
  "status",
  "dispatch",
  "worker_done",
  "merge_ready",
  "escalation",
  "handoff",
  "decision_gate",
]);

/** Every priority, least urgent first. */
export const PRIORITIES: readonly Priority[] = Object.freeze(["normal", "high", "urgent"]);

/** Type of a message sent without one. */
export const DEFAULT_TYPE: MessageType = "status";
/** Priority of a message sent without one. */
export const DEFAULT_PRIORITY: Priority = "normal";

/** Is `value` one of MESSAGE_TYPES? */
export function isMessageType(value: string): value is MessageType {
  return (MESSAGE_TYPES as readonly string[]).includes(value);
}

/** Is `value` one of PRIORITIES? */
export function isPriority(value: string): value is Priority {
  return (PRIORITIES as readonly string[]).includes(value);
}

/** One recipient's copy of a message, as the service layer sees it. */
export interface MessageRecord {
  /** Public id (UUID). */
  readonly id: string;
  /** Position in the recipient's mailbox (decimal string: int8). */
  readonly seq: string;
  readonly threadId: string;
  readonly from: string;
  readonly to: string;
  /** The address used: the handle, or the group/selector it was resolved from. */
  readonly sentTo: string;
  readonly type: MessageType;
  readonly priority: Priority;
  readonly subject: string;
  readonly body: string;
  /** JSON text; undefined when the message has none. */
  readonly payload: string | undefined;
  /** Id of the answered message, for replies. */
  readonly inReplyTo: string | undefined;
  readonly createdAt: Date;
  /** null while unread. */
  readonly readAt: Date | null;
}
