import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Message } from "@orchestrator/contracts";

/** `[HIGH]` / `[URGENT]` for messages that want attention; nothing for normal ones. */
export function priorityMarker(priority: string): string {
  return priority === "urgent" ? "[URGENT] " : priority === "high" ? "[HIGH] " : "";
}

/**
 * A message as a banner to paste into an agent's prompt (`check --inject`):
 * priority marker, sender, type and thread on the first line, then subject,
 * body and payload, and the exact command that answers it.
 */
export function renderBanner(m: Message): string {
  const at = m.createdAt ? timestampDate(m.createdAt).toISOString() : "";
  const lines = [
    `=== ${priorityMarker(m.priority)}MESSAGE from ${m.from} to ${m.to} (${m.type}) ===`,
    `id: ${m.id}  thread: ${m.threadId}  sent: ${at}${m.inReplyTo ? `  in reply to: ${m.inReplyTo}` : ""}`,
    `subject: ${m.subject}`,
  ];
  if (m.body) lines.push("", m.body, "");
  if (m.payload) lines.push(`payload: ${m.payload}`);
  lines.push(`reply: orchestrator reply --id ${m.id} --body "<your answer>"`, "=== END MESSAGE ===");
  return lines.join("\n");
}
