/**
 * The study folder's durable state: `study.json` names the study (its config and backend) and
 * `trials.jsonl` gets one line per finished trial the moment it ends, each line carrying a sha256
 * checksum of the record. A rerun with the same folder validates both, skips what is done, and
 * refuses to mix in a different study. The folder is locked while a run owns it.
 *
 * Opening is in two steps so that a run that cannot start leaves the folder as it was:
 * `openTrialStore` locks the folder and reads what is there (writing nothing), and `start()` writes
 * study.json once the data has loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, DataError, describe } from '../../errors';
import { appendLine, writeFileAtomic } from '../../io/atomic';
import { describeFsError, prepareOutDir } from '../../io/out-dir';
import { canonicalJson, configDifferences } from '../config/resolve';
import type { StudyConfig } from '../config/resolve';
import type { TrialRecord } from '../records';
import { STUDY_SCHEMA_VERSION } from '../records';
import { describeIssues, recordChecksum, studyFileContentsSchema, trialRecordSchema } from '../records-schema';
import { STUDY_TEMP_PREFIX, removeStaleTempDirs } from './cleanup';
import { lockFolder } from './lock';

/** What identifies a study on disk: same identity → same results, so finished trials can be reused. */
export interface StudyIdentity {
  config: StudyConfig;
  backend: string;
}

interface StudyFileContents extends StudyIdentity {
  schemaVersion: number;
  createdAt: string;
}

export const STUDY_FILE = 'study.json';
export const TRIALS_FILE = 'trials.jsonl';

export interface TrialStore {
  /** The folder (resolved). */
  dir: string;
  /** Trials already finished in this folder (earlier runs). */
  finished: TrialRecord[];
  /** Writes study.json if the folder is new; call once the run is known to start. */
  start(): void;
  /** Records a finished trial durably (append + fsync), with its checksum. */
  append(record: TrialRecord): void;
  /** Releases the folder's lock (idempotent). */
  close(): void;
}

function readStudyFile(file: string): StudyFileContents {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataError(`${file} is not readable JSON (${(error as Error).message}); delete the folder's study.json and trials.jsonl to start over, or use another output folder.`, { cause: error });
  }
  const result = studyFileContentsSchema.safeParse(json);
  if (!result.success) {
    throw new DataError(`${file} is not a keras-ts study file:\n  ${describeIssues(result.error, json)}\nDelete the folder to start over, or use another output folder.`);
  }
  return result.data as unknown as StudyFileContents;
}

/**
 * The lines of trials.jsonl. A last line without a newline is kept when it is a whole record (a
 * kill after the write, before the newline reached the disk is impossible with one write, but an
 * editor may drop it); a last line that does not parse is a torn write and is cut off.
 */
function readTrialLines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  if (last.trim() !== '') {
    let whole = true;
    try {
      JSON.parse(last);
    } catch {
      whole = false;
    }
    if (whole) {
      appendLine(file, ''); // finish the line, so the next append starts on a fresh one
      lines.push(last);
    } else {
      fs.truncateSync(file, Buffer.byteLength(text) - Buffer.byteLength(last));
    }
  }
  return lines;
}

function parseTrial(line: string, lineNumber: number, file: string): TrialRecord {
  const at = `${file} line ${lineNumber}`;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw new DataError(`${at} is not JSON (${(error as Error).message}); remove that line or use a new output folder.`, { cause: error });
  }
  const result = trialRecordSchema.safeParse(json);
  if (!result.success) throw new DataError(`${at} is not a valid trial record:\n  ${describeIssues(result.error, json)}\nRemove that line (the trial reruns) or use a new output folder.`);
  const { checksum, ...record } = json as Record<string, unknown>;
  if (typeof checksum !== 'string' || checksum !== recordChecksum(record)) {
    throw new DataError(`${at} fails its checksum (${checksum === undefined ? 'none stored' : 'edited or torn'}); remove that line (the trial reruns) or use a new output folder.`);
  }
  return record as unknown as TrialRecord;
}

/** Checks each record against the study: a known setting, a repeat in range, its seed; no two records for one trial. */
function checkRecords(records: { record: TrialRecord; line: number }[], config: StudyConfig, file: string): TrialRecord[] {
  const names = new Set(config.settings.map((s) => s.name));
  const byTrial = new Map<string, { record: TrialRecord; line: number }>();
  for (const entry of records) {
    const { record, line } = entry;
    const at = `${file} line ${line}`;
    if (!names.has(record.setting)) throw new DataError(`${at} records setting ${describe(record.setting)}, which is not in this study (${[...names].join(', ')}); remove that line or use a new output folder.`);
    if (record.repeat >= config.repeats) throw new DataError(`${at} records repeat ${record.repeat}, but the study has ${config.repeats} repeats; remove that line or use a new output folder.`);
    if (record.seed !== config.seed + record.repeat) throw new DataError(`${at} records seed ${record.seed}; repeat ${record.repeat} of this study uses seed ${config.seed + record.repeat}. Remove that line or use a new output folder.`);
    const key = `${record.repeat}\u0000${record.setting}`;
    const earlier = byTrial.get(key);
    if (earlier !== undefined) {
      throw new DataError(`${at} records setting ${describe(record.setting)}, repeat ${record.repeat} a second time (first on line ${earlier.line}); remove one of them.`);
    }
    byTrial.set(key, entry);
  }
  return [...byTrial.values()].map((e) => e.record);
}

/** Locks the study folder `dir` for `identity` and reads it; throws if it holds another study or bad records. Writes nothing. */
export function openTrialStore(dir: string, identity: StudyIdentity): TrialStore {
  const resolved = prepareOutDir(dir);
  const lock = lockFolder(resolved);
  try {
    removeStaleTempDirs(resolved, STUDY_TEMP_PREFIX); // left by a run killed with -9
    const studyFile = path.join(resolved, STUDY_FILE);
    const trialsFile = path.join(resolved, TRIALS_FILE);
    let exists = false;
    if (fs.existsSync(studyFile)) {
      if (fs.statSync(studyFile).isDirectory()) throw new DataError(describeFsError({ code: 'EISDIR' }, studyFile, 'read'));
      const existing = readStudyFile(studyFile);
      const there = { ...existing.config, backend: existing.backend } as Record<string, unknown>;
      const here = { ...identity.config, backend: identity.backend } as Record<string, unknown>;
      if (canonicalJson(there) !== canonicalJson(here)) {
        throw new ConfigError(
          `The folder ${dir} holds a different study (${configDifferences(there, here).join('; ')}). ` +
            'Use another output folder, or delete this one to start over.',
        );
      }
      exists = true;
    } else if (fs.existsSync(trialsFile)) {
      throw new ConfigError(`The folder ${dir} has ${TRIALS_FILE} but no ${STUDY_FILE}, so its trials cannot be matched to a study. Use another output folder.`);
    }
    const parsed = readTrialLines(trialsFile).flatMap((line, i) => (line.trim() === '' ? [] : [{ record: parseTrial(line, i + 1, trialsFile), line: i + 1 }]));
    const finished = checkRecords(parsed, identity.config, trialsFile);
    return {
      dir: resolved,
      finished,
      start: () => {
        if (exists) return;
        const contents: StudyFileContents = { schemaVersion: STUDY_SCHEMA_VERSION, createdAt: new Date().toISOString(), ...identity };
        writeFileAtomic(studyFile, `${JSON.stringify(contents, null, 2)}\n`);
        exists = true;
      },
      append: (record) => {
        const plain = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
        appendLine(trialsFile, JSON.stringify({ ...plain, checksum: recordChecksum(plain) }));
      },
      close: () => lock.release(),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
