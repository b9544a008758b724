import type { Message } from "@orchestrator/contracts";
import { renderBanner } from "./render-banner.js";

/**
 * The text a run's command receives: the messages that arrived for the
 * agent since its last run, as `--inject` banners (urgent first, as the
 * mailbox returns them) under one heading, then the dispatch text (the
 * scheduler's preamble and the task spec). Messages come first so an agent
 * reads escalations and handoffs before it starts on the task.
 */
export function renderRunInput(dispatchText: string, messages: readonly Message[]): string {
  if (messages.length === 0) return dispatchText;
  const count = messages.length === 1 ? "1 new message" : `${messages.length} new messages`;
  return [`You have ${count} (arrived since your last task; read before you start):`, "", messages.map(renderBanner).join("\n\n"), "", dispatchText].join("\n");
}
