/**
 * Polls `probe` until it returns a value other than undefined/false, and
 * returns it. Fails with `description` (and the last value seen) after
 * `timeoutMs`. For waiting on eventual state in tests, never for asserting
 * how fast it arrived: the deadline is generous on purpose.
 * @default timeoutMs 15000, intervalMs 25
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
  }
}
