import type { Logger } from "pino";
import type { RunningServer } from "./running-server.js";

/** Test seams for installSignalHandlers. */
export interface SignalHandlerOptions {
  /** @default ["SIGINT", "SIGTERM"] */
  signals?: readonly NodeJS.Signals[];
  /** @default process.exit */
  exit?: (code: number) => void;
}

/**
 * On the first SIGINT or SIGTERM, closes `server` gracefully once and exits 0
 * (1 if close failed), so Kubernetes rollouts drain instead of dropping calls.
 * A second signal while closing exits 1 at once, for an operator who does not
 * want to wait for the drain. Returns a function that removes the handlers.
 */
export function installSignalHandlers(
  server: Pick<RunningServer, "close">,
  logger: Logger,
  options: SignalHandlerOptions = {},
): () => void {
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, "second signal while shutting down: exiting now");
      exit(1);
      return;
    }
    closing = true;
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        exit(1);
      },
    );
  };
  for (const signal of signals) {
    process.on(signal, onSignal);
  }
  return () => {
    for (const signal of signals) {
      process.removeListener(signal, onSignal);
    }
  };
}
