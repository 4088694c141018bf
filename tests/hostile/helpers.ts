/** Shared pieces of the hostile-input suite: temp folders, the CLI from source, a finished tiny study. */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { study } from '../../src';
import type { StudyOptions } from '../../src/study';

/** A study that trains in well under a second: 2 settings × 1 repeat, 1 epoch. */
export const QUICK_STUDY: StudyOptions = {
  data: { source: 'synthetic', samples: 120, features: 6, informative: 3, seed: 3 },
  hidden: [4],
  settings: 'none,l2=1e-3',
  epochs: 1,
  batchSize: 32,
  repeats: 1,
  seed: 1,
  backend: 'cpu',
};

export function tmp(prefix = 'keras-ts-hostile-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const CLI = ['-r', 'ts-node/register/transpile-only', path.resolve('src/cli/main.ts')];
const ENV = { ...process.env, TS_NODE_PROJECT: path.resolve('tsconfig.json') };

/** Runs the CLI from source and waits for it. */
export function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: ENV });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI from source; resolves with its exit code and output. */
export function cliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, ...args], { env: ENV });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Runs TypeScript source in a fresh Node process (ts-node), from the repository root. */
export function runScript(source: string): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', source], { env: ENV, cwd: process.cwd() });
}

/** The pid of a process that has exited (and been reaped). */
export function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(result.stdout);
}

/** A finished QUICK_STUDY folder (trials.jsonl, study.json, results.json and the reports). */
export async function finishedStudy(options: Partial<StudyOptions> = {}): Promise<string> {
  const dir = tmp();
  const result = await study.compare({ ...QUICK_STUDY, ...options, out: dir });
  await result.write(dir);
  return dir;
}

export const trialsFile = (dir: string): string => path.join(dir, 'trials.jsonl');
export const trialLines = (dir: string): string[] => fs.readFileSync(trialsFile(dir), 'utf8').split('\n').filter((l) => l !== '');
