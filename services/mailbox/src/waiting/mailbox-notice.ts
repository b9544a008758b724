/** The NOTIFY channel every send announces its recipients on. */
export const MAILBOX_CHANNEL = "orchestrator_mailbox";

/**
 * Largest notification payload written, in bytes: under Postgres' 8000-byte
 * limit with room to spare.
 */
export const MAX_NOTICE_BYTES = 7900;

/** What one notification says: these handles got a message of this type. */
export interface MailboxNotice {
  readonly type: string;
  readonly handles: readonly string[];
}

/**
 * Encodes a send's recipients as compact notification payloads,
 * `"<type> <handle> <handle> ..."`, split so each stays within
 * MAX_NOTICE_BYTES: a group send to thousands of handles becomes a few
 * notifications, not one per recipient and never one too big. Types and
 * handles are ASCII without spaces (the contract's rules), so characters
 * are bytes.
 */
export function encodeNotices(type: string, handles: readonly string[]): string[] {
  const notices: string[] = [];
  let current = type;
  for (const handle of handles) {
    if (current.length + 1 + handle.length > MAX_NOTICE_BYTES && current !== type) {
      notices.push(current);
      current = type;
    }
    current += ` ${handle}`;
  }
  notices.push(current);
  return notices;
}

/** Decodes a payload of encodeNotices; undefined for anything else. */
export function decodeNotice(payload: string): MailboxNotice | undefined {
  const [type, ...handles] = payload.split(" ");
  if (!type || handles.length === 0 || handles.some((h) => h === "")) return undefined;
  return { type, handles };
}

/** The notices of several sends: their recipients grouped by type, each group encoded by encodeNotices. */
export function noticesFor(sends: ReadonlyArray<{ readonly type: string; readonly recipients: readonly string[] }>): string[] {
  const byType = new Map<string, Set<string>>();
  for (const send of sends) {
    const handles = byType.get(send.type) ?? new Set<string>();
    for (const handle of send.recipients) handles.add(handle);
    byType.set(send.type, handles);
  }
  return [...byType].flatMap(([type, handles]) => encodeNotices(type, [...handles]));
}
