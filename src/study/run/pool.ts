/**
 * N worker processes, each with its own tfjs and its own copy of the data: an Executor whose units
 * run in parallel. A unit goes to the first idle worker (or waits for one); its result or its error
 * comes back to the caller that asked for it. A worker that dies takes the pool down with it: every
 * unit still running or waiting fails with what the worker last printed.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendChoice } from '../../backend/backends';
import { BackendError, ConfigError, DataError, KerasTsError, ShapeError, TrainingError } from '../../errors';
import type { StudyConfig } from '../config/resolve';
import type { TrialRecord } from '../records';
import type { StudyEvent } from './events';
import type { Executor } from './executor';
import type { SegmentJob, SegmentOutcome } from './segment';
import type { TrialJob } from './trial';
import type { FromWorker, ToWorker, WorkerData, WorkerTask } from './worker-protocol';

export interface PoolOptions {
  backend: BackendChoice;
  data: WorkerData;
  workers: number;
  onEvent?: (event: StudyEvent) => void;
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

interface Pending {
  task: WorkerTask;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerPool implements Executor {
  readonly slots: number;
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: Pending[] = [];
  private readonly running = new Map<ChildProcess, Pending>();
  private readonly processes: ChildProcess[] = [];
  private readonly released = new Set<ChildProcess>(); // told to exit: their exit is expected
  private broken: Error | undefined;

  constructor(private readonly options: PoolOptions) {
    this.slots = Math.max(1, options.workers);
    // N workers share the cores: each gets its part as wasm threads, so N × threads never oversubscribes.
    const threads = Math.max(1, Math.floor(os.availableParallelism() / this.slots));
    for (let i = 0; i < this.slots; i++) this.start(threads);
  }

  trial(config: StudyConfig, job: TrialJob): Promise<TrialRecord> {
    return this.submit({ type: 'trial', config, job }) as Promise<TrialRecord>;
  }

  segment(config: StudyConfig, job: SegmentJob): Promise<SegmentOutcome> {
    return this.submit({ type: 'segment', config, job }) as Promise<SegmentOutcome>;
  }

  async close(): Promise<void> {
    this.breakDown(new WorkerError('The worker pool was closed.'));
  }

  private submit(task: WorkerTask): Promise<unknown> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiting.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.shift()!;
      const pending = this.waiting.shift()!;
      this.running.set(worker, pending);
      worker.send(pending.task satisfies ToWorker);
    }
  }

  /** Ends every worker and fails every unit still running or waiting with `error`. */
  private breakDown(error: Error): void {
    if (this.broken !== undefined) return;
    this.broken = error;
    for (const worker of this.processes) {
      this.released.add(worker);
      if (worker.exitCode === null && worker.signalCode === null) worker.kill();
    }
    for (const pending of [...this.running.values(), ...this.waiting]) pending.reject(error);
    this.running.clear();
    this.waiting.length = 0;
  }

  private start(threads: number): void {
    const worker = spawnWorker();
    this.processes.push(worker);
    const output = captureOutput(worker);
    worker.on('message', (message: FromWorker) => {
      if (this.broken !== undefined) return;
      switch (message.type) {
        case 'ready':
          this.idle.push(worker);
          return this.dispatch();
        case 'event':
          return this.options.onEvent?.(message.event);
        case 'done':
        case 'error': {
          const pending = this.running.get(worker);
          this.running.delete(worker);
          this.idle.push(worker);
          if (message.type === 'done') pending?.resolve(message.result);
          else {
            const known = ERROR_CLASSES[message.name];
            const error = known ? new known(message.message) : new WorkerError(`A study worker failed: ${message.name}: ${message.message}`);
            if (message.stack) error.stack = message.stack;
            pending?.reject(error);
          }
          return this.dispatch();
        }
      }
    });
    worker.on('error', (error) => this.breakDown(new WorkerError(`A study worker could not run: ${error.message}`, { cause: error })));
    worker.on('exit', (code, signal) => {
      if (this.released.has(worker)) return;
      const tail = output();
      this.breakDown(new WorkerError(`A study worker exited unexpectedly (${signal ?? `code ${code}`})${tail ? `:\n${tail}` : '.'}`));
    });
    worker.send({ type: 'init', backend: this.options.backend, data: this.options.data, threads } satisfies ToWorker);
  }
}

/** Runs `jobs` of one study on a pool; each record goes to `onRecord` as it finishes. The first failure stops every worker. */
export async function runPool(
  jobs: TrialJob[],
  options: PoolOptions & { config: StudyConfig; onRecord: (record: TrialRecord) => void },
): Promise<void> {
  if (jobs.length === 0) return;
  const pool = new WorkerPool({ ...options, workers: Math.min(options.workers, jobs.length) });
  try {
    await Promise.all(jobs.map((job) => pool.trial(options.config, job).then(options.onRecord)));
  } finally {
    await pool.close();
  }
}
