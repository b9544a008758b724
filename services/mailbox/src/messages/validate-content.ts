import { InvalidArgumentError, type FieldViolation } from "@orchestrator/errors";
import { isValidInstanceName } from "@orchestrator/selector";
import { isMessageType, isPriority, MESSAGE_TYPES, PRIORITIES, type MessageType, type Priority } from "./message.js";

/** Size limits a replica enforces (from MailboxConfig). */
export interface ContentLimits {
  readonly maxBodyBytes: number;
  readonly maxPayloadBytes: number;
}

/** What a sender wrote, before defaults; empty strings mean "not given". */
export interface DraftContent {
  readonly subject: string;
  readonly body: string;
  readonly type: string;
  readonly priority: string;
  readonly payload: string;
  readonly threadId?: string;
}

/** A draft that passed every rule, with defaults applied. */
export interface ValidContent {
  readonly subject: string;
  readonly body: string;
  readonly type: MessageType;
  readonly priority: Priority;
  /** The JSON text exactly as sent (stored and returned verbatim); undefined when none. */
  readonly payload: string | undefined;
}

const MAX_SUBJECT_LENGTH = 512;
const THREAD_ID = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

/**
 * The content rules of Send and Reply, enforced here as well as in the proto
 * so in-process callers get the same errors: known type and priority, a
 * subject of 1-512 characters, body and payload within the configured byte
 * limits, a payload that parses as JSON, a well-formed thread id. Throws one
 * InvalidArgumentError listing every broken rule by field.
 */
export function validateContent(draft: DraftContent, limits: ContentLimits, defaults: { type: MessageType; priority: Priority }): ValidContent {
  const violations: FieldViolation[] = [];
  const bad = (field: string, description: string) => violations.push({ field, description });
  if (draft.type !== "" && !isMessageType(draft.type)) bad("type", `"${draft.type}" must be one of ${MESSAGE_TYPES.join(", ")}`);
  if (draft.priority !== "" && !isPriority(draft.priority)) bad("priority", `"${draft.priority}" must be one of ${PRIORITIES.join(", ")}`);
  if (draft.subject.length === 0) bad("subject", "must not be empty");
  if (draft.subject.length > MAX_SUBJECT_LENGTH) bad("subject", `must be at most ${MAX_SUBJECT_LENGTH} characters`);
  const bodyBytes = Buffer.byteLength(draft.body, "utf8");
  if (bodyBytes > limits.maxBodyBytes) bad("body", `is ${bodyBytes} bytes; at most ${limits.maxBodyBytes} are allowed (ORCHESTRATOR_MAILBOX_MAX_BODY_BYTES)`);
  if (draft.threadId && !THREAD_ID.test(draft.threadId)) {
    bad("thread_id", "must be 1-128 letters, digits, '_', '.', ':', '/' or '-', starting with a letter or digit");
  }
  const payload = checkPayload(draft.payload, limits.maxPayloadBytes, bad);
  if (violations.length > 0) throw InvalidArgumentError.of(violations);
  return {
    subject: draft.subject,
    body: draft.body,
    type: draft.type === "" ? defaults.type : (draft.type as MessageType),
    priority: draft.priority === "" ? defaults.priority : (draft.priority as Priority),
    payload,
  };
}

/** Throws InvalidArgumentError(field) unless `handle` is a valid handle. */
export function requireHandle(handle: string, field: string): void {
  if (!isValidInstanceName(handle)) {
    throw new InvalidArgumentError(
      field,
      `"${handle}" is not a valid handle: 1-63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit`,
    );
  }
}

function checkPayload(text: string, maxBytes: number, bad: (field: string, description: string) => void): string | undefined {
  if (text === "") return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > maxBytes) {
    bad("payload", `is ${bytes} bytes; at most ${maxBytes} are allowed (ORCHESTRATOR_MAILBOX_MAX_PAYLOAD_BYTES)`);
    return undefined;
  }
  try {
    JSON.parse(text);
    return text;
  } catch (err) {
    bad("payload", `must be JSON text (e.g. {"task":"t1"}): ${(err as Error).message}`);
    return undefined;
  }
}
