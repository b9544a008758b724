/** A tool's `payload` argument (any JSON value) as the JSON text the mailbox keeps; empty when absent. */
export function payloadText(payload: unknown): string {
  return payload === undefined ? "" : JSON.stringify(payload);
}
