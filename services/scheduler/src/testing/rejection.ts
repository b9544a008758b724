import { ConnectError } from "@connectrpc/connect";

/** Awaits a call expected to fail and returns its ConnectError (throws if it succeeded or failed otherwise). For tests only. */
export async function rejection(call: Promise<unknown>): Promise<ConnectError> {
  const outcome = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof ConnectError)) throw new Error(`expected a ConnectError, got ${outcome === undefined ? "success" : String(outcome)}`);
  return outcome;
}
