import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { MessageSchema, type Message } from "@orchestrator/contracts";
import { priorityMarker, renderBanner } from "@orchestrator/agent";
import { ago, printJson, printTable } from "./print.js";

/** How to show messages: a table for people, proto JSON for machines, or prompt banners. */
export type MessageFormat = "table" | "json" | "inject";

/** The proto JSON of a message (as grpcurl and curl see it). */
export function messageJson(m: Message): unknown {
  return toJson(MessageSchema, m);
}

/** Prints messages in `format`; an empty list prints nothing with `inject` (nothing to paste). */
export function printMessages(messages: readonly Message[], format: MessageFormat): void {
  if (format === "json") {
    printJson(messages.map(messageJson));
    return;
  }
  if (format === "inject") {
    if (messages.length > 0) process.stdout.write(`${messages.map(renderBanner).join("\n\n")}\n`);
    return;
  }
  printTable(
    ["ID", "FROM", "TO", "TYPE", "SUBJECT", "READ", "SENT"],
    messages.map((m) => [
      m.id,
      m.from,
      m.to,
      m.type,
      `${priorityMarker(m.priority)}${m.subject}`,
      m.read ? "yes" : "no",
      ago(m.createdAt && timestampDate(m.createdAt)),
    ]),
  );
}
