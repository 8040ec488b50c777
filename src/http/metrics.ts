import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Neo4jClient } from '../db/neo4j-client';
import type { GraphSnapshotCache } from '../trace/graph-snapshot';

/** Distinct operation names kept as label values; later ones are counted as '(other)' (clients choose names). */
const MAX_OPERATION_NAMES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const CODE = /^[A-Z][A-Z_]{0,39}$/;

/**
 * The Prometheus metrics of one server (GET /metrics): requests by operation name and outcome, their latency,
 * Neo4j failures by kind and code, the graph snapshot's rows and age, and Node's process metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly latency: Histogram<'operation' | 'outcome'>;
  private readonly neo4jErrors: Counter<'kind' | 'code'>;
  private readonly operations = new Set<string>();
  private readonly detach: () => void;

  constructor(client: Neo4jClient, snapshots: GraphSnapshotCache) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'labortrace_' });
    this.requests = new Counter({
      name: 'labortrace_graphql_requests_total', help: 'GraphQL requests by operation name and outcome (ok or the error code)',
      labelNames: ['operation', 'outcome'], registers,
    });
    this.latency = new Histogram({
      name: 'labortrace_graphql_request_duration_seconds', help: 'GraphQL request latency, from arrival to the last byte sent',
      labelNames: ['operation', 'outcome'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers,
    });
    this.neo4jErrors = new Counter({
      name: 'labortrace_neo4j_errors_total', help: 'Failed Neo4j transactions of requests, by kind (unavailable, timeout, transient, other) and Neo4j code',
      labelNames: ['kind', 'code'], registers,
    });
    new Gauge({
      name: 'labortrace_snapshot_rows', help: 'Nodes + relationship rows of the in-memory graph snapshot (0 before the first load)', registers,
      collect() {
        this.set(snapshots.stats()?.rows ?? 0);
      },
    });
    /** A gauge of the snapshot in memory, absent before the first load. */
    const snapshotGauge = (name: string, help: string, value: (stats: NonNullable<ReturnType<GraphSnapshotCache['stats']>>) => number) => new Gauge({
      name, help, registers,
      collect() {
        const stats = snapshots.stats();
        if (stats) this.set(value(stats));
        else this.reset();
      },
    });
    snapshotGauge('labortrace_snapshot_age_seconds', 'Seconds since the in-memory graph snapshot was read (absent before the first load)', (s) => s.ageSeconds);
    snapshotGauge('labortrace_snapshot_from_file', 'Whether the in-memory graph snapshot was read from the saved snapshot file (1) or from Neo4j (0); absent before the first load', (s) => (s.fromFile ? 1 : 0));
    const listener = (kind: string, code: string) => this.neo4jErrors.inc({ kind, code: code.slice(0, 100) });
    client.failureListeners.add(listener);
    this.detach = () => client.failureListeners.delete(listener);
  }

  /** One finished GraphQL request. */
  request(operationName: string | undefined, outcome: string, seconds: number): void {
    const labels = { operation: this.operationLabel(operationName), outcome: CODE.test(outcome) || outcome === 'ok' ? outcome : 'OTHER' };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }

  private operationLabel(name: string | undefined): string {
    if (name === undefined) return '(none)';
    if (name === '') return '(anonymous)';
    if (!NAME.test(name)) return '(invalid)';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_NAMES) return '(other)';
    this.operations.add(name);
    return name;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  close(): void {
    this.detach();
    this.registry.clear();
  }
}
