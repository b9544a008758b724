/** The NOTIFY channel every send announces its recipients on. */
export const MAILBOX_CHANNEL = "orchestrator_mailbox";

/**
 * Largest notification payload written, in bytes: under Postgres' 8000-byte
 * limit with room to spare.
 */
export const MAX_NOTICE_BYTES = 7900;

/** Handles that got messages of one type. */
export interface NoticeGroup {
  readonly type: string;
  readonly handles: readonly string[];
}

/** What one notification says: who committed it, and which handles got messages of which type. */
export interface MailboxNotice {
  /** The committing replica (see createMailboxModule); undefined in the older one-type format. */
  readonly origin: string | undefined;
  readonly groups: readonly NoticeGroup[];
}

/**
 * Encodes what one commit wrote as notification payloads:
 * `"<origin> <type>:<handle> <handle> <type>:<handle> ..."`. A whole batch
 * of sends, of any mix of types, is ONE payload, so a commit sends one
 * NOTIFY however many sends it carries; only recipients beyond
 * MAX_NOTICE_BYTES (a group send to hundreds of handles) spill into more
 * payloads of the same commit. Types, handles and origins are ASCII without
 * spaces or colons (the contract's rules), so characters are bytes.
 */
export function encodeNotices(origin: string, groups: readonly NoticeGroup[]): string[] {
  const notices: string[] = [];
  let current = origin;
  for (const { type, handles } of groups) {
    let first = true;
    for (const handle of handles) {
      let token = first ? `${type}:${handle}` : handle;
      if (current !== origin && current.length + 1 + token.length > MAX_NOTICE_BYTES) {
        notices.push(current);
        current = origin;
        token = `${type}:${handle}`;
      }
      current += ` ${token}`;
      first = false;
    }
  }
  if (current !== origin) notices.push(current);
  return notices;
}

/** The notices of the sends one commit wrote: recipients grouped by type (each handle once per type). */
export function noticesFor(origin: string, sends: ReadonlyArray<{ readonly type: string; readonly recipients: readonly string[] }>): string[] {
  const byType = new Map<string, Set<string>>();
  for (const send of sends) {
    let handles = byType.get(send.type);
    if (!handles) byType.set(send.type, (handles = new Set()));
    for (const handle of send.recipients) handles.add(handle);
  }
  return encodeNotices(origin, [...byType].map(([type, handles]) => ({ type, handles: [...handles] })));
}

/**
 * Decodes a payload of encodeNotices, or of the older one-type format
 * `"<type> <handle> ..."` (a replica not yet upgraded); undefined for
 * anything else.
 */
export function decodeNotice(payload: string): MailboxNotice | undefined {
  const tokens = payload.split(" ");
  if (tokens.length < 2 || tokens.some((t) => t === "")) return undefined;
  if (!tokens[1]!.includes(":")) {
    if (tokens.some((t) => t.includes(":"))) return undefined;
    return { origin: undefined, groups: [{ type: tokens[0]!, handles: tokens.slice(1) }] };
  }
  if (tokens[0]!.includes(":")) return undefined;
  const groups: Array<{ type: string; handles: string[] }> = [];
  for (const token of tokens.slice(1)) {
    const colon = token.indexOf(":");
    if (colon < 0) {
      groups.at(-1)!.handles.push(token);
      continue;
    }
    const type = token.slice(0, colon);
    const handle = token.slice(colon + 1);
    if (!type || !handle || handle.includes(":")) return undefined;
    groups.push({ type, handles: [handle] });
  }
  return { origin: tokens[0], groups };
}
