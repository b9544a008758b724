/** A DAG to lay out: node ids, and edges from a dependency to its dependent. */
export interface LayoutInput {
  readonly nodes: readonly string[];
  readonly edges: ReadonlyArray<readonly [from: string, to: string]>;
}

/** Positions (node centres) and the size of the drawing, in graph units. */
export interface LayoutResult {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly width: number;
  readonly height: number;
  /** `dagre` (small graphs) or `layered` (big ones). */
  readonly engine: string;
}

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 34;
export const GAP_X = 24;
export const GAP_Y = 56;
/** Above this many nodes dagre's crossing minimisation costs seconds; the cheap layered layout takes over. */
export const DAGRE_MAX_NODES = 1200;
/** Layers wider than this wrap onto several rows, so huge fan-outs stay scrollable both ways. */
const MAX_ROW = 60;

/**
 * A cheap layered layout for big graphs, linear in nodes and edges: each
 * node's layer is its longest dependency path from a root, nodes in a layer
 * are ordered by the mean position of their dependencies (one barycentre
 * sweep, which keeps chains straight), and wide layers wrap into rows.
 */
export function layeredLayout(input: LayoutInput): LayoutResult {
  const n = input.nodes.length;
  const index = new Map(input.nodes.map((id, i) => [id, i]));
  const children: number[][] = Array.from({ length: n }, () => []);
  const parents: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const [from, to] of input.edges) {
    const a = index.get(from);
    const b = index.get(to);
    if (a === undefined || b === undefined || a === b) continue;
    children[a]!.push(b);
    parents[b]!.push(a);
    indegree[b]!++;
  }
  const rank = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const c of children[v]!) {
      rank[c] = Math.max(rank[c]!, rank[v]! + 1);
      if (--indegree[c]! === 0) queue.push(c);
    }
  }
  // A cycle cannot come from the scheduler (it refuses them); nodes left on one are put after the rest.
  if (queue.length < n) for (let i = 0; i < n; i++) if (indegree[i]! > 0) rank[i] = (rank[i] ?? 0) + 1;
  const layers: number[][] = [];
  for (let i = 0; i < n; i++) (layers[rank[i]!] ??= []).push(i);
  const order = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let row = 0;
  let widest = 0;
  for (const layer of layers) {
    if (!layer) continue;
    const keyed = layer.map((v, i) => {
      const ps = parents[v]!;
      return { v, key: ps.length ? ps.reduce((s, p) => s + order[p]!, 0) / ps.length : i };
    });
    keyed.sort((a, b) => a.key - b.key);
    const perRow = Math.min(MAX_ROW, keyed.length);
    keyed.forEach(({ v }, i) => {
      const col = i % perRow;
      // Centre narrow layers under the widest one laid out so far.
      order[v] = col + (MAX_ROW - perRow) / 2;
      x[v] = GAP_X + col * (NODE_WIDTH + GAP_X) + NODE_WIDTH / 2;
      y[v] = GAP_Y / 2 + (row + Math.floor(i / perRow)) * (NODE_HEIGHT + GAP_Y) + NODE_HEIGHT / 2;
    });
    widest = Math.max(widest, perRow);
    row += Math.ceil(keyed.length / perRow);
  }
  // Centre each row within the widest.
  const width = GAP_X + widest * (NODE_WIDTH + GAP_X);
  const rowWidth = new Map<number, number>();
  for (let i = 0; i < n; i++) rowWidth.set(y[i]!, Math.max(rowWidth.get(y[i]!) ?? 0, x[i]! + NODE_WIDTH / 2 + GAP_X));
  for (let i = 0; i < n; i++) x[i] = x[i]! + (width - rowWidth.get(y[i]!)!) / 2;
  return { x, y, width, height: row * (NODE_HEIGHT + GAP_Y) + GAP_Y / 2, engine: "layered" };
}
