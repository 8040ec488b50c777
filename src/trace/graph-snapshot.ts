import type { Neo4jClient } from '../db/neo4j-client';
import { TraceEngine } from './trace.engine';
import type { TaintGraph } from './taint-graph';
import { loadWholeGraph } from './taint-graph.loader';

const MAX_ENGINES = 8;

/**
 * The whole-graph snapshot behind screen and impact: loaded once, reused while the graph version (bumped by every
 * import, in the import's own transaction) stays the same. One snapshot at a time; its engines (one per asOf) keep
 * their memoized counts, the least recently used dropped past MAX_ENGINES. Each request checks the version with
 * one small read, so an import from another process is seen on the next request.
 */
export class GraphSnapshotCache {
  private current?: { version: number; graph: TaintGraph; engines: Map<string, TraceEngine> };
  private loading?: Promise<{ version: number; graph: TaintGraph; engines: Map<string, TraceEngine> }>;

  constructor(private readonly client: Neo4jClient) {}

  async engine(asOf: number | null): Promise<{ graph: TaintGraph; engine: TraceEngine }> {
    const [{ version }] = await this.client.read<{ version: number }>('admin/graph-version');
    let snap = this.current;
    if (!snap || snap.version !== version) {
      this.loading ??= loadWholeGraph(this.client).then((graph) => ({ version, graph, engines: new Map() }));
      try {
        snap = await this.loading;
      } finally {
        this.loading = undefined;
      }
      this.current = snap;
    }
    const key = String(asOf);
    let engine = snap.engines.get(key);
    if (engine) {
      snap.engines.delete(key);
    } else {
      engine = new TraceEngine(snap.graph, { asOf });
      if (snap.engines.size >= MAX_ENGINES) snap.engines.delete(snap.engines.keys().next().value!);
    }
    snap.engines.set(key, engine);
    return { graph: snap.graph, engine };
  }

  invalidate(): void {
    this.current = undefined;
  }
}
