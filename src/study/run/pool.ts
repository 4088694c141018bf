/**
 * Runs trials in N worker processes, each with its own tfjs. Results come back as they finish;
 * the caller records them (one writer for the trial log). The first failure stops every worker.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendChoice } from '../../backend/backends';
import { BackendError, ConfigError, DataError, KerasTsError, ShapeError, TrainingError } from '../../errors';
import type { StudyConfig } from '../config/resolve';
import type { StudyEvent } from './events';
import type { TrialJob } from './trial';
import type { TrialRecord } from '../records';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol';

export interface PoolOptions {
  config: StudyConfig;
  backend: BackendChoice;
  data: WorkerData;
  workers: number;
  onEvent: (event: StudyEvent) => void;
  onRecord: (record: TrialRecord) => void;
}

/** The worker entry beside this file: worker.js when built, worker.ts under ts-node or jest. */
function spawnWorker(): ChildProcess {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `worker${ext}`);
  const execArgv = ext === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [];
  // Output is captured, not shown: the library prints nothing, and a failure quotes its tail.
  return fork(entry, [], { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
}

/** Keeps the last few KB a worker wrote, for error messages. */
function captureOutput(worker: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-4000));
  worker.stdout?.on('data', keep);
  worker.stderr?.on('data', keep);
  return () => tail.trim();
}

export class WorkerError extends KerasTsError {}

// A worker's keras-ts error comes back as the same class, so callers handle it as if it ran here.
export const ERROR_CLASSES: Record<string, new (message: string) => KerasTsError> = { ConfigError, DataError, ShapeError, BackendError, TrainingError };

export function runPool(jobs: TrialJob[], options: PoolOptions): Promise<void> {
  const queue = [...jobs];
  const workers: ChildProcess[] = [];
  return new Promise<void>((resolve, reject) => {
    let running = 0;
    let failed = false;
    const stopAll = () => {
      for (const w of workers) if (w.exitCode === null) w.kill();
    };
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(error);
    };
    const released = new Set<ChildProcess>(); // workers told to exit: their exit is expected
    const next = (worker: ChildProcess) => {
      const job = queue.shift();
      if (job === undefined) {
        released.add(worker);
        worker.disconnect();
        if (--running === 0 && !failed) resolve();
        return;
      }
      worker.send({ type: 'run', ...job } satisfies ToWorker);
    };
    const count = Math.min(options.workers, queue.length);
    if (count === 0) return resolve();
    for (let i = 0; i < count; i++) {
      const worker = spawnWorker();
      workers.push(worker);
      const output = captureOutput(worker);
      running++;
      worker.on('message', (message: FromWorker) => {
        if (failed) return;
        switch (message.type) {
          case 'ready':
            return next(worker);
          case 'event':
            return options.onEvent(message.event);
          case 'done':
            options.onRecord(message.record);
            return next(worker);
          case 'error': {
            const known = ERROR_CLASSES[message.name];
            const error = known ? new known(message.message) : new WorkerError(`A study worker failed: ${message.name}: ${message.message}`);
            if (message.stack) error.stack = message.stack;
            return fail(error);
          }
        }
      });
      worker.on('error', (error) => fail(new WorkerError(`A study worker could not run: ${error.message}`, { cause: error })));
      worker.on('exit', (code, signal) => {
        if (!released.has(worker)) {
          const tail = output();
          fail(new WorkerError(`A study worker exited unexpectedly (${signal ?? `code ${code}`})${tail ? `:\n${tail}` : '.'}`));
        }
      });
      // N workers share the cores: each gets its part as wasm threads, so N × threads never oversubscribes.
      const threads = Math.max(1, Math.floor(os.availableParallelism() / options.workers));
      worker.send({ type: 'init', config: options.config, backend: options.backend, data: options.data, threads } satisfies ToWorker);
    }
  });
}
