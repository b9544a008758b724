import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { MessageSchema, type Message } from "@orchestrator/contracts";

let next = 0;

/**
 * A mailbox Message for tests: defaults filled in (a fresh UUID-like id, a
 * status from `tester` to `kite-1`), `fields` win.
 */
export function testMessage(fields: Partial<Omit<Message, "$typeName" | "createdAt">> = {}): Message {
  next++;
  return create(MessageSchema, {
    id: `00000000-0000-4000-8000-${String(next).padStart(12, "0")}`,
    seq: BigInt(next),
    threadId: `thread-${next}`,
    from: "tester",
    to: "kite-1",
    sentTo: fields.to ?? "kite-1",
    type: "status",
    priority: "normal",
    subject: `message ${next}`,
    createdAt: timestampFromDate(new Date("2030-01-02T03:04:05Z")),
    ...fields,
  });
}

/** A scheduler `dispatch` message for `task`, as the dispatcher sends it (`inject`: body = preamble + spec). */
export function testDispatch(task: string, spec: string, extra: Record<string, unknown> = {}, fields: Partial<Omit<Message, "$typeName" | "createdAt">> = {}): Message {
  const dispatch = `d-${task}`;
  return testMessage({
    type: "dispatch",
    from: "scheduler",
    threadId: dispatch,
    subject: `task ${task}: ${spec.split("\n")[0]}`,
    body: `You are kite-1. PREAMBLE for ${task}.\n\nTask:\n${spec}`,
    payload: JSON.stringify({ task, dispatch, attempt: 1, spec, payload: null, replyTo: "scheduler", decisions: [], ...extra }),
    ...fields,
  });
}
