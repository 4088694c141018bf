/**
 * Saves the model (or its weights) while it trains (Keras 3's ModelCheckpoint): at each epoch's end
 * or every `saveFreq` batches, always or only when `monitor` improves. `filepath` takes Keras'
 * placeholders (`{epoch:02d}`, `{val_loss:.4f}`; epoch and batch 1-based as Keras) and picks the
 * format: `.keras` → Keras 3's archive; `.weights.h5` → weights only (required with
 * saveWeightsOnly, as Keras 3); a directory or `file://dir` → the tfjs-layers format (keras-ts'
 * addition). Saves are atomic, so a reader never sees a half-written checkpoint.
 */
import { ConfigError, describe, invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import { Callback, modelOf } from './callback';
import type { BatchLogs, Logs } from './callback';
import { formatFilepath } from './filepath-format';
import { checkMode, isImprovement, monitorDirection } from './monitor';
import type { MonitorMode } from './monitor';

export interface ModelCheckpointOptions {
  /** Where to save: `.keras`, `.weights.h5` (with saveWeightsOnly), or a directory / `file://dir` (tfjs-layers); may hold `{epoch}`, `{val_loss:.4f}`… Required. */
  filepath: string;
  /** The logged value that decides "best" with saveBestOnly (default 'val_loss'). */
  monitor?: string;
  /** 1: say when it saves or skips (default 0). */
  verbose?: 0 | 1;
  /** Save only when `monitor` improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Save the weights only (`model.saveWeights`); filepath must end in .weights.h5 (default false). */
  saveWeightsOnly?: boolean;
  /** 'min', 'max' or 'auto' (from the metric: accuracy-like up, losses down; default 'auto'). */
  mode?: MonitorMode;
  /** 'epoch' (default) or a number of batches between saves. */
  saveFreq?: 'epoch' | number;
  /** The starting "best" for saveBestOnly: nothing is saved until `monitor` beats it (default none). */
  initialValueThreshold?: number | null;
}

const OPTION_NAMES = ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold'];
const OWNER = 'ModelCheckpoint';
const INTEGER_FIELDS: ReadonlySet<string> = new Set(['epoch', 'batch']);

export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: 'epoch' | number;
  /** Best monitored value so far (starts at initialValueThreshold). */
  best: number | undefined;
  /** The files written by this callback, in order (the last is the latest checkpoint). */
  readonly saved: string[] = [];
  private direction: 'min' | 'max' | undefined;
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;

  constructor(given: ModelCheckpointOptions) {
    super();
    if (given === null || typeof given !== 'object') throw invalidArgument('options', OWNER, '{ filepath, … }', given);
    const options = readOptions(OWNER, given, OPTION_NAMES);
    const filepath = options.filepath;
    if (typeof filepath !== 'string' || filepath.trim() === '') throw invalidArgument('filepath', OWNER, "a file path such as 'ckpt/{epoch:02d}.keras'", filepath);
    this.monitor = options.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string' || this.monitor.length === 0) throw invalidArgument('monitor', OWNER, 'a logged name such as "val_loss"', this.monitor);
    const verbose = options.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', OWNER, '0 or 1', verbose);
    const saveBestOnly = options.saveBestOnly ?? false;
    if (typeof saveBestOnly !== 'boolean') throw invalidArgument('saveBestOnly', OWNER, 'true or false', saveBestOnly);
    const saveWeightsOnly = options.saveWeightsOnly ?? false;
    if (typeof saveWeightsOnly !== 'boolean') throw invalidArgument('saveWeightsOnly', OWNER, 'true or false', saveWeightsOnly);
    const saveFreq = options.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(typeof saveFreq === 'number' && Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw invalidArgument('saveFreq', OWNER, "'epoch' or a positive integer (batches)", saveFreq);
    }
    const threshold = options.initialValueThreshold ?? undefined;
    if (threshold !== undefined && !(typeof threshold === 'number' && Number.isFinite(threshold))) {
      throw invalidArgument('initialValueThreshold', OWNER, 'a finite number or null', threshold);
    }
    const lower = filepath.toLowerCase();
    if (saveWeightsOnly && !lower.endsWith('.weights.h5')) {
      throw new ConfigError(`Invalid \`filepath\` for ModelCheckpoint: with saveWeightsOnly: true it must end in .weights.h5 (Keras weights format). Received: filepath=${describe(filepath)}`);
    }
    if (!saveWeightsOnly && (lower.endsWith('.h5') || lower.endsWith('.hdf5'))) {
      throw new ConfigError(`Invalid \`filepath\` for ModelCheckpoint: a whole model is saved as .keras or as a tfjs-layers directory (.weights.h5 needs saveWeightsOnly: true; legacy .h5 is not written). Received: filepath=${describe(filepath)}`);
    }
    this.mode = checkMode(OWNER, options.mode ?? 'auto', (m) => this.warn?.(m));
    [this.filepath, this.verbose, this.saveBestOnly, this.saveWeightsOnly, this.saveFreq, this.best] = [filepath, verbose, saveBestOnly, saveWeightsOnly, saveFreq, threshold];
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onBatchEnd(batch: number, logs: BatchLogs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    // Keras' count: a batch index not above the last one starts a new epoch.
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    const values: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const key of Object.keys(logs)) if (key !== 'batch' && key !== 'size') values[key] = logs[key]!;
    await this.saveModel(this.currentEpoch, batch, values);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, undefined, logs);
  }

  private async saveModel(epoch: number, batch: number | undefined, logs: Logs): Promise<void> {
    const values: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, logs, { epoch: epoch + 1 });
    if (batch !== undefined) values['batch'] = batch + 1;
    const file = formatFilepath(this.filepath, values, INTEGER_FIELDS);
    if (!this.shouldSave(epoch, logs, file)) return;
    const model = modelOf(OWNER, this);
    if (this.saveWeightsOnly) {
      if (model.saveWeights === undefined) throw new ConfigError('ModelCheckpoint with saveWeightsOnly needs a model with saveWeights (a keras-ts Sequential).');
      await model.saveWeights(file);
    } else {
      if (model.save === undefined) throw new ConfigError('ModelCheckpoint needs a model with save (a keras-ts Sequential).');
      await model.save(file);
    }
    this.saved.push(file);
    if (this.verbose > 0) this.print?.(`\nEpoch ${epoch + 1}: finished saving model to ${file}`);
  }

  private shouldSave(epoch: number, logs: Logs, file: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) this.print?.(`\nEpoch ${epoch + 1}: saving model to ${file}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      this.warn?.(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    this.direction ??= monitorDirection(this.monitor, this.mode, this.model);
    const bestText = this.best === undefined ? 'None' : this.best.toFixed(5);
    if (isImprovement(this.direction, 0, current, this.best)) {
      if (this.verbose > 0) this.print?.(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${current.toFixed(5)}, saving model to ${file}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) this.print?.(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
    return false;
  }
}
