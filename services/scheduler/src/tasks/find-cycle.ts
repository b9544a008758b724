/**
 * Finds a dependency cycle among `nodes`, where `depsOf(n)` lists what n
 * depends on (ids outside `nodes` are ignored). Returns the cycle as a path
 * that starts and ends at the same id (`["a", "b", "a"]`: a depends on b,
 * b on a), or undefined when the graph is acyclic. Iterative DFS, so deep
 * chains cannot overflow the stack.
 */
export function findCycle(nodes: readonly string[], depsOf: (id: string) => readonly string[]): string[] | undefined {
  const inGraph = new Set(nodes);
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  for (const root of nodes) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const stack: Array<{ deps: readonly string[]; next: number }> = [{ deps: depsOf(root), next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      if (top.next >= top.deps.length) {
        state.set(path.pop()!, 2);
        stack.pop();
        continue;
      }
      const dep = top.deps[top.next++]!;
      if (!inGraph.has(dep)) continue;
      const seen = state.get(dep);
      if (seen === 1) return [...path.slice(path.indexOf(dep)), dep];
      if (seen === 2) continue;
      state.set(dep, 1);
      path.push(dep);
      stack.push({ deps: depsOf(dep), next: 0 });
    }
  }
  return undefined;
}
