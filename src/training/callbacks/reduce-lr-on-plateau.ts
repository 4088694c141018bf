/** Multiplies the learning rate by `factor` when a monitored value stops improving (Keras 3's ReduceLROnPlateau). */
import { invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import { getLearningRate, setLearningRate } from '../optimizers';
import { Callback, optimizerOf } from './callback';
import type { Logs } from './callback';
import { checkMinDelta, checkMode, isImprovement, monitorDirection } from './monitor';
import type { MonitorMode } from './monitor';

export interface ReduceLROnPlateauOptions {
  /** The logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** New rate = rate · factor, in [0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 1: say when the rate changes (default 0). */
  verbose?: 0 | 1;
  /** 'min', 'max' or 'auto' (default 'auto'); an unknown mode warns and uses 'auto'. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the rate (default 0). */
  minLr?: number;
}

const OWNER = 'ReduceLROnPlateau';
const OPTION_NAMES = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr'];

const nonNegativeInteger = (arg: string, value: unknown): number => {
  if (!(Number.isInteger(value) && (value as number) >= 0)) throw invalidArgument(arg, OWNER, 'an integer >= 0', value);
  return value as number;
};

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  best: number | undefined;
  wait = 0;
  cooldownCounter = 0;
  private direction: 'min' | 'max' | undefined;

  constructor(given: ReduceLROnPlateauOptions = {}) {
    super();
    const o = readOptions(OWNER, given, OPTION_NAMES);
    this.monitor = o.monitor ?? 'val_loss';
    const factor = o.factor ?? 0.1;
    if (!(typeof factor === 'number' && factor >= 0 && factor < 1)) throw invalidArgument('factor', OWNER, 'a number in [0, 1) (a factor >= 1.0 is not supported)', factor);
    this.factor = factor;
    this.patience = nonNegativeInteger('patience', o.patience ?? 10);
    this.cooldown = nonNegativeInteger('cooldown', o.cooldown ?? 0);
    const verbose = o.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', OWNER, '0 or 1', verbose);
    this.verbose = verbose;
    this.minDelta = checkMinDelta(OWNER, o.minDelta ?? 1e-4);
    const minLr = o.minLr ?? 0;
    if (!(typeof minLr === 'number' && Number.isFinite(minLr) && minLr >= 0)) throw invalidArgument('minLr', OWNER, 'a finite number >= 0', minLr);
    this.minLr = minLr;
    this.mode = checkMode(OWNER, o.mode ?? 'auto', (m) => this.warn?.(m));
  }

  override onTrainBegin(): void {
    this.best = undefined;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.direction ??= monitorDirection(this.monitor, this.mode, this.model);
    const optimizer = optimizerOf(OWNER, this);
    logs['learning_rate'] = getLearningRate(optimizer);
    const current = logs[this.monitor];
    if (current === undefined) {
      this.warn?.(`Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs).join(',')}.`);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (isImprovement(this.direction, this.minDelta, current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = getLearningRate(optimizer);
        if (old > Math.fround(this.minLr)) {
          const lr = Math.max(old * this.factor, this.minLr);
          setLearningRate(optimizer, lr);
          if (this.verbose > 0) this.print?.(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
