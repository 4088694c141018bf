/**
 * Backs up the training state after each finished epoch and restores it when fit starts again
 * (Keras 3's BackupAndRestore). The backup is one file, `<backupDir>/latest.keras`, written
 * atomically: the weights, the optimizer's slots and step count, keras-ts' random streams (batch
 * shuffling, dropout masks) and the number of finished epochs. A fit killed at any instant and
 * started again with the same callback (same model, compile and fit arguments) resumes after the
 * last finished epoch and ends bit-identical to a fit never interrupted. When training ends
 * normally the backup is deleted (deleteCheckpoint). Unlike Keras, only the files this callback
 * writes are removed, never the rest of backupDir; and backups are per epoch only (Keras' integer
 * saveFreq restarts the interrupted epoch, which cannot be bit-identical).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import { Callback, modelOf } from './callback';
import type { CallbackModel } from './callback';

export interface BackupAndRestoreOptions {
  /** The folder that holds the backup; used by this callback only. Required. */
  backupDir: string;
  /** When to back up: 'epoch', after each finished epoch (the default and only choice). */
  saveFreq?: 'epoch';
  /** Delete the backup when training ends normally (default true). */
  deleteCheckpoint?: boolean;
}

const OPTION_NAMES = ['backupDir', 'saveFreq', 'deleteCheckpoint'];
const OWNER = 'BackupAndRestore';
/** The backup file inside backupDir. */
export const BACKUP_FILE = 'latest.keras';

type BackupModel = CallbackModel & Required<Pick<CallbackModel, 'writeBackup' | 'readBackup'>>;

export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch';
  readonly deleteCheckpoint: boolean;
  /** The epoch this fit resumed at (0 when it started afresh). */
  restoredEpoch = 0;

  constructor(given: BackupAndRestoreOptions) {
    super();
    if (given === null || typeof given !== 'object') throw invalidArgument('options', OWNER, '{ backupDir, … }', given);
    const options = readOptions(OWNER, given, OPTION_NAMES);
    if (typeof options.backupDir !== 'string' || options.backupDir.trim() === '') throw invalidArgument('backupDir', OWNER, 'a non-empty folder path', options.backupDir);
    const saveFreq = options.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch') throw invalidArgument('saveFreq', OWNER, "'epoch' (keras-ts backs up after whole epochs, so a resumed fit is bit-identical)", saveFreq);
    const deleteCheckpoint = options.deleteCheckpoint ?? true;
    if (typeof deleteCheckpoint !== 'boolean') throw invalidArgument('deleteCheckpoint', OWNER, 'true or false', deleteCheckpoint);
    [this.backupDir, this.saveFreq, this.deleteCheckpoint] = [options.backupDir, saveFreq, deleteCheckpoint];
  }

  /** The backup file's path. */
  get backupFile(): string {
    return path.join(this.backupDir, BACKUP_FILE);
  }

  override async onTrainBegin(): Promise<void> {
    this.restoredEpoch = 0;
    if (!fs.existsSync(this.backupFile)) return;
    const model = this.backupModel();
    const info = await model.readBackup(this.backupFile);
    const epoch = info['epoch'];
    if (epoch === undefined) throw new ConfigError(`${this.backupFile}: the backup has no epoch counter.`);
    this.restoredEpoch = epoch;
    model.resumeAtEpoch = epoch;
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    await this.backupModel().writeBackup(this.backupFile, { epoch: epoch + 1 });
  }

  override onTrainEnd(): void {
    if (!this.deleteCheckpoint) return;
    fs.rmSync(this.backupFile, { force: true });
    // Temp files of a save that a kill interrupted (latest.keras.<pid>.<random>.tmp).
    for (const name of fs.existsSync(this.backupDir) ? fs.readdirSync(this.backupDir) : []) {
      if (name.startsWith(`${BACKUP_FILE}.`) && name.endsWith('.tmp')) fs.rmSync(path.join(this.backupDir, name), { force: true });
    }
    try {
      fs.rmdirSync(this.backupDir); // only when nothing else is in it
    } catch {
      // not empty or already gone: leave it
    }
  }

  private backupModel(): BackupModel {
    const model = modelOf(OWNER, this);
    if (typeof model.writeBackup !== 'function' || typeof model.readBackup !== 'function') {
      throw new ConfigError('BackupAndRestore needs a keras-ts Sequential model (one with writeBackup and readBackup).');
    }
    return model as BackupModel;
  }
}
