import type { ReceivedSpan } from "./start-otlp-receiver.js";

/** Spans of one trace, with the checks cross-process trace tests make. */
export interface TraceTree {
  readonly spans: readonly ReceivedSpan[];
  /** Spans without a parent. A trace collected whole has exactly one. */
  readonly roots: readonly ReceivedSpan[];
  /** Spans whose parent is not in the trace (lost or not exported yet). */
  readonly orphans: readonly ReceivedSpan[];
  /** The distinct service.name values, sorted. */
  readonly services: readonly string[];
  /** The first span matching, or throws naming what was looked for and what the trace holds. */
  find(description: string, predicate: (span: ReceivedSpan) => boolean): ReceivedSpan;
  /** Whether `ancestor` is on the parent chain of `span`. */
  descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan): boolean;
  /** One line per span, indented by depth: for failure messages. */
  render(): string;
}

/** Builds a TraceTree over the spans of one trace. */
export function traceTree(spans: readonly ReceivedSpan[]): TraceTree {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parentOf = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
  const render = () => {
    const children = (id: string | undefined) => spans.filter((s) => (id ? s.parentSpanId === id : !s.parentSpanId || !byId.has(s.parentSpanId)));
    const lines: string[] = [];
    const walk = (s: ReceivedSpan, depth: number) => {
      lines.push(`${"  ".repeat(depth)}${s.serviceName}: ${s.name} (${s.kind})`);
      for (const c of children(s.spanId)) walk(c, depth + 1);
    };
    for (const root of children(undefined)) walk(root, 0);
    return lines.join("\n");
  };
  return {
    spans,
    roots: spans.filter((s) => !s.parentSpanId),
    orphans: spans.filter((s) => s.parentSpanId && !byId.has(s.parentSpanId)),
    services: [...new Set(spans.map((s) => s.serviceName))].sort(),
    find(description, predicate) {
      const found = spans.find(predicate);
      if (!found) throw new Error(`no span ${description} in the trace:\n${render()}`);
      return found;
    },
    descendsFrom(span, ancestor) {
      for (let p = parentOf(span); p; p = parentOf(p)) if (p.spanId === ancestor.spanId) return true;
      return false;
    },
    render,
  };
}
