/**
 * A validator message without its rule ids, for people:
 * `value length must be at least 1 characters [string.min_len]` →
 * `value length must be at least 1 characters`. Rule ids stay in --json.
 */
export function withoutRuleIds(text: string): string {
  return text.replace(/\s*\[[a-z_]+(\.[a-z0-9_]+)+\]/g, "");
}
