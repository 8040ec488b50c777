import { withoutDeadline, type Neo4jClient } from '../db/neo4j-client';
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
  /** When it was read (epoch ms), and its nodes + relationship rows once counted (metrics). */
  loadedAt: number;
  rows?: number;
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
    // Shared by every request that waits for it, so it runs without the deadline of the request that started it.
    this.loading ??= withoutDeadline(() => loadWholeGraph(this.client))
      .then(({ graph, token }) => {
        const snap: Snapshot = { token, graph, engines: new Map(), loadedAt: Date.now() };
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

  /** The snapshot in memory (current or not): its nodes + relationship rows and its age; null before the first load. */
  stats(): { rows: number; ageSeconds: number } | null {
    const snap = this.current;
    if (!snap) return null;
    snap.rows ??= snap.graph.nodes.size + snap.graph.rows().length;
    return { rows: snap.rows, ageSeconds: (Date.now() - snap.loadedAt) / 1000 };
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
