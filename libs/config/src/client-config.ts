/**
 * What a client of the control plane (the CLI) reads from the environment:
 * where to dial (ORCHESTRATOR_ADDR, else ORCHESTRATOR_HOST and
 * ORCHESTRATOR_PORT, a wildcard host meaning loopback), the key to send (the
 * first of ORCHESTRATOR_API_KEY's comma-separated keys) and its own handle
 * (ORCHESTRATOR_HANDLE), and where its spans go (OTEL_EXPORTER_OTLP_ENDPOINT).
 * The same rules as loadConfig's, without the
 * server's schema, so a CLI command starts without loading it.
 */
export interface ClientConfig {
  readonly addr: string;
  readonly apiKey: string | undefined;
  readonly handle: string | undefined;
  readonly otlpEndpoint: string | undefined;
}

const trimmed = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

/** The address clients dial: `addr` when set, else `host:port` with 0.0.0.0 and :: meaning 127.0.0.1. */
export function clientAddress(host: string, port: number, addr: string | undefined): string {
  const clientHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return addr ?? `${clientHost}:${port}`;
}

/** The accepted keys of ORCHESTRATOR_API_KEY (comma-separated, for rotation), trimmed, empties dropped. */
export function apiKeysFrom(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/** Reads the client's settings (see ClientConfig); a port that is no port is an error naming the variable. */
export function loadClientConfig(env: Readonly<Record<string, string | undefined>> = process.env): ClientConfig {
  const portText = trimmed(env.ORCHESTRATOR_PORT) ?? "50051";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid configuration: ORCHESTRATOR_PORT: must be a whole number from 0 to 65535, got "${portText}"`);
  return Object.freeze({
    addr: clientAddress(trimmed(env.ORCHESTRATOR_HOST) ?? "127.0.0.1", port, trimmed(env.ORCHESTRATOR_ADDR)),
    apiKey: apiKeysFrom(env.ORCHESTRATOR_API_KEY)[0],
    handle: trimmed(env.ORCHESTRATOR_HANDLE),
    otlpEndpoint: trimmed(env.OTEL_EXPORTER_OTLP_ENDPOINT),
  });
}
