import type { Message } from "@orchestrator/contracts";
import type { AnswerMessage } from "./answer-message.js";

/** The agent's side of the mailbox, shaped by what a run needs (see createAgentMailbox). */
export interface AgentMailbox {
  /**
   * Unread messages for the agent other than dispatches (status, handoff,
   * escalation, ...), urgent first, marked read: what a run's input shows
   * as banners.
   */
  takeMessages(): Promise<Message[]>;
  /**
   * Sends an answer, retrying transient failures for up to `giveUpAfterMs`;
   * rejects when it could not be delivered.
   */
  send(answer: AnswerMessage, options: { giveUpAfterMs: number }): Promise<void>;
}
