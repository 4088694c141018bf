/**
 * Which training segment a search runs next, decided from the finished segments alone (so a
 * resumed search makes the same decisions as an uninterrupted one). A trial trains in segments
 * that end at epoch rungs (r, rη, rη², …, max); after each it reports its best validation loss so far.
 *
 * - `asha`: asynchronous successive halving (Li et al. 2020). A trial at rung k is promoted to
 *   rung k + 1 when it is among the best ⌊n_k / η⌋ of the n_k trials that reached rung k and has
 *   not been promoted yet; higher rungs are served first; otherwise a new trial starts.
 * - `median`: each trial runs rung by rung; at a rung it stops when its value is worse than the
 *   median of the earlier trials' values at that rung (once `MEDIAN_STARTUP` earlier trials reached it).
 * - `none`: every trial trains to the last rung in one segment.
 */
export const PRUNER_NAMES = ['asha', 'median', 'none'] as const;
export type PrunerName = (typeof PRUNER_NAMES)[number];

/** Earlier trials a rung needs before median pruning judges there (Optuna's n_startup_trials). */
export const MEDIAN_STARTUP = 2;

/** One finished segment: trial `trial` reached rung `rung` with best validation loss `value` (Infinity when it diverged). */
export interface RungResult {
  trial: number;
  rung: number;
  value: number;
}

/** What to train next: a new trial from epoch 0 to rung 0, or an existing one from rung k to k + 1. */
export type Job = { kind: 'new'; trial: number; toRung: 0 } | { kind: 'continue'; trial: number; fromRung: number; toRung: number };

export interface SchedulerOptions {
  pruner: PrunerName;
  /** Epochs at each rung, increasing; the last is the most a trial trains. */
  rungs: readonly number[];
  /** Trials this search may start. */
  maxTrials: number;
  /** Reduction factor η (asha). */
  eta: number;
}

/** Epoch rungs r, rη, rη², … below `maxEpochs`, then `maxEpochs`; one rung when not pruning. */
export function epochRungs(pruner: PrunerName, minEpochs: number, maxEpochs: number, eta: number): number[] {
  if (pruner === 'none') return [maxEpochs];
  const rungs: number[] = [];
  for (let epochs = minEpochs; epochs < maxEpochs; epochs *= eta) rungs.push(epochs);
  return [...rungs, maxEpochs];
}

const byValue = (a: RungResult, b: RungResult) => a.value - b.value || a.trial - b.trial;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Highest rung each trial reached. */
export function reachedRungs(results: readonly RungResult[]): Map<number, number> {
  const reached = new Map<number, number>();
  for (const r of results) reached.set(r.trial, Math.max(reached.get(r.trial) ?? -1, r.rung));
  return reached;
}

function ashaNext(results: readonly RungResult[], o: SchedulerOptions, started: number): Job | undefined {
  const has = new Set(results.map((r) => `${r.trial}@${r.rung}`));
  for (let k = o.rungs.length - 2; k >= 0; k--) {
    const atRung = results.filter((r) => r.rung === k).sort(byValue);
    const top = atRung.slice(0, Math.floor(atRung.length / o.eta));
    const promotable = top.find((r) => Number.isFinite(r.value) && !has.has(`${r.trial}@${k + 1}`));
    if (promotable !== undefined) return { kind: 'continue', trial: promotable.trial, fromRung: k, toRung: k + 1 };
  }
  return started < o.maxTrials ? { kind: 'new', trial: started, toRung: 0 } : undefined;
}

/** Whether median pruning stops `trial` at `rung`. */
export function medianPrunes(results: readonly RungResult[], trial: number, rung: number): boolean {
  const own = results.find((r) => r.trial === trial && r.rung === rung);
  if (own === undefined) return false;
  if (!Number.isFinite(own.value)) return true;
  const earlier = results.filter((r) => r.rung === rung && r.trial < trial).map((r) => r.value);
  return earlier.length >= MEDIAN_STARTUP && own.value > median(earlier);
}

function medianNext(results: readonly RungResult[], o: SchedulerOptions, started: number): Job | undefined {
  const last = started - 1;
  if (last >= 0) {
    const rung = reachedRungs(results).get(last)!;
    if (rung < o.rungs.length - 1 && !medianPrunes(results, last, rung)) return { kind: 'continue', trial: last, fromRung: rung, toRung: rung + 1 };
  }
  return started < o.maxTrials ? { kind: 'new', trial: started, toRung: 0 } : undefined;
}

/** The next segment to train, or undefined when the search is done. */
export function nextJob(results: readonly RungResult[], o: SchedulerOptions): Job | undefined {
  const started = reachedRungs(results).size;
  if (o.pruner === 'asha') return ashaNext(results, o, started);
  if (o.pruner === 'median') return medianNext(results, o, started);
  return started < o.maxTrials ? { kind: 'new', trial: started, toRung: 0 } : undefined;
}

/** The search's pick: among the trials that reached the highest rung any reached, the lowest value (ties: earliest trial). */
export function bestTrial(results: readonly RungResult[]): RungResult | undefined {
  const finite = results.filter((r) => Number.isFinite(r.value));
  if (finite.length === 0) return undefined;
  const top = Math.max(...finite.map((r) => r.rung));
  return finite.filter((r) => r.rung === top).sort(byValue)[0];
}
