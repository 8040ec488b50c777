import { AsyncLocalStorage } from 'node:async_hooks';
import { withoutDeadline, type Neo4jClient } from '../db/neo4j-client';
import { graphChangesOf, type AcceptedIndex } from '../changes/log-to-graph-changes';
import type { HistoryService } from '../changes/history.service';
import { newWalkMemo, type WalkMemo } from './engine/engine-memo';
import { TraceEngine } from './engine/trace.engine';
import type { TaintGraph } from './engine/taint-graph';
import { patchTaintGraph } from './engine/taint-graph.patch';
import { loadWholeGraph, type GraphVersion } from './taint-graph.loader';
import type { SnapshotFile } from './snapshot-file';

const MAX_ENGINES = 8;

/** Catch up through the change log up to this many changes; beyond, reading the whole graph again is cheaper. */
export const MAX_CATCH_UP_CHANGES = 50_000;

export interface Snapshot {
  /** The graph token it is current at (a new random one per change set). */
  token: string | null;
  /** What path cursors carry for a recorded (knownAt) graph; live snapshots use versionTag(version, epoch). */
  tag?: string;
  /** A graph as recorded at a knowledge time: the change set it was recorded up to. */
  recordedSeq?: number;
  /** The graph version (change set number) and store epoch it is current at; absent for recorded (knownAt) graphs. */
  version?: number;
  epoch?: string | null;
  graph: TaintGraph;
  /** One engine per asOf, least recently used first; their memoized counts serve later requests. */
  engines: Map<string, TraceEngine>;
  /** The counts at walk states its engines share (they do not depend on asOf: TraceOptions.walks). */
  walks?: WalkMemo;
  /** When it was read (epoch ms), and its nodes + relationship rows once counted (metrics). */
  loadedAt: number;
  rows?: number;
  /** Accepted rebuttals by relationship (to apply a rebuttal's change alone). */
  accepted?: AcceptedIndex;
  /** Where the live snapshot was read from: Neo4j, or the saved file (then caught up through the change log). */
  readFrom?: 'neo4j' | 'file';
}

/**
 * The graph version read for one request as it arrived, in parallel with its authentication (probeVersion): its
 * traces use it instead of reading the version again, unless this process began a write since it was read.
 */
export interface VersionProbe {
  readonly cache: GraphSnapshotCache;
  readonly read: Promise<GraphVersion>;
  readonly writesBegun: number;
}

const requestProbe = new AsyncLocalStorage<VersionProbe | undefined>();

/**
 * The whole graph in memory, tagged with the graph version it is current at. Screen and impact need all of it;
 * traces use it when it is current and fall back to loading the item's region otherwise, while a refresh runs in
 * the background. Each request checks the version with one small read, so a change from another process is seen on
 * the next request.
 *
 * Staying current: after a change set, the snapshot catches up by applying the change log since its version
 * (CHANGES.md; README, "Changes and history") to the graph in place — milliseconds for a small change set, whatever
 * the size of the graph — instead of reading the whole graph again. It reloads only when that is cheaper (more than
 * MAX_CATCH_UP_CHANGES changes), when the store was wiped (another epoch), or on the first read.
 *
 * Budget: graphs with more than `maxRows` nodes + relationships are not cached for traces (screen and impact still
 * load them, once per import). Memory is about 100 B per relationship, nodes included (README, "Performance").
 */
export class GraphSnapshotCache {
  private current?: Snapshot;
  private loading?: Promise<Snapshot>;
  private catchingUp?: Promise<boolean>;
  /** The save of the last snapshot read from Neo4j, while it runs. */
  private saving?: Promise<void>;

  constructor(
    private readonly client: Neo4jClient,
    private readonly maxRows = 10_000_000,
    private readonly history?: HistoryService,
    /** Where the snapshot is saved after each load from Neo4j and read from first (snapshot-file.ts); none: never saved. */
    private readonly file?: SnapshotFile,
  ) {}

  private async readVersion(): Promise<GraphVersion> {
    const [r] = await this.client.read<{ version: number; token: string | null; epoch: string | null }>('admin/graph-version');
    return { version: Number(r.version), token: r.token, epoch: r.epoch };
  }

  /**
   * The graph version as the request began (the probe of withProbe), else read now. A probe read before a write of
   * this process began is not used: the request may be a mutation that must see its own change.
   */
  private version(): Promise<GraphVersion> {
    const probe = requestProbe.getStore();
    if (probe?.cache === this && probe.writesBegun === this.client.writesBegun) return probe.read;
    return this.readVersion();
  }

  /**
   * Starts reading the graph version for a request as it arrives, so that the read overlaps its authentication
   * instead of following it (one Neo4j round trip less on a trace's critical path); a request that never uses it
   * loses nothing but the small read. Run the request's work inside withProbe.
   */
  probeVersion(): VersionProbe {
    const read = this.readVersion();
    read.catch(() => undefined); // a request refused before it traces never awaits it
    return { cache: this, read, writesBegun: this.client.writesBegun };
  }

  /** Runs a request's work with the version `probe` read as it arrived (undefined: every trace reads it). */
  static withProbe<T>(probe: VersionProbe | undefined, work: () => T): T {
    return requestProbe.run(probe, work);
  }

  private load(): Promise<Snapshot> {
    // Shared by every request that waits for it, so it runs without the deadline of the request that started it.
    this.loading ??= withoutDeadline(async () => {
      const saved = await this.loadSaved();
      if (saved) return saved;
      const { graph, at, accepted } = await loadWholeGraph(this.client);
      const snap: Snapshot = {
        token: at.token, version: at.version, epoch: at.epoch, graph, engines: new Map(), loadedAt: Date.now(), accepted, readFrom: 'neo4j',
      };
      this.current = snap;
      if (this.file && at.epoch) {
        this.saving = this.file.write(graph, { epoch: at.epoch, version: at.version, token: at.token }, accepted)
          .catch((e) => void process.stderr.write(`labortrace: saving the graph snapshot failed: ${e?.message ?? e}\n`));
      }
      return snap;
    }).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /**
   * The snapshot saved for this store (snapshot-file.ts), brought to the current version through the change log;
   * null when there is none, or it cannot catch up (then the graph is read from Neo4j).
   */
  private async loadSaved(): Promise<Snapshot | null> {
    if (!this.file || !this.history) return null;
    const now = await this.version();
    if (!now.epoch) return null;
    const saved = await this.file.read(now.epoch);
    if (!saved) return null;
    const snap: Snapshot = {
      token: saved.token, version: saved.version, epoch: now.epoch, graph: saved.graph, engines: new Map(), loadedAt: Date.now(),
      accepted: saved.accepted, readFrom: 'file',
    };
    if (!(await this.patchUpTo(snap, now, () => true))) return null;
    this.current = snap;
    return snap;
  }

  /** Waits for the save of the snapshot last read from Neo4j, if one runs (tests, and a clean shutdown). */
  async saved(): Promise<void> {
    await this.saving;
  }

  /** Brings the snapshot in memory to `to` through the change log; false when it cannot (then it must be reloaded). */
  private catchUp(to: GraphVersion): Promise<boolean> {
    this.catchingUp ??= withoutDeadline(async () => {
      const snap = this.current;
      return snap !== undefined && this.patchUpTo(snap, to, () => this.current === snap);
    }).finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  /**
   * Patches a snapshot up to `to` with the change log since its version (in memory, or read from the saved file);
   * false when the log cannot say (another store, too many changes) or `wanted` no longer holds once it is read.
   */
  private async patchUpTo(snap: Snapshot, to: GraphVersion, wanted: () => boolean): Promise<boolean> {
    if (!this.history || snap.version === undefined || !snap.accepted) return false;
    if (snap.token === to.token) return true;
    // a store without an epoch predates the change log: its versions may have no changes logged
    if (!to.epoch || snap.epoch !== to.epoch || to.version <= snap.version) return false;
    const entries = await this.history.logBetween(snap.version, to.version, MAX_CATCH_UP_CHANGES);
    if (!entries || !wanted()) return false;
    // the engines stay: on their next call each drops only the memoized counts the changes can affect
    patchTaintGraph(snap.graph, graphChangesOf(entries, snap.accepted));
    snap.rows = undefined;
    snap.version = to.version;
    snap.token = to.token;
    return true;
  }

  /** The current snapshot: caught up through the log when the graph has changed, else read again. */
  async fresh(): Promise<Snapshot> {
    const v = await this.version();
    if (this.current && this.current.token === v.token) return this.current;
    if (this.current && (await this.catchUp(v)) && this.current.token === v.token) return this.current;
    const snap = await this.load();
    // A load that started before the change set we just saw may have read the older graph: load again.
    return snap.token === v.token ? snap : this.load();
  }

  /** The snapshot if it is current (or can catch up); otherwise null, and a refresh starts in the background when within budget. */
  async ifCurrent(): Promise<Snapshot | null> {
    const v = await this.version();
    if (this.current && this.current.token === v.token) return this.current;
    if (this.current && (await this.catchUp(v)) && this.current.token === v.token) return this.current;
    if (!this.loading) {
      const [{ nodes, relationships }] = await this.client.read<{ nodes: number; relationships: number }>('admin/graph-size');
      if (nodes + relationships <= this.maxRows) {
        this.load().catch((e) => process.stderr.write(`labortrace: loading the graph snapshot failed: ${e?.message ?? e}\n`));
      }
    }
    return null;
  }

  /**
   * The snapshot in memory (current or not): its nodes + relationship rows, its age, and whether it was read from the
   * saved file (metrics); null before the first load.
   */
  stats(): { rows: number; ageSeconds: number; fromFile: boolean } | null {
    const snap = this.current;
    if (!snap) return null;
    snap.rows ??= snap.graph.nodes.size + snap.graph.rowCount;
    return { rows: snap.rows, ageSeconds: (Date.now() - snap.loadedAt) / 1000, fromFile: snap.readFrom === 'file' };
  }

  engine(snap: Snapshot, asOf: number | null): TraceEngine {
    const key = String(asOf);
    let engine = snap.engines.get(key);
    if (engine) {
      snap.engines.delete(key);
    } else {
      snap.walks ??= newWalkMemo(snap.graph.version);
      engine = new TraceEngine(snap.graph, { asOf, walks: snap.walks });
      if (snap.engines.size >= MAX_ENGINES) snap.engines.delete(snap.engines.keys().next().value!);
    }
    snap.engines.set(key, engine);
    return engine;
  }
}
