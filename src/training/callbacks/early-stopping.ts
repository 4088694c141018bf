/** Stops training when a monitored value stops improving; can restore the best weights. */
import type { tf } from '../../backend/tf';
import { ConfigError, invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import type { Callback, CallbackModel, Logs, ModelAware } from './callback';

export interface EarlyStoppingOptions {
  /** The logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (max for names containing "acc", else min; default 'auto'). */
  mode?: 'auto' | 'min' | 'max';
  /** Restore the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
}

const OPTION_NAMES = ['monitor', 'minDelta', 'patience', 'mode', 'restoreBestWeights', 'startFromEpoch'];

export class EarlyStopping implements Callback, ModelAware {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epoch after which training stopped (0 when it ran to the end). */
  stoppedEpoch = 0;
  /** Best monitored value and its epoch. */
  best = Infinity;
  bestEpoch = -1;
  private wait = 0;
  private bestWeights: tf.Tensor[] | undefined;
  private model: CallbackModel | undefined;

  constructor(given: EarlyStoppingOptions = {}) {
    const options = readOptions('EarlyStopping', given, OPTION_NAMES);
    this.monitor = options.monitor ?? 'val_loss';
    const minDelta = options.minDelta ?? 0;
    if (!(typeof minDelta === 'number' && minDelta >= 0)) throw invalidArgument('minDelta', 'EarlyStopping', 'a number >= 0', minDelta);
    const patience = options.patience ?? 0;
    if (!(Number.isInteger(patience) && patience >= 0)) throw invalidArgument('patience', 'EarlyStopping', 'an integer >= 0', patience);
    const startFromEpoch = options.startFromEpoch ?? 0;
    if (!(Number.isInteger(startFromEpoch) && startFromEpoch >= 0)) throw invalidArgument('startFromEpoch', 'EarlyStopping', 'an integer >= 0', startFromEpoch);
    const mode = options.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw invalidArgument('mode', 'EarlyStopping', "'auto', 'min' or 'max'", mode);
    this.mode = mode === 'auto' ? (this.monitor.includes('acc') ? 'max' : 'min') : mode;
    this.minDelta = minDelta;
    this.patience = patience;
    this.startFromEpoch = startFromEpoch;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = -1;
    this.releaseBest();
  }

  private improved(value: number): boolean {
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new ConfigError(
        `EarlyStopping is watching \`${this.monitor}\`, which fit does not log. Available: ${Object.keys(logs).join(', ')}. ` +
          (this.monitor.startsWith('val_') ? 'Pass validationData or validationSplit to fit.' : ''),
      );
    }
    if (epoch < this.startFromEpoch) return;
    if (this.improved(value)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights && this.model) {
        this.releaseBest();
        this.bestWeights = this.model.getWeights();
      }
      return;
    }
    this.wait += 1;
    if (this.wait >= this.patience && epoch > 0 && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.model) this.model.setWeights(this.bestWeights);
    this.releaseBest();
  }

  private releaseBest(): void {
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = undefined;
  }
}
