/** study.tune end to end: the test split stays unread while searching; kill -9 and rerun equals an uninterrupted search. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { datasets } from '../src';
import { tune } from '../src/study';
import type { TuneEvent } from '../src/study';
import { useBackend } from './helpers';
import { comparableTune } from './study-helpers';

beforeAll(() => useBackend('wasm'));

const TINY = { hidden: [8], epochs: 9, minEpochs: 1, trials: 3, repeats: 1, techniques: 'l2', backend: 'wasm' as const, batchSize: 16 };
const CLI_ARGS = ['tune', '--train-size', '30', '--hidden', '8', '--epochs', '9', '--min-epochs', '1', '--trials', '3', '--repeats', '1', '--techniques', 'l2', '--backend', 'wasm', '--batch-size', '16'];
const DATA = { source: 'synthetic' as const, samples: 120 };
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-tune-'));
const logLines = (dir: string): string[] => (fs.existsSync(path.join(dir, 'tune-log.jsonl')) ? fs.readFileSync(path.join(dir, 'tune-log.jsonl'), 'utf8').split('\n').filter(Boolean) : []);
const comparable = comparableTune;

test('the search never reads the test split; the confirmation does, after the search ends', async () => {
  const data = datasets.synthetic({ samples: 120, seed: 3 });
  const phases: string[] = [];
  let phase = 'setup';
  const test = data.test;
  Object.defineProperty(data, 'test', { get: () => (phases.push(phase), test) });
  const onProgress = (e: TuneEvent) => {
    if (e.type === 'search-start') phase = 'search';
    if (e.type === 'search-end') phase = 'confirm';
  };
  const result = await tune({ ...TINY, dataset: data, onProgress });
  expect(phases).not.toContain('search');
  expect(phases).toContain('confirm');
  expect(result.data.search.length).toBeGreaterThan(3);
  data.dispose();
});

test('after kill -9 mid-search, a rerun continues and ends with the uninterrupted answer; the same seed gives the same trials', async () => {
  const dir = tmp();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', ...CLI_ARGS, '--out', dir], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (logLines(dir).length >= 3) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 10);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== null) reject(new Error(`the tune ended (code ${code}) before it could be killed`));
      else resolve();
    });
  });
  const logged = logLines(dir).length;
  expect(logged).toBeGreaterThanOrEqual(3);
  fs.appendFileSync(path.join(dir, 'tune-log.jsonl'), '{"type":"segm'); // a write torn by the kill

  let resumedFrom = -1;
  const resumed = await tune({ ...TINY, dataset: DATA, out: dir, onProgress: (e) => void (e.type === 'search-start' && (resumedFrom = e.resumed)) });
  expect(resumedFrom).toBeGreaterThanOrEqual(Math.min(logged, 3));
  const uninterrupted = await tune({ ...TINY, dataset: DATA });
  expect(comparable(resumed.data)).toEqual(comparable(uninterrupted.data));
  // Every segment and confirmation logged exactly once.
  expect(logLines(dir)).toHaveLength(resumed.data.search.length + resumed.data.trials.length);

  // Done: a third run trains nothing and gives the same answer.
  const events: string[] = [];
  const again = await tune({ ...TINY, dataset: DATA, out: dir, onProgress: (e) => void events.push(e.type) });
  expect(events.filter((t) => t === 'segment-end' || t === 'confirm-trial')).toEqual([]);
  expect(comparable(again.data)).toEqual(comparable(uninterrupted.data));
});
