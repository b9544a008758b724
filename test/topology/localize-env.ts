/** How a container's cluster environment maps onto processes on this machine. */
export interface Localization {
  /** `service:port` (a Service DNS name and port) → `127.0.0.1:port` where it answers here. */
  readonly addresses: ReadonlyMap<string, string>;
  /** Every Service of the manifests and its ports, to catch addresses left unmapped. */
  readonly clusterServices: ReadonlyMap<string, readonly number[]>;
  readonly namespace: string;
  /** Replaces DATABASE_URL (the manifests point at a Postgres Service or an external host). */
  readonly databaseUrl: string;
  /** ORCHESTRATOR_PORT of this process, when it listens. */
  readonly port?: number;
  /** Replaces OTEL_EXPORTER_OTLP_ENDPOINT; removed when absent. */
  readonly otlpEndpoint?: string;
  /** LOG_LEVEL of the processes (quiet in tests; TEST_LOG_LEVEL to see more). */
  readonly logLevel: string;
}

/**
 * Rewrites a container's environment for a process on this machine: every
 * `service:port`, `service.namespace:port` or
 * `service.namespace.svc.cluster.local:port` becomes the local address of
 * that Service, the listen host becomes 127.0.0.1 and the port the
 * process's own, DATABASE_URL and the OTLP endpoint point at the test's.
 * Throws when a value still names a Service of the manifests afterwards, so
 * a new address variable cannot silently point nowhere.
 */
export function localizeEnv(env: Readonly<Record<string, string>>, l: Localization): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern = new RegExp(`\\b([a-z0-9-]+)(?:\\.${escape(l.namespace)}(?:\\.svc(?:\\.cluster\\.local)?)?)?:(\\d+)\\b`, "g");
  for (const [key, value] of Object.entries(env)) {
    out[key] = value.replace(pattern, (match, host: string, port: string) => l.addresses.get(`${host}:${port}`) ?? match);
  }
  out.ORCHESTRATOR_HOST = "127.0.0.1";
  if (l.port !== undefined) out.ORCHESTRATOR_PORT = String(l.port);
  out.DATABASE_URL = l.databaseUrl;
  out.LOG_LEVEL = l.logLevel;
  if (l.otlpEndpoint) out.OTEL_EXPORTER_OTLP_ENDPOINT = l.otlpEndpoint;
  else delete out.OTEL_EXPORTER_OTLP_ENDPOINT;
  for (const [key, value] of Object.entries(out)) {
    for (const [service, ports] of l.clusterServices) {
      for (const port of ports) {
        if (new RegExp(`\\b${escape(service)}(\\.[a-z0-9.-]+)?:${port}\\b`).test(value)) {
          throw new Error(`${key}=${value} still names the Service ${service}:${port}, which the topology test does not run`);
        }
      }
    }
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
