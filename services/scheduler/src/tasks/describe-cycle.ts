/** How many ids of a cycle an error message shows. */
export const CYCLE_IDS_SHOWN = 5;

/**
 * A dependency cycle in words, bounded whatever its size:
 * `a → b → a` for a short one, `t1 → t2 → t3 → t4 → t5 → … → t1 (500 tasks)`
 * for a long one. `cycle` is a path that starts and ends at the same id (as
 * findCycle returns it), so its length is one more than the tasks in it.
 * Errors carry this once, so no cycle can overflow a gRPC trailer.
 */
export function describeCycle(cycle: readonly string[]): string {
  const tasks = Math.max(1, cycle.length - 1);
  const ids = cycle.map((id) => (id.length > 64 ? `${id.slice(0, 63)}…` : id));
  if (tasks <= CYCLE_IDS_SHOWN) return `dependency cycle ${ids.join(" → ")}`;
  return `dependency cycle ${ids.slice(0, CYCLE_IDS_SHOWN).join(" → ")} → … → ${ids[0]} (${tasks} tasks)`;
}
