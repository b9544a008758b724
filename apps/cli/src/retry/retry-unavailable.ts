import { Code, ConnectError } from "@connectrpc/connect";

/** First pause between tries; doubles per try, up to MAX_DELAY_MS. */
const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 2000;

/**
 * Runs `call`, and again up to `retries` times while it fails with
 * UNAVAILABLE (the control plane is unreachable or restarting: the
 * openclaw skill's "503, use --retry 3"), pausing 200 ms, 400 ms, ... (at
 * most 2 s) between tries. Any other error, or the last UNAVAILABLE, is
 * thrown as is.
 */
export async function retryUnavailable<T>(retries: number, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= retries || ConnectError.from(error).code !== Code.Unavailable) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt)));
    }
  }
}
