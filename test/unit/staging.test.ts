import { inParallel, isStale, type StagedImportInfo } from '../../src/changes/staging';

describe('inParallel', () => {
  const tick = () => new Promise((r) => setTimeout(r, 1));

  it('runs every item, never more than n at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inParallel([...Array(20).keys()], 3, async (i) => {
      running++;
      most = Math.max(most, running);
      await tick();
      done.push(i);
      running--;
    });
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(most).toBe(3);
  });

  it('throws the first failure once the running ones have settled, and starts no more', async () => {
    const started: number[] = [];
    let settled = 0;
    const run = inParallel([...Array(10).keys()], 2, async (i) => {
      started.push(i);
      await tick();
      settled++;
      if (i === 1) throw new Error('batch 1 failed');
    });
    await expect(run).rejects.toThrow('batch 1 failed');
    expect(settled).toBe(started.length); // nothing left running behind the rejection
    expect(started.length).toBeLessThan(10);
  });
});

describe('isStale', () => {
  const s: StagedImportInfo = { id: 'x', version: 1, startedAtMs: 0, heartbeatMs: 1_000, actor: null, abandoned: false, seenAtMs: 0 };
  it('is silent for longer than the lease by the database clock, or abandoned', () => {
    expect(isStale({ ...s, seenAtMs: 1_000 + 300_000 }, 300_000)).toBe(false);
    expect(isStale({ ...s, seenAtMs: 1_000 + 300_001 }, 300_000)).toBe(true);
    expect(isStale({ ...s, abandoned: true, seenAtMs: 1_000 }, 300_000)).toBe(true);
  });
});
