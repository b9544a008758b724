const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/;

/** The longest instance name, in characters (a DNS label). */
export const MAX_INSTANCE_NAME_LENGTH = 63;

/**
 * Is `name` a valid instance name? 1–63 characters of `[A-Za-z0-9_.-]`,
 * starting and ending with a letter or digit, without `..` (which would read
 * as a numeric range). Same rule as `RegisterInstanceRequest.name`.
 *
 * Note: a name of the shape `X-Y` (one letter each side) is valid but reads
 * as a letter range in a selector; select it with a glob (`X?Y`).
 */
export function isValidInstanceName(name: string): boolean {
  return name.length <= MAX_INSTANCE_NAME_LENGTH && NAME_PATTERN.test(name) && !name.includes("..");
}
