import type { Neo4jClient } from '../db/neo4j-client';
import { TraceEngine } from './trace.engine';
import type { TaintGraph } from './taint-graph';
import { loadWholeGraph } from './taint-graph.loader';

const MAX_ENGINES = 8;

export interface Snapshot {
  /** The graph token it was read at (a new random one per import). */
  token: string | null;
  graph: TaintGraph;
  /** One engine per asOf, least recently used first; their memoized counts serve later requests. */
  engines: Map<string, TraceEngine>;
}

/**
 * The whole graph in memory, tagged with the graph token it was read at (every import draws a new one in its own
 * transaction). Screen and impact need all of it; traces use it when it is current and fall back to loading the
 * item's region otherwise, while a refresh runs in the background. Each request checks the token with one small
 * read, so an import from another process is seen on the next request.
 *
 * Budget: graphs with more than `maxRows` nodes + relationships are not cached for traces (screen and impact still
 * load them, once per import). Memory is roughly 1.3 KB per relationship (README, "Performance").
 */
export class GraphSnapshotCache {
  private current?: Snapshot;
  private loading?: Promise<Snapshot>;

  constructor(private readonly client: Neo4jClient, private readonly maxRows = 3_000_000) {}

  private async token(): Promise<string | null> {
    const [{ token }] = await this.client.read<{ token: string | null }>('admin/graph-version');
    return token;
  }

  private load(): Promise<Snapshot> {
    this.loading ??= loadWholeGraph(this.client)
      .then(({ graph, token }) => {
        const snap: Snapshot = { token, graph, engines: new Map() };
        this.current = snap;
        return snap;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** The current snapshot, loading it first when the graph has changed. */
  async fresh(): Promise<Snapshot> {
    const token = await this.token();
    if (this.current && this.current.token === token) return this.current;
    const snap = await this.load();
    // A load that started before the import we just saw may have read the older graph: load again.
    return snap.token === token ? snap : this.load();
  }

  /** The snapshot if it is current; otherwise null, and a refresh starts in the background when within budget. */
  async ifCurrent(): Promise<Snapshot | null> {
    const token = await this.token();
    if (this.current && this.current.token === token) return this.current;
    if (!this.loading) {
      const [{ nodes, relationships }] = await this.client.read<{ nodes: number; relationships: number }>('admin/graph-size');
      if (nodes + relationships <= this.maxRows) {
        this.load().catch((e) => process.stderr.write(`labortrace: loading the graph snapshot failed: ${e?.message ?? e}\n`));
      }
    }
    return null;
  }

  engine(snap: Snapshot, asOf: number | null): TraceEngine {
    const key = String(asOf);
    let engine = snap.engines.get(key);
    if (engine) {
      snap.engines.delete(key);
    } else {
      engine = new TraceEngine(snap.graph, { asOf });
      if (snap.engines.size >= MAX_ENGINES) snap.engines.delete(snap.engines.keys().next().value!);
    }
    snap.engines.set(key, engine);
    return engine;
  }
}
