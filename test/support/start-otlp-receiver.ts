import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One span as an OTLP/HTTP JSON export carried it, flattened with its resource's service name. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";
  /** Resource attribute service.name of the process that exported it. */
  readonly serviceName: string;
  readonly serviceVersion: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly links: ReadonlyArray<{ readonly traceId: string; readonly spanId: string }>;
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

/** A loopback OTLP/HTTP receiver for tests; see `startOtlpReceiver`. */
export interface OtlpReceiver {
  /** Base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT (exporters post to `${endpoint}/v1/traces`). */
  readonly endpoint: string;
  /** Every span received so far, in arrival order. */
  spans(): ReceivedSpan[];
  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[];
  /** Requests refused (wrong path, protobuf body, bad JSON), with the reason; a test can assert none. */
  rejected(): string[];
  close(): Promise<void>;
}

const KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;

/**
 * Starts an OTLP/HTTP trace receiver on 127.0.0.1 (port 0): accepts POST
 * /v1/traces with a JSON ExportTraceServiceRequest, the encoding
 * @opentelemetry/exporter-trace-otlp-http sends (hex trace and span ids,
 * `kind` as the OTLP enum, attributes as AnyValue), gzip-compressed or not,
 * and answers 200 `{}`. Protobuf bodies get 415, as this receiver cannot
 * read them.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => accept(req, res, Buffer.concat(chunks)));
  });
  const accept = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const refuse = (status: number, reason: string) => {
      rejected.push(reason);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ message: reason }));
    };
    if (req.method !== "POST" || req.url !== "/v1/traces") return refuse(404, `${req.method} ${req.url}: only POST /v1/traces`);
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return refuse(415, `content-type ${req.headers["content-type"]}: only OTLP JSON`);
    try {
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      received.push(...flatten(JSON.parse(body.toString("utf8")) as ExportRequest));
    } catch (error) {
      return refuse(400, `unreadable export: ${(error as Error).message}`);
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    trace: (traceId) => received.filter((s) => s.traceId === traceId),
    rejected: () => [...rejected],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: string;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: KeyValue[];
        links?: Array<{ traceId: string; spanId: string }>;
        status?: { code?: number };
      }>;
    }>;
  }>;
}

function flatten(request: ExportRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          kind: KINDS[s.kind ?? 0] ?? "unspecified",
          serviceName: String(resource["service.name"] ?? ""),
          serviceVersion: resource["service.version"] === undefined ? undefined : String(resource["service.version"]),
          attributes: attributesOf(s.attributes),
          links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
          statusCode: s.status?.code ?? 0,
        });
      }
    }
  }
  return out;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

function valueOf(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf);
  if (v.kvlistValue) return attributesOf(v.kvlistValue.values);
  return v.bytesValue;
}
