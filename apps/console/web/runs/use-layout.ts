import { useEffect, useRef, useState } from "react";
import type { LayoutInput, LayoutResult } from "./graph-layout";

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, (r: LayoutResult) => void>();

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (e: MessageEvent<{ id: number; result: LayoutResult }>) => {
      waiting.get(e.data.id)?.(e.data.result);
      waiting.delete(e.data.id);
    };
  }
  return worker;
}

/**
 * The layout of a graph, computed in a Web Worker; recomputed only when the
 * structure (`structureKey`: node ids and edges) changes, never for status
 * changes. Undefined until the first layout arrives.
 */
export function useLayout(input: LayoutInput | undefined, structureKey: string): LayoutResult | undefined {
  const [result, setResult] = useState<{ key: string; layout: LayoutResult }>();
  const latest = useRef(structureKey);
  latest.current = structureKey;
  useEffect(() => {
    if (!input || input.nodes.length === 0) return;
    const id = nextId++;
    waiting.set(id, (layout) => {
      if (latest.current === structureKey) setResult({ key: structureKey, layout });
    });
    layoutWorker().postMessage({ id, input });
    return () => void waiting.delete(id);
  }, [structureKey]);
  return result?.layout;
}
