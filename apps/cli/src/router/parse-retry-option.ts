/**
 * `--retry N`: N retries after the first attempt, so N + 1 attempts in all
 * (`--retry 0` tries once). Returns the attempts, the number the
 * contracts' `max_attempts` fields take. Throws naming the option when N is
 * not a whole number ≥ 0.
 */
export function parseRetryOption(text: string, option = "--retry"): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new Error(`${option}: must be a whole number of retries ≥ 0 (retries after the first attempt), got "${text}"`);
  return Number(trimmed) + 1;
}
