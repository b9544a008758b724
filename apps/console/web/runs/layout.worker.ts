/// <reference lib="webworker" />
import dagre from "@dagrejs/dagre";
import { DAGRE_MAX_NODES, GAP_X, GAP_Y, layeredLayout, NODE_HEIGHT, NODE_WIDTH, type LayoutInput, type LayoutResult } from "./graph-layout";

/**
 * Lays graphs out off the main thread, so a 5,000-task run never blocks
 * input: dagre (network simplex ranking, crossing minimisation) for graphs
 * it handles in well under a second, the linear layered layout above that.
 */
function layout(input: LayoutInput): LayoutResult {
  if (input.nodes.length > DAGRE_MAX_NODES) return layeredLayout(input);
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: GAP_X, ranksep: GAP_Y, marginx: GAP_X, marginy: GAP_Y / 2 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of input.nodes) g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const known = new Set(input.nodes);
  for (const [from, to] of input.edges) if (known.has(from) && known.has(to)) g.setEdge(from, to);
  dagre.layout(g);
  const x = new Float64Array(input.nodes.length);
  const y = new Float64Array(input.nodes.length);
  input.nodes.forEach((id, i) => {
    const node = g.node(id);
    x[i] = node.x;
    y[i] = node.y;
  });
  const graph = g.graph();
  return { x, y, width: graph.width ?? 0, height: graph.height ?? 0, engine: "dagre" };
}

self.onmessage = (e: MessageEvent<{ id: number; input: LayoutInput }>) => {
  const result = layout(e.data.input);
  (self as unknown as Worker).postMessage({ id: e.data.id, result }, [result.x.buffer, result.y.buffer]);
};
