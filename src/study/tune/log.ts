/**
 * A tune folder's durable state, in the study folder's pattern (run/store.ts): `tune.json` names
 * the search (its config and backend), `tune-log.jsonl` gets one checksummed line per finished
 * search segment or confirmation trial the moment it ends, and `checkpoints/` holds the saved
 * state (weights, optimizer, random streams) that a promoted trial continues from. The folder is
 * locked while a run owns it; a rerun validates everything and continues where the log ends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, DataError } from '../../errors';
import { appendLine, writeFileAtomic } from '../../io/atomic';
import { prepareOutDir } from '../../io/out-dir';
import { canonicalJson, configDifferences } from '../config/resolve';
import type { TrialRecord } from '../records';
import { recordChecksum } from '../records-schema';
import { lockFolder } from '../run/lock';
import type { TuneConfig } from './config';

export const TUNE_SCHEMA_VERSION = 1;
export const TUNE_FILE = 'tune.json';
export const LOG_FILE = 'tune-log.jsonl';
export const CHECKPOINTS = 'checkpoints';

/** One finished search segment: trial `trial` of `technique` trained to rung `rung` (`epochs` epochs in all). */
export interface SegmentRecord {
  type: 'segment';
  technique: string;
  trial: number;
  rung: number;
  epochs: number;
  /** The searched values by dimension name (strengths, learningRate). */
  params: Record<string, number>;
  /** The setting in compare's compact form, e.g. "l2=0.0001". */
  setting: string;
  /** Best validation data loss over the epochs so far (null when it diverged). */
  valLoss: number | null;
  /** Validation accuracy at that best epoch (classification). */
  valAccuracy?: number;
  /** 0-based epoch of the best validation loss. */
  bestEpoch: number;
  seconds: number;
}

/** One confirmation run: the best setting of `technique` retrained with a fresh seed and tested. */
export interface ConfirmRecord {
  type: 'confirm';
  technique: string;
  trial: TrialRecord;
}

export type LogRecord = SegmentRecord | ConfirmRecord;

export interface TuneLog {
  dir: string;
  records: LogRecord[];
  append(record: LogRecord): void;
  checkpoint(technique: string, trial: number, epochs: number): string;
  close(): void;
}

function parseLine(line: string, at: string): LogRecord {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(line) as Record<string, unknown>;
  } catch (error) {
    throw new DataError(`${at} is not JSON (${(error as Error).message}); remove that line or use a new output folder.`, { cause: error });
  }
  const { checksum, ...record } = json;
  if (typeof checksum !== 'string' || checksum !== recordChecksum(record)) {
    throw new DataError(`${at} fails its checksum (edited or torn); remove that line (its work reruns) or use a new output folder.`);
  }
  if (record['type'] !== 'segment' && record['type'] !== 'confirm') throw new DataError(`${at} is not a tune log record; use a new output folder.`);
  return record as unknown as LogRecord;
}

/** The log's records; a torn last line (a kill mid-write) is cut off; a record logged twice is an error. */
function readLog(file: string): LogRecord[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  if (last !== '') fs.truncateSync(file, Buffer.byteLength(text) - Buffer.byteLength(last));
  const seen = new Map<string, number>();
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    const record = parseLine(line, `${file} line ${i + 1}`);
    const key = record.type === 'segment' ? `s\u0000${record.technique}\u0000${record.trial}\u0000${record.rung}` : `c\u0000${record.technique}\u0000${record.trial.repeat}`;
    const first = seen.get(key);
    if (first !== undefined) throw new DataError(`${file} line ${i + 1} repeats the record of line ${first}; remove one of them.`);
    seen.set(key, i + 1);
    return [record];
  });
}

/** Locks `dir` for this search and reads its log; throws if the folder holds another search. */
export function openTuneLog(dir: string, identity: { config: TuneConfig; backend: string }): TuneLog {
  const resolved = prepareOutDir(dir);
  const lock = lockFolder(resolved);
  try {
    const tuneFile = path.join(resolved, TUNE_FILE);
    const here = { ...identity.config, backend: identity.backend } as unknown as Record<string, unknown>;
    if (fs.existsSync(tuneFile)) {
      let saved: Record<string, unknown>;
      try {
        const json = JSON.parse(fs.readFileSync(tuneFile, 'utf8')) as { config: Record<string, unknown>; backend: string };
        saved = { ...json.config, backend: json.backend };
      } catch (error) {
        throw new DataError(`${tuneFile} is not readable (${(error as Error).message}); delete the folder to start over.`, { cause: error });
      }
      if (canonicalJson(saved) !== canonicalJson(here)) {
        throw new ConfigError(`The folder ${dir} holds a different search (${configDifferences(saved, here).join('; ')}). Use another output folder, or delete this one to start over.`);
      }
    } else {
      writeFileAtomic(tuneFile, `${JSON.stringify({ schemaVersion: TUNE_SCHEMA_VERSION, createdAt: new Date().toISOString(), ...identity }, null, 2)}\n`);
    }
    const logFile = path.join(resolved, LOG_FILE);
    const records = readLog(logFile);
    fs.mkdirSync(path.join(resolved, CHECKPOINTS), { recursive: true });
    return {
      dir: resolved,
      records,
      append: (record) => {
        const plain = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
        appendLine(logFile, JSON.stringify({ ...plain, checksum: recordChecksum(plain) }));
      },
      checkpoint: (technique, trial, epochs) => path.join(resolved, CHECKPOINTS, `${technique}-${trial}-e${epochs}.keras`),
      close: () => lock.release(),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
