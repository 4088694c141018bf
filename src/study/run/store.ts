/**
 * The study folder's durable state: `study.json` names the study (its config and backend) and
 * `trials.jsonl` gets one line per finished trial the moment it ends. A rerun with the same folder
 * reads both, skips what is done, and refuses to mix in a different study.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, DataError } from '../../errors';
import { appendLine, writeFileAtomic } from '../../io/atomic';
import { canonicalJson, configDifferences } from '../config/resolve';
import type { StudyConfig } from '../config/resolve';
import type { TrialRecord } from '../records';
import { STUDY_SCHEMA_VERSION } from '../records';

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
  /** Trials already finished in this folder (earlier runs). */
  finished: TrialRecord[];
  /** Records a finished trial durably (append + fsync). */
  append(record: TrialRecord): void;
}

/** Drops a torn last line (a kill during the write) so the next append starts on a fresh line. */
function readTrialLines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) fs.truncateSync(file, Buffer.byteLength(text.slice(0, end)));
  return text.slice(0, end).split('\n').filter((line) => line.trim() !== '');
}

function parseTrial(line: string, index: number, file: string): TrialRecord {
  try {
    const record = JSON.parse(line) as TrialRecord;
    if (typeof record.setting !== 'string' || typeof record.repeat !== 'number') throw new Error('missing setting or repeat');
    return record;
  } catch (error) {
    throw new DataError(`Line ${index + 1} of ${file} is not a trial record (${(error as Error).message}); remove that line or use a new output folder.`, { cause: error });
  }
}

/** Opens (or starts) the study folder `dir` for `identity`; throws if it holds another study. */
export function openTrialStore(dir: string, identity: StudyIdentity): TrialStore {
  const studyFile = path.join(dir, STUDY_FILE);
  const trialsFile = path.join(dir, TRIALS_FILE);
  if (fs.existsSync(studyFile)) {
    const existing = JSON.parse(fs.readFileSync(studyFile, 'utf8')) as StudyFileContents;
    const there = { ...existing.config, backend: existing.backend } as Record<string, unknown>;
    const here = { ...identity.config, backend: identity.backend } as Record<string, unknown>;
    if (canonicalJson(there) !== canonicalJson(here)) {
      throw new ConfigError(
        `The folder ${dir} holds a different study (${configDifferences(there, here).join('; ')}). ` +
          'Use another output folder, or delete this one to start over.',
      );
    }
  } else if (fs.existsSync(trialsFile)) {
    throw new ConfigError(`The folder ${dir} has ${TRIALS_FILE} but no ${STUDY_FILE}, so its trials cannot be matched to a study. Use another output folder.`);
  } else {
    const contents: StudyFileContents = { schemaVersion: STUDY_SCHEMA_VERSION, createdAt: new Date().toISOString(), ...identity };
    writeFileAtomic(studyFile, `${JSON.stringify(contents, null, 2)}\n`);
  }
  // Same identity, so every record belongs to this study; a trial logged twice counts once.
  const seen = new Set<string>();
  const finished: TrialRecord[] = [];
  readTrialLines(trialsFile).forEach((line, i) => {
    const record = parseTrial(line, i, trialsFile);
    const key = `${record.repeat}\u0000${record.setting}`;
    if (seen.has(key)) return;
    seen.add(key);
    finished.push(record);
  });
  return { finished, append: (record) => appendLine(trialsFile, JSON.stringify(record)) };
}
