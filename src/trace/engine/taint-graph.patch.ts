import type { NodeRecordIn, RebuttalIn, RowRecordIn, TaintGraph } from './taint-graph';

/** One change to a taint graph, as a change set records it. */
export type GraphChange =
  | { op: 'upsertNode'; node: NodeRecordIn }
  | { op: 'removeNode'; id: string }
  | { op: 'upsertRow'; row: RowRecordIn & { id: string } }
  | { op: 'removeRow'; id: string }
  | { op: 'setRebuttals'; rowId: string; rebuttals: RebuttalIn[] }
  | { op: 'setListedDprk'; entityId: string; matchId: string; confirmed: boolean };

/**
 * Applies changes to a taint graph in place, in order, so that a whole-graph snapshot follows small change sets
 * without being read again: each costs a few binary searches and array splices where it lands (TaintGraph.upsertRow
 * and the others), never a pass over the graph. The result is the graph a fresh load of the changed data builds.
 * Removing what is not there, and setting the rebuttals of a row that is not there, change nothing. Engines over
 * the graph notice the new version on their next call and drop the memoized counts the changes can affect, keeping
 * the others (TaintGraph.changesSince; engine-memo.ts, "Keeping the memo across patches"). No I/O.
 */
export function patchTaintGraph(g: TaintGraph, changes: readonly GraphChange[]): void {
  for (const c of changes) {
    switch (c.op) {
      case 'upsertNode':
        g.upsertNode(c.node);
        break;
      case 'removeNode':
        g.removeNode(c.id);
        break;
      case 'upsertRow':
        g.upsertRow(c.row);
        break;
      case 'removeRow':
        g.removeRow(c.id);
        break;
      case 'setRebuttals':
        g.setRebuttals(c.rowId, c.rebuttals);
        break;
      case 'setListedDprk':
        g.setListedDprk(c.entityId, c.matchId, c.confirmed);
        break;
      default: {
        const never: never = c;
        throw new Error(`unknown graph change ${JSON.stringify(never)}`);
      }
    }
  }
}
