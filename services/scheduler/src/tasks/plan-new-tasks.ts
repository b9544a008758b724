import { InvalidArgumentError } from "@orchestrator/errors";
import { parseSelector } from "@orchestrator/selector";
import { newId } from "../shared/new-id.js";
import { findCycle } from "./find-cycle.js";
import { DependencyCycleError, TaskExistsError, UnknownDependencyError } from "./task-errors.js";
import type { NewTask, TaskStatus } from "./task.js";
import type { TaskInsert } from "./task.repository.js";

/** What planNewTasks needs to know about tasks that exist already. */
export interface ExistingTask {
  readonly status: TaskStatus;
  readonly failedDependency: string | null;
}

/** Defaults applied to fields a new task leaves out. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Checks a batch of new tasks against the batch itself and the existing
 * tasks, and computes each one's initial state. Throws, naming the request
 * field (`field(i)` prefixes it: `""` for CreateTask, `tasks[2].` for a
 * batch): a duplicate or taken id, an unknown dependency or parent, a
 * target that breaks the selector grammar (`@bogus`, `A-`), a dependency
 * cycle (the error names it, bounded). Nothing is written here.
 *
 * A task starts `failed` (`dependency_failed`) when a dependency has failed,
 * `ready` when every dependency is completed, `pending` otherwise.
 */
export function planNewTasks(
  tasks: readonly NewTask[],
  existing: ReadonlyMap<string, ExistingTask>,
  field: (index: number) => string,
): TaskInsert[] {
  const ids = tasks.map((t) => t.id ?? newId("t"));
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.has(id)) throw new InvalidArgumentError(`${field(i)}id`, `duplicate task id "${id}" (also ${field(index.get(id)!)}id)`, "duplicate_task");
    if (existing.has(id)) throw new TaskExistsError(id, `${field(i)}id`);
    index.set(id, i);
  });
  tasks.forEach((t, i) => {
    t.deps.forEach((dep, j) => {
      if (!index.has(dep) && !existing.has(dep)) throw new UnknownDependencyError(`${field(i)}deps[${j}]`, dep);
    });
    if (t.target) parseSelector(t.target, `${field(i)}target`);
    if (t.parentId && !index.has(t.parentId) && !existing.has(t.parentId)) {
      throw new InvalidArgumentError(`${field(i)}parent_id`, `unknown parent task "${t.parentId}"`, "unknown_parent");
    }
  });
  // Existing tasks cannot depend on new ones, so a cycle lies inside the batch.
  const cycle = findCycle(ids, (id) => tasks[index.get(id)!]!.deps);
  if (cycle) throw new DependencyCycleError(cycle, `${field(index.get(cycle[0]!)!)}deps`);

  const failedRoot = new Map<string, string>();
  const planned = new Map<string, TaskInsert>();
  for (const i of topologicalOrder(ids, tasks, index)) {
    const t = tasks[i]!;
    const id = ids[i]!;
    let pendingDeps = 0;
    let root: string | undefined;
    for (const dep of t.deps) {
      const old = existing.get(dep);
      if (old) {
        if (old.status === "failed") root ??= old.failedDependency ?? dep;
        else if (old.status !== "completed") pendingDeps++;
      } else {
        const depRoot = failedRoot.get(dep);
        if (depRoot) root ??= depRoot;
        pendingDeps++;
      }
    }
    if (root) failedRoot.set(id, root);
    planned.set(id, {
      id,
      runId: t.runId ?? null,
      key: t.key ?? null,
      parentId: t.parentId ?? null,
      spec: t.spec,
      payload: t.payload,
      target: t.target ?? null,
      status: root ? "failed" : pendingDeps === 0 ? "ready" : "pending",
      priority: t.priority ?? 0,
      maxAttempts: t.maxAttempts || DEFAULT_MAX_ATTEMPTS,
      timeoutMs: t.timeoutMs ?? null,
      pendingDeps,
      error: root ? `dependency "${root}" failed` : null,
      failureReason: root ? "dependency_failed" : null,
      failedDependency: root ?? null,
      deps: [...t.deps],
    });
  }
  return ids.map((id) => planned.get(id)!);
}

/** Batch indexes with every in-batch dependency before its dependents (the batch is acyclic). */
function topologicalOrder(ids: readonly string[], tasks: readonly NewTask[], index: ReadonlyMap<string, number>): number[] {
  const order: number[] = [];
  const done = new Set<number>();
  for (let start = 0; start < ids.length; start++) {
    if (done.has(start)) continue;
    const stack: Array<{ i: number; next: number }> = [{ i: start, next: 0 }];
    done.add(start);
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      const deps = tasks[top.i]!.deps;
      if (top.next >= deps.length) {
        order.push(top.i);
        stack.pop();
        continue;
      }
      const j = index.get(deps[top.next++]!);
      if (j === undefined || done.has(j)) continue;
      done.add(j);
      stack.push({ i: j, next: 0 });
    }
  }
  return order;
}
