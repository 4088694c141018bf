/** Stops training when a monitored value stops improving; can restore the best weights (Keras 3's EarlyStopping). */
import type { tf } from '../../backend/tf';
import { invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import { Callback, modelOf } from './callback';
import type { Logs } from './callback';
import { checkMinDelta, checkMode, isImprovement, monitorDirection } from './monitor';
import type { MonitorMode } from './monitor';

export interface EarlyStoppingOptions {
  /** The logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement; its absolute value is used (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 1: say when it stops and restores (default 0). */
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto' (from the metric: accuracy-like up, losses down; default 'auto'). An unknown mode warns and uses 'auto'. */
  mode?: MonitorMode;
  /** Training stops unless the value beats this within `patience` epochs (default none). */
  baseline?: number | null;
  /** Restore the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
}

const OPTION_NAMES = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch'];
const OWNER = 'EarlyStopping';

export class EarlyStopping extends Callback {
  readonly monitor: string;
  /** |minDelta|. */
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  /** The mode as configured (an unknown one became 'auto'). */
  readonly mode: MonitorMode;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epoch after which training stopped (0 when it ran to the end). */
  stoppedEpoch = 0;
  /** Best monitored value so far (undefined before the first watched epoch). */
  best: number | undefined;
  /** Epoch of the best value (0 before training, as in Keras). */
  bestEpoch = 0;
  /** Epochs since the last improvement. */
  wait = 0;
  private direction: 'min' | 'max' | undefined;
  private bestWeights: tf.Tensor[] | undefined;
  private warnedMissing = false;

  constructor(given: EarlyStoppingOptions = {}) {
    super();
    const options = readOptions(OWNER, given, OPTION_NAMES);
    this.monitor = options.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string' || this.monitor.length === 0) throw invalidArgument('monitor', OWNER, 'a logged name such as "val_loss"', this.monitor);
    this.minDelta = checkMinDelta(OWNER, options.minDelta ?? 0);
    const patience = options.patience ?? 0;
    if (!(Number.isInteger(patience) && patience >= 0)) throw invalidArgument('patience', OWNER, 'an integer >= 0', patience);
    const startFromEpoch = options.startFromEpoch ?? 0;
    if (!(Number.isInteger(startFromEpoch) && startFromEpoch >= 0)) throw invalidArgument('startFromEpoch', OWNER, 'an integer >= 0', startFromEpoch);
    const verbose = options.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', OWNER, '0 or 1', verbose);
    const restore = options.restoreBestWeights ?? false;
    if (typeof restore !== 'boolean') throw invalidArgument('restoreBestWeights', OWNER, 'true or false', restore);
    const baseline = options.baseline ?? undefined;
    if (baseline !== undefined && !(typeof baseline === 'number' && Number.isFinite(baseline))) throw invalidArgument('baseline', OWNER, 'a finite number or null', baseline);
    this.mode = checkMode(OWNER, options.mode ?? 'auto', (m) => this.warn?.(m));
    [this.patience, this.startFromEpoch, this.verbose, this.restoreBestWeights, this.baseline] = [patience, startFromEpoch, verbose, restore, baseline];
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.bestEpoch = 0;
    this.warnedMissing = false;
    this.releaseBest();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.direction ??= monitorDirection(this.monitor, this.mode, this.model);
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warnedMissing) this.warn?.(`Early stopping conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs).join(',')}`);
      this.warnedMissing = true;
      return;
    }
    if (epoch < this.startFromEpoch) return;
    const model = modelOf(OWNER, this);
    if (this.restoreBestWeights && this.bestWeights === undefined) {
      this.bestWeights = model.getWeights(); // until something improves, the first watched weights are the best
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (isImprovement(this.direction, this.minDelta, current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.releaseBest();
        this.bestWeights = model.getWeights();
      }
      // The wait restarts only when the value beats both the previous best and the baseline.
      if (this.baseline === undefined || isImprovement(this.direction, this.minDelta, current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.print?.(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== undefined) {
      if (this.verbose > 0) this.print?.(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      modelOf(OWNER, this).setWeights(this.bestWeights);
    }
    this.releaseBest();
  }

  private releaseBest(): void {
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = undefined;
  }
}
