import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../src';
import { compare } from '../src/study';
import type { StudyEvent } from '../src/study';
import { useBackend } from './helpers';
import { TINY_STUDY, withoutTiming } from './study-helpers';

beforeAll(() => useBackend('wasm'));

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-resume-'));
const trialLines = (dir: string): string[] => fs.readFileSync(path.join(dir, 'trials.jsonl'), 'utf8').split('\n').filter(Boolean);

/** The CLI's flags for TINY_STUDY. */
const CLI_ARGS = [
  'compare', '--dataset', 'synthetic', '--train-size', '60', '--hidden', '8', '--settings', 'none,l1=1e-3,dropout=0.3',
  '--epochs', '3', '--batch-size', '16', '--repeats', '2', '--seed', '11', '--backend', 'wasm', '--parallel', '1',
];
const STUDY_OF_CLI = { ...TINY_STUDY, data: { source: 'synthetic' as const, samples: 240 } };

test('after kill -9 mid-study, a rerun skips finished trials and ends with the uninterrupted result', async () => {
  const dir = tmp();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', ...CLI_ARGS, '--out', dir], {
    stdio: 'ignore',
  });
  // Kill as soon as some, but not all, trials are logged.
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (fs.existsSync(path.join(dir, 'trials.jsonl')) && trialLines(dir).length >= 2) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 20);
    // Resume once the killed run is gone (its folder lock is then stale).
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== null) reject(new Error(`the study ended (code ${code}) before it could be killed`));
      else resolve();
    });
  });
  const logged = trialLines(dir).length;
  expect(logged).toBeGreaterThanOrEqual(2);
  expect(logged).toBeLessThan(6);
  // A write torn by the kill: half a line at the end.
  fs.appendFileSync(path.join(dir, 'trials.jsonl'), '{"setting":"dropout","repe');

  const started: string[] = [];
  const resumed = await compare({ ...STUDY_OF_CLI, out: dir, onProgress: (e: StudyEvent) => void (e.type === 'trial-start' && started.push(e.setting)) });
  expect(started).toHaveLength(6 - logged);
  expect(trialLines(dir)).toHaveLength(6);
  const uninterrupted = await compare(STUDY_OF_CLI);
  expect(resumed.trials.map(withoutTiming)).toEqual(uninterrupted.trials.map(withoutTiming));
  expect(resumed.settings.map((s) => s.verdict)).toEqual(uninterrupted.settings.map((s) => s.verdict));

  // Everything done: a third run trains nothing.
  const again: string[] = [];
  await compare({ ...STUDY_OF_CLI, out: dir, onProgress: (e) => void (e.type === 'trial-start' && again.push(e.setting)) });
  expect(again).toEqual([]);
  fs.rmSync(dir, { recursive: true });
}, 120_000);

test('kill -9 of a parallel study leaves no worker process behind', async () => {
  const dir = tmp();
  // Trials of a minute or more: the workers are mid-trial, far from its end, when the parent dies.
  const args = ['compare', '--train-size', '2000', '--hidden', '64', '--epochs', '2000', '--parallel', '2', '--backend', 'wasm', '--out', dir];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', ...args], { stdio: 'ignore' });
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = async (what: string, ok: () => boolean, limitMs: number) => {
    for (let waited = 0; !ok(); waited += 50) {
      if (waited > limitMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const workers = (): number[] => {
    try {
      return execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  await until('two workers', () => fs.existsSync(path.join(dir, 'study.json')) && workers().length === 2, 60_000);
  const pids = workers();
  await new Promise((r) => setTimeout(r, 8000)); // past the workers' start-up, into their trials
  child.kill('SIGKILL');
  // Within an epoch or so, not at the end of the trial.
  await until('the workers to exit', () => pids.every((pid) => !alive(pid)), 20_000); // within an epoch; generous for a loaded 2-core machine
  fs.rmSync(dir, { recursive: true });
}, 120_000);

test('a different study pointed at the same folder is an error, not a mix', async () => {
  const dir = tmp();
  await compare({ ...TINY_STUDY, repeats: 1, settings: 'none', out: dir });
  const before = fs.readFileSync(path.join(dir, 'trials.jsonl'), 'utf8');
  await expect(compare({ ...TINY_STUDY, repeats: 1, settings: 'none', epochs: 4, out: dir })).rejects.toThrow(ConfigError);
  await expect(compare({ ...TINY_STUDY, repeats: 1, settings: 'none', epochs: 4, out: dir })).rejects.toThrow(
    /holds a different study \(epochs: 3 there, 4 here\)/,
  );
  expect(fs.readFileSync(path.join(dir, 'trials.jsonl'), 'utf8')).toBe(before);
  fs.rmSync(dir, { recursive: true });
});

test('a trial log without its study.json is refused', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'trials.jsonl'), '');
  await expect(compare({ ...TINY_STUDY, out: dir })).rejects.toThrow(/has trials.jsonl but no study.json/);
  fs.rmSync(dir, { recursive: true });
});

test('SIGTERM stops a study that trains in its own process within an epoch, not at the end of the trial, and frees the folder', async () => {
  const dir = tmp();
  // One trial of 2000 epochs (minutes) in this process: the signal arrives mid-trial.
  const args = ['compare', '--train-size', '2000', '--hidden', '64', '--epochs', '2000', '--settings', 'none', '--repeats', '1', '--parallel', '1', '--backend', 'wasm', '--out', dir];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', ...args], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : -1))));
  for (let waited = 0; !fs.existsSync(path.join(dir, 'study.json')); waited += 50) {
    if (waited > 60_000) throw new Error('timed out waiting for the study to start');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 3000)); // into the trial
  const sent = Date.now();
  child.kill('SIGTERM');
  await exited;
  expect(Date.now() - sent).toBeLessThan(15_000); // an epoch is ~0.1 s; the trial would take minutes
  expect(fs.existsSync(path.join(dir, '.keras-ts.lock'))).toBe(false);
  fs.rmSync(dir, { recursive: true });
}, 120_000);
