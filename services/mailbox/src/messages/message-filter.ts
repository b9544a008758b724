import type { MessageType } from "./message.js";

/** Which of a handle's messages a Check, a wait or a Subscribe looks at. */
export interface MessageFilter {
  readonly handle: string;
  /** Only unread ones. */
  readonly unreadOnly: boolean;
  /** Only these types; every type when empty. */
  readonly types: readonly MessageType[];
}
