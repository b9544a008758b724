import { PREPARED_MARK } from "./prepared-statement.js";
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely";

/** Instrumentation scope of the query spans. */
export const TRACER_NAME = "@orchestrator/db";
/** Name of every query span. */
export const QUERY_SPAN_NAME = "db.query";

// Stable OpenTelemetry database semantic conventions (semconv 1.33+), spelled
// out to keep @opentelemetry/semantic-conventions out of this package.
const ATTR_DB_SYSTEM_NAME = "db.system.name";
const ATTR_DB_NAMESPACE = "db.namespace";
const ATTR_DB_QUERY_TEXT = "db.query.text";
const ATTR_DB_RESPONSE_STATUS_CODE = "db.response.status_code";
const ATTR_ERROR_TYPE = "error.type";

/**
 * A DatabaseConnection decorator that runs each query in a CLIENT span
 * `db.query`, child of the active context. The span carries the SQL text
 * (parameters are never recorded) and, on failure, the SQLSTATE.
 */
export class TracedConnection implements DatabaseConnection {
  constructor(
    /** The driver's own connection, handed back to the driver on release. */
    readonly inner: DatabaseConnection,
    private readonly namespace: string,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const span = this.startSpan(compiledQuery);
    try {
      return await this.inner.executeQuery<R>(compiledQuery);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const span = this.startSpan(compiledQuery);
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private startSpan(compiledQuery: CompiledQuery): Span {
    return startQuerySpan(this.namespace, compiledQuery.sql);
  }
}

/** Starts the `db.query` CLIENT span of one statement, child of the active context. */
export function startQuerySpan(namespace: string, text: string): Span {
  const attributes: Attributes = {
    [ATTR_DB_SYSTEM_NAME]: "postgresql",
    [ATTR_DB_NAMESPACE]: namespace,
    [ATTR_DB_QUERY_TEXT]: unmarked(text),
  };
  // Looked up per query: a tracer obtained once would stay bound to the first provider registered.
  return trace.getTracer(TRACER_NAME).startSpan(QUERY_SPAN_NAME, { kind: SpanKind.CLIENT, attributes }, context.active());
}

/** The statement's text without the prepared mark (markPrepared) kysely passes to the pool. */
function unmarked(text: string): string {
  if (!text.startsWith(PREPARED_MARK)) return text;
  const end = text.indexOf(" */ ", PREPARED_MARK.length);
  return end > 0 ? text.slice(end + 4) : text;
}

/** Marks a query span failed, with the SQLSTATE when there is one. */
export function recordError(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, code);
  span.setAttribute(ATTR_ERROR_TYPE, typeof code === "string" ? code : error instanceof Error ? error.name : "Error");
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
