import type { ConnectError } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";

/** One attempt as the router lists it in an error's ErrorInfo metadata (`attempts`). */
export interface ErrorAttempt {
  number: number;
  instance: string;
  code: string;
  message?: string;
  latencyMs: number;
}

/** The attempts a router error carries (ErrorInfo metadata `attempts`, JSON); empty for other errors. */
export function errorAttempts(err: ConnectError): ErrorAttempt[] {
  const raw = err.findDetails(rpcStatus.ErrorInfoSchema).find((info) => info.metadata["attempts"])?.metadata["attempts"];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as ErrorAttempt[]) : [];
  } catch {
    return [];
  }
}
