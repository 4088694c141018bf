/** The one-paragraph answer of a tune, generated from its numbers. */
import { formatNumber, formatSigned } from '../analysis/format';
import type { TrialRecord } from '../records';
import type { TuneResultData } from './result';

const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const stdOf = (values: number[]) => {
  const m = meanOf(values);
  return values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1)) : 0;
};

/** Mean exact-zero fraction over a trial's kernels. */
export function zeroFraction(trial: TrialRecord): number {
  return meanOf(trial.weights.map((w) => w.zeroFraction));
}

/** Σ L1 norm over a trial's kernels. */
export function l1Norm(trial: TrialRecord): number {
  return trial.weights.reduce((a, w) => a + w.l1Norm, 0);
}

export function recommendation(data: Omit<TuneResultData, 'recommendation'>): string {
  const classification = data.trials.every((t) => typeof t.test.accuracy === 'number');
  const score = (t: TrialRecord) => (classification ? t.test.accuracy! * 100 : t.test.loss);
  const unit = classification ? ' pt' : '';
  const what = classification ? 'test accuracy' : 'test loss';
  const show = (x: number) => (classification ? `${x.toFixed(1)}%` : formatNumber(x));
  const of = (technique: string) => data.trials.filter((t) => t.setting === technique).sort((a, b) => a.repeat - b.repeat);
  const ranked = [...data.summary.settings].sort((a, b) => a.rank - b.rank);
  const winner = ranked[0]!.setting;
  const tuned = new Map(data.tuned.map((t) => [t.technique, t]));
  const base = of('none');
  const paired = (technique: string) => of(technique).map((t, i) => score(t) - score(base[i]!));
  const sentence = (technique: string) => {
    const s = of(technique).map(score);
    return `${show(meanOf(s))} ± ${classification ? stdOf(s).toFixed(1) : formatNumber(stdOf(s))}`;
  };
  const n = base.length;
  const parts: string[] = [];
  if (winner === 'none') {
    parts.push(`No tuned regularizer beat the tuned baseline: 'none' has the best ${what} (${sentence('none')} over ${n} repeats).`);
  } else {
    const d = paired(winner);
    const beyond = Math.abs(meanOf(d)) > stdOf(d);
    parts.push(
      `Use ${tuned.get(winner)!.setting}: it gives a ${what} of ${sentence(winner)} over ${n} fresh seeds, against ${sentence('none')} for the tuned baseline ` +
        `(paired difference ${formatSigned(meanOf(d), classification ? 1 : 4)}${unit} ± ${classification ? stdOf(d).toFixed(1) : formatNumber(stdOf(d))}${unit}, ${beyond ? 'beyond' : 'within'} the spread).`,
    );
  }
  const others = ranked.filter((s) => s.setting !== winner && s.setting !== 'none').map((s) => `${tuned.get(s.setting)!.setting} ${sentence(s.setting)}`);
  if (others.length > 0) parts.push(`The other tuned techniques reach ${others.join(', ')}.`);
  const sparse = data.tuned.map((t) => t.technique).filter((t) => t !== 'none').map((t) => ({ t, zeros: meanOf(of(t).map(zeroFraction)) })).sort((a, b) => b.zeros - a.zeros)[0];
  if (sparse !== undefined && sparse.zeros > 0.01) {
    const d = meanOf(paired(sparse.t));
    parts.push(`${sparse.t} buys ${(sparse.zeros * 100).toFixed(0)}% exact-zero weights for ${formatSigned(d, classification ? 1 : 4)}${unit} against the baseline.`);
  }
  if (data.spent.stoppedByBudget) parts.push('The time budget ended the search early: more trials may find better strengths.');
  return parts.join(' ');
}
