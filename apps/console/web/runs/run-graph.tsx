import type { Task } from "@orchestrator/contracts";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from "react";
import { NODE_HEIGHT, NODE_WIDTH, type LayoutInput } from "./graph-layout";
import { STATUS_FILL, STATUS_STROKE } from "./status-colors";
import { useLayout } from "./use-layout";

/** Extra graph units drawn around the viewport, so a small scroll shows no blank edge. */
const MARGIN = 200;

interface Viewport {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A run's DAG: nodes coloured by status, edges from dependency to
 * dependent. The layout comes from a Web Worker; the drawing is
 * virtualised: one viewport-sized SVG (sticky inside a scroller as big as
 * the graph) draws only the nodes and edges on screen, so 5,000 tasks scroll
 * like 50.
 */
export function RunGraph({ tasks, selected, onSelect, focus }: { tasks: readonly Task[]; selected: string | undefined; onSelect: (id: string) => void; focus: { id: string; n: number } | undefined }) {
  const structureKey = useMemo(() => {
    let deps = 0;
    for (const t of tasks) deps += t.deps.length;
    return `${tasks.length}:${deps}:${tasks[0]?.id ?? ""}:${tasks.at(-1)?.id ?? ""}`;
  }, [tasks]);
  const input = useMemo<LayoutInput>(
    () => ({ nodes: tasks.map((t) => t.id), edges: tasks.flatMap((t) => t.deps.map((d) => [d, t.id] as const)) }),
    [structureKey],
  );
  const layout = useLayout(input, structureKey);
  const index = useMemo(() => new Map(input.nodes.map((id, i) => [id, i])), [input]);
  const byId = useMemo(() => new Map(tasks.map((t) => [t.id, t])), [tasks]);

  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<Viewport>({ left: 0, top: 0, width: 800, height: 600 });
  const [zoom, setZoom] = useState<number>();
  const frame = useRef(0);
  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setView({ left: el.scrollLeft, top: el.scrollTop, width: el.clientWidth, height: el.clientHeight }));
  }, []);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [measure]);

  // First layout: fit small graphs, show big ones at a readable scale from the top.
  const z = zoom ?? (layout ? Math.max(0.5, Math.min(1, (view.width - 8) / layout.width)) : 1);

  useEffect(() => {
    if (!focus || !layout || !scroller.current) return;
    const i = index.get(focus.id);
    if (i === undefined) return;
    scroller.current.scrollTo({ left: layout.x[i]! * z - view.width / 2, top: layout.y[i]! * z - view.height / 2 });
  }, [focus?.n, layout]);

  const zoomBy = (f: number) => {
    const el = scroller.current;
    const next = Math.min(2, Math.max(0.05, z * f));
    setZoom(next);
    if (el) {
      const cx = (el.scrollLeft + el.clientWidth / 2) / z;
      const cy = (el.scrollTop + el.clientHeight / 2) / z;
      requestAnimationFrame(() => el.scrollTo({ left: cx * next - el.clientWidth / 2, top: cy * next - el.clientHeight / 2 }));
    }
  };

  const nodes: ReactElement[] = [];
  const edges: ReactElement[] = [];
  if (layout) {
    const x0 = view.left / z - MARGIN;
    const y0 = view.top / z - MARGIN;
    const x1 = (view.left + view.width) / z + MARGIN;
    const y1 = (view.top + view.height) / z + MARGIN;
    const hw = NODE_WIDTH / 2;
    const hh = NODE_HEIGHT / 2;
    const detailed = z >= 0.45;
    for (let i = 0; i < input.nodes.length; i++) {
      const x = layout.x[i]!;
      const y = layout.y[i]!;
      if (x + hw < x0 || x - hw > x1 || y + hh < y0 || y - hh > y1) continue;
      const id = input.nodes[i]!;
      const t = byId.get(id);
      const status = t?.status ?? "pending";
      const label = t?.key || id;
      nodes.push(
        <g
          key={id}
          className={`node${id === selected ? " node-selected" : ""}`}
          data-testid={`node-${label}`}
          data-status={status}
          transform={`translate(${x - hw},${y - hh})`}
          onClick={() => onSelect(id)}
        >
          <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} fill={STATUS_FILL[status] ?? "#fff"} stroke={STATUS_STROKE[status] ?? "#999"} strokeWidth={id === selected ? 3 : 1.2} />
          {detailed && (
            <text x={10} y={22} className="node-label">
              {label.length > 18 ? label.slice(0, 17) + "…" : label}
            </text>
          )}
          {detailed && (
            <text x={NODE_WIDTH - 8} y={22} className="node-status" textAnchor="end">
              {status}
            </text>
          )}
        </g>,
      );
    }
    for (const [from, to] of input.edges) {
      const a = index.get(from);
      const b = index.get(to);
      if (a === undefined || b === undefined) continue;
      const ax = layout.x[a]!;
      const ay = layout.y[a]! + hh;
      const bx = layout.x[b]!;
      const by = layout.y[b]! - hh;
      if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) continue;
      const my = (ay + by) / 2;
      edges.push(<path key={`${from}>${to}`} d={`M${ax},${ay} C${ax},${my} ${bx},${my} ${bx},${by}`} className="edge" />);
    }
  }
  return (
    <div className="graph">
      <div className="graph-tools">
        <button type="button" onClick={() => zoomBy(1 / 1.25)} aria-label="zoom out">
          −
        </button>
        <span className="muted">{Math.round(z * 100)}%</span>
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="zoom in">
          +
        </button>
        {layout && (
          <button type="button" onClick={() => setZoom(Math.max(0.05, Math.min(1, view.width / layout.width, view.height / layout.height)))}>
            fit
          </button>
        )}
        <span className="muted">
          {layout ? `${input.nodes.length} tasks · ${layout.engine} layout · ${nodes.length} drawn` : `laying out ${input.nodes.length} tasks…`}
        </span>
      </div>
      <div className="graph-scroll" ref={scroller} onScroll={measure} data-testid="run-graph" data-drawn-nodes={nodes.length} tabIndex={0}>
        <div className="graph-canvas" style={{ width: layout ? layout.width * z : 0, height: layout ? layout.height * z : 0 }}>
          <svg
            className="graph-svg"
            width={view.width}
            height={view.height}
            viewBox={`${view.left / z} ${view.top / z} ${view.width / z} ${view.height / z}`}
          >
            <g>{edges}</g>
            <g>{nodes}</g>
          </svg>
        </div>
      </div>
    </div>
  );
}
