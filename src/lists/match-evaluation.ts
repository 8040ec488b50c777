import type { ListMatcher, MatchCandidate } from './name-matcher';

/** A labelled name: the list entry it is a variant of, or null for a look-alike that names no entry. */
export interface LabelledName {
  name: string;
  country: string | null;
  entryId: string | null;
  variant: string;
}

export interface ThresholdMeasure {
  threshold: number;
  /** Variants whose entry scored at or above the threshold. */
  found: number;
  variants: number;
  /** Candidates at or above the threshold that are not the labelled entry (for look-alikes: every one). */
  wrong: number;
  precision: number;
  recall: number;
  missed: LabelledName[];
  wrongCandidates: { label: LabelledName; candidate: MatchCandidate }[];
}

/**
 * Precision and recall of the matcher on a labelled set at each threshold: recall is the share of variants whose
 * entry is proposed; precision the share of proposals that are right.
 */
export function measureThresholds(matcher: ListMatcher, labels: readonly LabelledName[], thresholds: readonly number[]): ThresholdMeasure[] {
  const lowest = Math.min(...thresholds);
  const candidates = labels.map((label, i) => ({ label, found: matcher.match({ id: `label-${i}`, name: label.name, country: label.country }, lowest) }));
  return thresholds.map((threshold) => {
    let found = 0;
    const missed: LabelledName[] = [];
    const wrongCandidates: ThresholdMeasure['wrongCandidates'] = [];
    for (const { label, found: all } of candidates) {
      const above = all.filter((c) => c.score >= threshold);
      if (label.entryId !== null) {
        if (above.some((c) => c.entryId === label.entryId)) found++;
        else missed.push(label);
      }
      for (const c of above) if (c.entryId !== label.entryId) wrongCandidates.push({ label, candidate: c });
    }
    const variants = labels.filter((l) => l.entryId !== null).length;
    const proposed = found + wrongCandidates.length;
    return {
      threshold, found, variants, wrong: wrongCandidates.length,
      precision: proposed === 0 ? 1 : found / proposed, recall: variants === 0 ? 1 : found / variants, missed, wrongCandidates,
    };
  });
}
