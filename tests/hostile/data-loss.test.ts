/** Hostile inputs, "Data loss": the study folder is owned by one run, and trials.jsonl is validated on read. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, study } from '../../src';
import { LOCK_FILE } from '../../src/study/run/lock';
import { recordChecksum } from '../../src/study/records-schema';
import { QUICK_STUDY, cliAsync, deadPid, finishedStudy, tmp, trialLines, trialsFile } from './helpers';

/** Rewrites line `index` of trials.jsonl through `edit`, with a checksum that matches the edit. */
function editRecord(dir: string, index: number, edit: (record: Record<string, unknown>) => void, reseal = true): void {
  const lines = trialLines(dir);
  const record = JSON.parse(lines[index]!) as Record<string, unknown>;
  edit(record);
  if (reseal) record['checksum'] = recordChecksum(record);
  lines[index] = JSON.stringify(record);
  fs.writeFileSync(trialsFile(dir), `${lines.join('\n')}\n`);
}

let finished: string;
beforeAll(async () => {
  finished = await finishedStudy();
});

/** A copy of the finished study folder to damage. */
function copy(): string {
  const dir = tmp();
  fs.cpSync(finished, dir, { recursive: true });
  return dir;
}

test('two different studies started at the same moment on one --out: one wins, the other gets a clear error', async () => {
  const out = tmp();
  const base = ['compare', '--train-size', '30', '--hidden', '4', '--epochs', '1', '--repeats', '1', '--parallel', '1', '--backend', 'cpu', '--out', out];
  const [a, b] = await Promise.all([cliAsync([...base, '--settings', 'none,l1']), cliAsync([...base, '--settings', 'none,l2'])]);
  const codes = [a.code, b.code].sort();
  expect(codes).toEqual([0, 1]);
  const loser = a.code === 1 ? a : b;
  expect(loser.stderr).toMatch(/keras-ts: ConfigError: The study folder .* is in use by another keras-ts run \(pid \d+ on .*\)|holds a different study/);
  expect(loser.stderr).not.toMatch(/\n\s+at /);
  // The folder holds one study only.
  const settings = new Set(trialLines(out).map((l) => (JSON.parse(l) as { setting: string }).setting));
  const winner = JSON.parse(fs.readFileSync(path.join(out, 'study.json'), 'utf8')) as { config: { settings: { name: string }[] } };
  expect([...settings].sort()).toEqual(winner.config.settings.map((s) => s.name).sort());
  expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
}, 120_000);

test('a second study in the same process on a locked folder is refused while the first runs', async () => {
  const out = tmp();
  const first = study.compare({ ...QUICK_STUDY, out });
  await expect(study.compare({ ...QUICK_STUDY, settings: 'none,l1', out })).rejects.toThrow(/in use by a study running in this process/);
  await first;
  expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
});

test('a stale lock of a dead process is recognised and taken over', async () => {
  const out = tmp();
  fs.writeFileSync(path.join(out, LOCK_FILE), JSON.stringify({ pid: deadPid(), hostname: os.hostname(), startedAt: '2020-01-01T00:00:00Z' }));
  const result = await study.compare({ ...QUICK_STUDY, out });
  expect(result.trials).toHaveLength(2);
  expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
});

test('a live lock (another running process) is not taken over, and the message names its owner', async () => {
  const out = tmp();
  fs.writeFileSync(path.join(out, LOCK_FILE), JSON.stringify({ pid: process.ppid, hostname: os.hostname(), startedAt: '2020-01-01T00:00:00Z' }));
  await expect(study.compare({ ...QUICK_STUDY, out })).rejects.toThrow(new RegExp(`in use by another keras-ts run \\(pid ${process.ppid} on`));
  expect(fs.existsSync(path.join(out, 'study.json'))).toBe(false);
});

test('the lock is released when a run fails', async () => {
  const out = tmp();
  await expect(study.compare({ ...QUICK_STUDY, hidden: [2 ** 29], out })).rejects.toThrow(/hidden/);
  expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
});

test('trials.jsonl: a last complete record without trailing newline is kept, not rerun', async () => {
  const dir = copy();
  const text = fs.readFileSync(trialsFile(dir), 'utf8');
  fs.writeFileSync(trialsFile(dir), text.replace(/\n$/, ''));
  const started: string[] = [];
  const result = await study.compare({ ...QUICK_STUDY, out: dir, onProgress: (e) => void (e.type === 'trial-start' && started.push(e.setting)) });
  expect(started).toEqual([]);
  expect(result.trials).toHaveLength(2);
  expect(fs.readFileSync(trialsFile(dir), 'utf8')).toBe(text);
});

test('trials.jsonl: a torn last line (one that does not parse) is cut and its trial reruns', async () => {
  const dir = copy();
  const lines = trialLines(dir);
  fs.writeFileSync(trialsFile(dir), `${lines[0]}\n${lines[1]!.slice(0, 40)}`);
  const started: string[] = [];
  await study.compare({ ...QUICK_STUDY, out: dir, onProgress: (e) => void (e.type === 'trial-start' && started.push(e.setting)) });
  expect(started).toHaveLength(1);
  expect(trialLines(dir)).toHaveLength(2);
});

const corruptions: [string, (r: Record<string, unknown>) => void, RegExp][] = [
  ['null accuracy', (r) => ((r['test'] as Record<string, unknown>)['accuracy'] = null), /line 1 is not a valid trial record:\n\s+`test\.accuracy`/],
  ['string loss', (r) => ((r['train'] as Record<string, unknown>)['loss'] = '0.5'), /line 1 is not a valid trial record:\n\s+`train\.loss`/],
  ['empty curves', (r) => ((r['curves'] as Record<string, unknown>)['loss'] = []), /line 1 is not a valid trial record:\n\s+`curves\.loss`/],
  ['a minimal record', (r) => Object.keys(r).forEach((k) => k !== 'setting' && k !== 'repeat' && delete r[k]), /line 1 is not a valid trial record/],
  ['an unknown setting', (r) => (r['setting'] = 'l9'), /line 1 records setting "l9", which is not in this study \(none, l2\)/],
  ['a repeat out of range', (r) => (r['repeat'] = 7), /line 1 records repeat 7, but the study has 1 repeats/],
];

test.each(corruptions)('trials.jsonl: a record with %s is a clear error naming file and line', async (_, edit, message) => {
  const dir = copy();
  editRecord(dir, 0, edit);
  const error = await study.compare({ ...QUICK_STUDY, out: dir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toContain(trialsFile(dir));
  expect((error as Error).message).toMatch(message);
});

test('trials.jsonl: a duplicate record is a clear error naming both lines', async () => {
  const dir = copy();
  const lines = trialLines(dir);
  fs.appendFileSync(trialsFile(dir), `${lines[0]}\n`);
  await expect(study.compare({ ...QUICK_STUDY, out: dir })).rejects.toThrow(/line 3 records setting "none", repeat 0 a second time \(first on line 1\)/);
});

test('trials.jsonl: a tampered record fails its checksum', async () => {
  const dir = copy();
  editRecord(dir, 1, (r) => ((r['test'] as Record<string, number>)['loss'] = 0.001), false);
  await expect(study.compare({ ...QUICK_STUDY, out: dir })).rejects.toThrow(/line 2 fails its checksum \(edited or torn\)/);
});

test('a failed run (typo in the dataset, size out of range) writes no study.json, so the corrected rerun starts', async () => {
  const out = tmp();
  await expect(study.compare({ ...QUICK_STUDY, data: { source: 'csv', path: path.join(out, 'nope.csv') }, out })).rejects.toThrow(/Cannot read the CSV file/);
  await expect(study.compare({ ...QUICK_STUDY, data: { source: 'synthetic', samples: 2 }, out })).rejects.toThrow(/samples|Fraction/);
  expect(fs.readdirSync(out)).toEqual([]);
  const result = await study.compare({ ...QUICK_STUDY, out });
  expect(result.trials).toHaveLength(2);
});
