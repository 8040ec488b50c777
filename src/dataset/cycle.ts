/**
 * Finds one directed cycle, returned as the node ids along it with the first repeated at the end
 * (a -> b -> a), or null when the graph is acyclic. Iterative, so deep bills of materials cannot overflow the stack.
 */
export function findCycle(edges: Iterable<readonly [string, string]>): string[] | null {
  const out = new Map<string, string[]>();
  for (const [a, b] of edges) {
    const list = out.get(a);
    if (list) list.push(b);
    else out.set(a, [b]);
  }
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  for (const root of out.keys()) {
    if (state.has(root)) continue;
    const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const children = out.get(top.node) ?? [];
      if (top.next === children.length) {
        state.set(top.node, 2);
        stack.pop();
        continue;
      }
      const child = children[top.next++];
      const s = state.get(child);
      if (s === 1) {
        const start = stack.findIndex((f) => f.node === child);
        return [...stack.slice(start).map((f) => f.node), child];
      }
      if (s === undefined) {
        state.set(child, 1);
        stack.push({ node: child, next: 0 });
      }
    }
  }
  return null;
}
