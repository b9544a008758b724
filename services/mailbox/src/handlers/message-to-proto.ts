import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { MessageSchema, type Message } from "@orchestrator/contracts";
import type { MessageRecord } from "../messages/message.js";

/** The wire form of a message record. */
export function messageToProto(m: MessageRecord): Message {
  return create(MessageSchema, {
    id: m.id,
    seq: BigInt(m.seq),
    threadId: m.threadId,
    from: m.from,
    to: m.to,
    sentTo: m.sentTo,
    type: m.type,
    priority: m.priority,
    subject: m.subject,
    body: m.body,
    payload: m.payload ?? "",
    inReplyTo: m.inReplyTo ?? "",
    read: m.readAt !== null,
    createdAt: timestampFromDate(m.createdAt),
    ...(m.readAt ? { readAt: timestampFromDate(m.readAt) } : {}),
  });
}
