import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AcceptedIndex } from '../changes/log-to-graph-changes';
import type { RebuttalIn } from './engine/taint-graph';
import { TaintGraph } from './engine/taint-graph';
import { decodeGraphState, encodeGraphState } from './engine/graph-state.codec';

/** What a snapshot file says about the graph it holds. */
interface SavedMeta {
  epoch: string;
  version: number;
  token: string | null;
  savedAt: string;
  accepted: [string, RebuttalIn[]][];
}

export interface SavedSnapshot {
  graph: TaintGraph;
  version: number;
  token: string | null;
  accepted: AcceptedIndex;
}

/**
 * The whole-graph snapshot saved on local disk (LABORTRACE_SNAPSHOT_DIR; README, "Performance"), so that an API
 * process starting on a store it has seen reads the graph in seconds instead of streaming millions of records from
 * Neo4j, then catches up through the change log like a snapshot in memory does. One file per store epoch (a wiped
 * store has another epoch, so its file is never used); written to a temporary file and renamed, so a reader sees a
 * whole file or none; readable by its owner only (it holds the graph, worker names included).
 */
export class SnapshotFile {
  constructor(readonly dir: string) {}

  private file(epoch: string): string {
    return path.join(this.dir, `graph-${epoch.replace(/[^A-Za-z0-9-]/g, '_')}.snapshot`);
  }

  /** The saved graph of this store epoch, or null when there is none or it cannot be read (said on stderr). */
  async read(epoch: string): Promise<SavedSnapshot | null> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.file(epoch));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') process.stderr.write(`labortrace: snapshot file unreadable, reading the graph from Neo4j: ${(e as Error).message}\n`);
      return null;
    }
    try {
      const { state, meta } = decodeGraphState(bytes);
      const m = meta as SavedMeta;
      if (m.epoch !== epoch) return null;
      const accepted: AcceptedIndex = new Map(m.accepted.map(([rel, list]) => [rel, new Map(list.map((b) => [b.id, b]))]));
      return { graph: TaintGraph.fromState(state), version: m.version, token: m.token, accepted };
    } catch (e) {
      process.stderr.write(`labortrace: snapshot file ${this.file(epoch)} is not usable (${(e as Error).message}); reading the graph from Neo4j\n`);
      return null;
    }
  }

  /** Saves the graph as current at (epoch, version, token); the files of other epochs go. */
  async write(graph: TaintGraph, at: { epoch: string; version: number; token: string | null }, accepted: AcceptedIndex): Promise<void> {
    const meta: SavedMeta = {
      epoch: at.epoch, version: at.version, token: at.token, savedAt: new Date().toISOString(),
      accepted: [...accepted].map(([rel, list]) => [rel, [...list.values()]]),
    };
    const parts = encodeGraphState(graph.state(), meta);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(at.epoch);
    const temp = `${target}.${process.pid}.tmp`;
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writev(parts);
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    for (const name of await fs.readdir(this.dir)) {
      const stale = name.endsWith('.snapshot') ? path.join(this.dir, name) !== target : name.endsWith('.tmp') && !alive(Number(name.split('.').at(-2)));
      if (stale) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }
}

/** Whether a process with this id runs (the writer of a temporary file; one that died mid-write left it behind). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
