/**
 * `compare` with saveModels: each setting's best trial as `<out>/models/<setting>.keras`. Trials
 * (in this process or in workers) save their model to `models/.incoming/`; when a trial's record
 * arrives here, its model replaces the setting's file (an atomic rename) if it ranks better — by
 * the study's ranking metric: test accuracy, higher is better; regression: test loss, lower is
 * better; a tie goes to the lower repeat, so parallel runs keep what serial ones keep — and is
 * deleted otherwise. `models/index.json` remembers which repeat each file holds, so a resumed
 * study goes on comparing against it. Setting names are user strings (`../x`, `toString`): files get safe names, and every map is keyed safely.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DataError } from '../../errors';
import { writeFileAtomic } from '../../io/atomic';
import type { SavedModel, TrialRecord } from '../records';

export const MODELS_DIR = 'models';
const INCOMING_DIR = '.incoming';
const INDEX_FILE = 'index.json';

const indexSchema = z.array(z.looseObject({ setting: z.string().min(1), repeat: z.number().int().nonnegative(), score: z.number().finite() }));
type IndexEntry = z.infer<typeof indexSchema>[number];

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
const hash8 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * File stems for the settings: the name itself when it is plain (letters, digits, `._=+-`, not
 * starting with a dot or sign, not a reserved device name), else a cleaned name plus a hash of the
 * original; names equal up to case also get the hash (case-insensitive file systems).
 */
export function modelFileStems(settings: readonly string[]): Map<string, string> {
  const stem = (setting: string): string => {
    const cleaned = setting.replace(/[^A-Za-z0-9._=+-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 80);
    return cleaned === setting && !RESERVED.test(cleaned) ? cleaned : `${cleaned === '' ? 'setting' : cleaned}-${hash8(setting)}`;
  };
  const stems = new Map(settings.map((s) => [s, stem(s)] as const));
  const counts = new Map<string, number>();
  for (const value of stems.values()) counts.set(value.toLowerCase(), (counts.get(value.toLowerCase()) ?? 0) + 1);
  for (const [setting, value] of stems) if (counts.get(value.toLowerCase())! > 1) stems.set(setting, `${value}-${hash8(setting)}`);
  return stems;
}

/** The ranking score, higher is better: test accuracy, or −test loss for regression. */
function scoreOf(record: TrialRecord): number {
  return record.test.accuracy ?? -record.test.loss;
}

export class ModelKeeper {
  private readonly dir: string;
  private readonly stems: Map<string, string>;
  private readonly best = new Map<string, IndexEntry>();

  constructor(studyDir: string, private readonly settings: readonly string[]) {
    this.dir = path.join(studyDir, MODELS_DIR);
    this.stems = modelFileStems(settings);
    // Models of trials a killed run never recorded: those trials run again.
    fs.rmSync(path.join(this.dir, INCOMING_DIR), { recursive: true, force: true });
    const index = path.join(this.dir, INDEX_FILE);
    if (!fs.existsSync(index)) return;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(index, 'utf8'));
    } catch (error) {
      throw new DataError(`${index} is not readable JSON (${(error as Error).message}); delete the models folder to start its models over.`, { cause: error });
    }
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success) throw new DataError(`${index} is not a keras-ts model index; delete the models folder to start its models over.`);
    for (const entry of parsed.data) {
      if (this.stems.has(entry.setting) && fs.existsSync(this.fileOf(entry.setting))) this.best.set(entry.setting, entry);
    }
  }

  /** Where the trial (setting, repeat) saves its model. */
  incomingFile(setting: string, repeat: number): string {
    return path.join(this.dir, INCOMING_DIR, `${this.stem(setting)}.r${repeat}.keras`);
  }

  /** A trial's record arrived: keep its model if it is the setting's best so far, else delete it. */
  keep(record: TrialRecord): void {
    const incoming = this.incomingFile(record.setting, record.repeat);
    if (!fs.existsSync(incoming)) return;
    const score = scoreOf(record);
    const current = this.best.get(record.setting);
    if (current !== undefined && !(score > current.score || (score === current.score && record.repeat < current.repeat))) {
      fs.rmSync(incoming, { force: true });
      return;
    }
    fs.renameSync(incoming, this.fileOf(record.setting));
    this.best.set(record.setting, { setting: record.setting, repeat: record.repeat, score });
    writeFileAtomic(path.join(this.dir, INDEX_FILE), `${JSON.stringify([...this.best.values()], null, 2)}\n`);
  }

  /** Removes the incoming folder once no trial runs (it holds nothing then, unless a trial failed). */
  finish(): void {
    fs.rmSync(path.join(this.dir, INCOMING_DIR), { recursive: true, force: true });
  }

  /** The kept models, in setting order (settings whose trials saved no model are left out). */
  saved(): SavedModel[] {
    return this.settings.flatMap((setting) => {
      const entry = this.best.get(setting);
      return entry === undefined ? [] : [{ setting, repeat: entry.repeat, file: `${MODELS_DIR}/${this.stem(setting)}.keras` }];
    });
  }

  private stem(setting: string): string {
    const stem = this.stems.get(setting);
    if (stem === undefined) throw new DataError(`No model file name for setting ${JSON.stringify(setting)}: it is not in this study.`);
    return stem;
  }

  private fileOf(setting: string): string {
    return path.join(this.dir, `${this.stem(setting)}.keras`);
  }
}
