import { MAX_INSTANCE_NAME_LENGTH, isValidInstanceName } from "./is-valid-instance-name.js";
import { MAX_RANGE_SIZE } from "./selector.js";

/** Thrown by the expanders with the rule that was broken; parseSelector wraps it. */
export class RangeRuleError extends Error {}

const LETTER_RANGE = /^([A-Za-z])-([A-Za-z])$/;
const NUMERIC_RANGE = /^(.*?)(\d+)\.\.(\d+)$/;

/** Is `text` shaped like a letter range (`A-H`): one letter, a dash, one letter? */
export function isLetterRangeShape(text: string): boolean {
  return LETTER_RANGE.test(text);
}

/**
 * Expands `A-H` to `A, B, ..., H`. Both ends must be one letter of the same
 * case, from <= to. Throws RangeRuleError naming the rule otherwise.
 */
export function expandLetterRange(text: string): string[] {
  const match = LETTER_RANGE.exec(text);
  if (!match) throw new RangeRuleError("a letter range is one letter, '-', one letter (e.g. A-H)");
  const from = match[1] as string;
  const to = match[2] as string;
  const isUpper = (c: string) => c >= "A" && c <= "Z";
  if (isUpper(from) !== isUpper(to)) throw new RangeRuleError("both ends of a letter range must have the same case");
  const start = from.charCodeAt(0);
  const end = to.charCodeAt(0);
  if (start > end) throw new RangeRuleError(`range start '${from}' is after its end '${to}'`);
  const names: string[] = [];
  for (let code = start; code <= end; code++) names.push(String.fromCharCode(code));
  return names;
}

/**
 * Expands `<prefix><from>..<to>` (`kite-1..5`, `w01..10`) to names. A
 * zero-padded `from` (`01`) fixes the width of every number; from <= to; at
 * most MAX_RANGE_SIZE names; every name must be a valid instance name.
 */
export function expandNumericRange(text: string): string[] {
  const match = NUMERIC_RANGE.exec(text);
  if (!match) throw new RangeRuleError("a numeric range is PREFIX FROM..TO with digits on both sides (e.g. kite-1..5)");
  const prefix = match[1] as string;
  const fromDigits = match[2] as string;
  const toDigits = match[3] as string;
  if (prefix !== "" && !isValidInstanceName(`${prefix}0`)) {
    throw new RangeRuleError(`range prefix '${prefix}' does not start a valid instance name`);
  }
  if (fromDigits.length > 15 || toDigits.length > 15) throw new RangeRuleError("range bounds are too large");
  const from = Number(fromDigits);
  const to = Number(toDigits);
  if (from > to) throw new RangeRuleError(`range start ${fromDigits} is after its end ${toDigits}`);
  if (to - from + 1 > MAX_RANGE_SIZE) throw new RangeRuleError(`a range expands to at most ${MAX_RANGE_SIZE} names`);
  const width = fromDigits.length > 1 && fromDigits.startsWith("0") ? fromDigits.length : 0;
  if (prefix.length + Math.max(width, String(to).length) > MAX_INSTANCE_NAME_LENGTH) {
    throw new RangeRuleError(`range names would exceed ${MAX_INSTANCE_NAME_LENGTH} characters`);
  }
  const names: string[] = [];
  for (let n = from; n <= to; n++) names.push(prefix + String(n).padStart(width, "0"));
  return names;
}
