/**
 * Strongly connected components (iterative Tarjan), as a component number per node.
 * Tracing memoizes counts of simple paths where a walk enters a component: what lies behind that entry
 * cannot meet the nodes already walked, so the count there depends on the entry node alone.
 */
export function componentsOf(ids: Iterable<string>, successors: (id: string) => Iterable<string>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; it: Iterator<string> }[] = [{ id: root, it: successors(root)[Symbol.iterator]() }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const next = frame.it.next();
      if (!next.done) {
        const w = next.value;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, it: successors(w)[Symbol.iterator]() });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.set(w, components);
        } while (w !== frame.id);
        components++;
      }
    }
  }
  return component;
}
