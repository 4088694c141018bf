/** Sets the learning rate at the start of each epoch from `schedule(epoch, lr)` (Keras' LearningRateScheduler). */
import { ConfigError, describe, invalidArgument } from '../../errors';
import { getLearningRate, setLearningRate } from '../optimizers';
import { Callback, optimizerOf } from './callback';
import type { Logs } from './callback';

/** The rate for an epoch (0-based) from the current rate. */
export type ScheduleFunction = (epoch: number, learningRate: number) => number;

export class LearningRateScheduler extends Callback {
  constructor(readonly schedule: ScheduleFunction, readonly verbose: 0 | 1 = 0) {
    super();
    if (typeof schedule !== 'function') throw invalidArgument('schedule', 'LearningRateScheduler', 'a function (epoch, learningRate) => number', schedule);
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', 'LearningRateScheduler', '0 or 1', verbose);
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = optimizerOf('LearningRateScheduler', this);
    const lr = this.schedule(epoch, getLearningRate(optimizer));
    if (!(typeof lr === 'number' && Number.isFinite(lr))) {
      throw new ConfigError(`The output of the \`schedule\` function should be a finite number. Received: ${describe(lr)} (epoch ${epoch})`);
    }
    setLearningRate(optimizer, lr);
    if (this.verbose > 0) this.print?.(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs['learning_rate'] = getLearningRate(optimizerOf('LearningRateScheduler', this));
  }
}
