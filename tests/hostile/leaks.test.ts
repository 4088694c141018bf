/** Hostile inputs, "Leaks": an interrupted parallel study on in-memory data leaves no temp dataset file behind. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { study } from '../../src';
import { LOCK_FILE } from '../../src/study/run/lock';
import { QUICK_STUDY, deadPid, runScript, tmp } from './helpers';

/** A parallel study on an in-memory dataset, long enough to be interrupted, writing into `out`. */
function longStudy(out: string) {
  return runScript(`
    const k = require('./src');
    k.backend.use('cpu').then(() => k.study.compare({
      data: k.datasets.synthetic({ samples: 400, features: 8 }), hidden: [16], settings: 'none,l2,l1', epochs: 200,
      repeats: 2, parallel: 2, backend: 'cpu', out: ${JSON.stringify(out)},
    }));`);
}

const tempDirs = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.startsWith('.keras-ts-data-'));

async function waitFor(check: () => boolean, seconds = 90): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('SIGINT of a parallel study on an in-memory dataset leaves no dataset.bin and no lock', async () => {
  const out = tmp();
  const child = longStudy(out);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
  await waitFor(() => tempDirs(out).some((d) => fs.existsSync(path.join(out, d, 'dataset.bin'))));
  child.kill('SIGINT');
  expect(await exited).toBe('SIGINT');
  expect(tempDirs(out)).toEqual([]);
  expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
}, 120_000);

test('kill -9 of a parallel study on an in-memory dataset: the next run removes the left-over dataset.bin', async () => {
  const out = tmp();
  const child = longStudy(out);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitFor(() => tempDirs(out).some((d) => fs.existsSync(path.join(out, d, 'dataset.bin'))));
  child.kill('SIGKILL');
  await exited;
  expect(tempDirs(out)).toHaveLength(1);
  // The next run on the folder (another study, so it stops at the identity check) still clears it.
  await expect(study.compare({ ...QUICK_STUDY, out })).rejects.toThrow(/holds a different study/);
  expect(tempDirs(out)).toEqual([]);
}, 120_000);

test('without --out, the temp dataset folder of a dead process is removed by the next parallel study', async () => {
  const stale = path.join(os.tmpdir(), `keras-ts-study-${deadPid()}-abc123`);
  fs.mkdirSync(stale, { recursive: true });
  fs.writeFileSync(path.join(stale, 'dataset.bin'), 'x');
  const data = (await import('../../src')).datasets.synthetic({ samples: 80, features: 4 });
  try {
    await study.compare({ ...QUICK_STUDY, data, parallel: 2 });
  } finally {
    data.dispose();
  }
  expect(fs.existsSync(stale)).toBe(false);
  expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`keras-ts-study-${process.pid}-`))).toEqual([]);
}, 120_000);
