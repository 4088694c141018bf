/**
 * `keras-ts worker --queue redis://…`: processes the trials of every queue study in that Redis. It
 * watches the set of running studies and keeps one BullMQ worker per study queue; each trial runs
 * in a sandboxed child process (see processor.ts), so this process keeps renewing job locks while
 * training blocks the child. A worker killed mid-trial stops renewing: its job is found stalled
 * and another worker reruns it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'bullmq';
import { invalidArgument } from '../../errors';
import { QUEUE_PREFIX, checkQueueUrl, connect, firstContact, redact } from './connection';
import { STUDIES_KEY, THREADS_ENV } from './keys';

export interface QueueWorkerOptions {
  /** Redis URL, redis://host:port[/db] or rediss://… */
  queue: string;
  /** Trials at once per study, each in its own child process (default: the number of cores). */
  concurrency?: number;
  /** Milliseconds a job's lock lasts without renewal; a dead worker's job is rerun after about this long (default 30000). */
  lockDuration?: number;
  /** Milliseconds between checks for stalled jobs (default: lockDuration / 2). */
  stalledInterval?: number;
  /** How often the set of running studies is read, in milliseconds (default 1000). */
  pollInterval?: number;
  /** Called with one line per notable event (job started, finished, failed). Default: silent. */
  onLog?: (line: string) => void;
}

export interface QueueWorkerHandle {
  /** This worker's name, as `keras-ts status` shows it: host:pid. */
  name: string;
  /** Stops taking jobs and ends running trials (their jobs go back to the queue once found stalled), disconnects. */
  close(): Promise<void>;
}

/** The processor beside this file; under ts-node a .cjs shim, since BullMQ loads it with import(). */
function processorFile(): { file: string; dispose: () => void } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `processor${ext}`);
  if (ext !== '.ts') return { file, dispose: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-processor-'));
  const shim = path.join(dir, 'processor.cjs');
  fs.writeFileSync(shim, `module.exports = require(${JSON.stringify(file)});\n`);
  return { file: shim, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** BullMQ's sandbox error for a job given to a child process that is still running another. */
const BUSY_CHILD = 'cannot start a not idling child process';

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalidArgument(name, 'keras-ts worker', 'a positive integer', value);
  return value;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const url = checkQueueUrl(options.queue);
  const concurrency = positive('concurrency', options.concurrency, os.availableParallelism());
  const lockDuration = positive('lockDuration', options.lockDuration, 30_000);
  const stalledInterval = positive('stalledInterval', options.stalledInterval, Math.max(1, Math.floor(lockDuration / 2)));
  const pollInterval = positive('pollInterval', options.pollInterval, 1000);
  const log = options.onLog ?? (() => {});
  const name = `${os.hostname()}:${process.pid}`;
  const threads = Math.max(1, Math.floor(os.availableParallelism() / concurrency));
  const processor = processorFile();
  const registry = connect(url);
  registry.on('error', () => {}); // reconnects by itself; commands wait for it
  const workers = new Map<string, { worker: Worker; connection: ReturnType<typeof connect> }>();

  const open = (queueName: string) => {
    const connection = connect(url);
    connection.on('error', () => {});
    const worker = new Worker(queueName, processor.file, {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency,
      name,
      lockDuration,
      stalledInterval,
      maxStalledCount: 3,
      useWorkerThreads: false,
      workerForkOptions: { env: { ...process.env, [THREADS_ENV]: String(threads) } },
    });
    worker.on('error', (error) => log(`${queueName}: ${error.message}`));
    worker.on('active', (job) => log(`${queueName}: started ${job.id}`));
    worker.on('completed', (job) => log(`${queueName}: finished ${job.id}`));
    worker.on('failed', (job, error) => {
      log(`${queueName}: failed ${job?.id ?? '?'}: ${error.message}`);
      // BullMQ handed a job to a sandbox process still running a unit whose job Redis lost (the
      // child went back to the pool when that job's updates failed); every job it gets fails so
      // until that unit ends. Closing this queue's Worker ends its processes; the next poll reopens it.
      if (error.message.includes(BUSY_CHILD) && workers.get(queueName)?.worker === worker) {
        log(`${queueName}: restarting its trial processes (one still ran a unit Redis lost)`);
        closing.push(shut(queueName));
      }
    });
    workers.set(queueName, { worker, connection });
    log(`${queueName}: joined`);
  };
  const shut = async (queueName: string) => {
    const entry = workers.get(queueName);
    if (entry === undefined) return;
    workers.delete(queueName);
    // Forced: a study leaves the set when it is done (nothing runs) or Redis lost it (its jobs come back anew).
    await entry.worker.close(true).catch(() => {});
    entry.connection.disconnect();
  };

  let stopped = false;
  const closing: Promise<void>[] = [];
  let polling = Promise.resolve();
  const poll = async () => {
    let names: string[];
    try {
      names = await registry.smembers(STUDIES_KEY);
    } catch {
      return; // Redis away: try again on the next tick
    }
    if (stopped) return;
    for (const queueName of names) if (!workers.has(queueName)) open(queueName);
    for (const queueName of [...workers.keys()]) if (!names.includes(queueName)) closing.push(shut(queueName));
  };
  await firstContact(registry, url).catch((error: Error) => {
    registry.disconnect();
    processor.dispose();
    throw error;
  });
  await poll();
  const timer = setInterval(() => {
    polling = polling.then(poll);
  }, pollInterval);
  log(`worker ${name}: watching ${String(redact(url))}, ${concurrency} trial(s) at once per study, ${threads} thread(s) each`);

  return {
    name,
    close: async () => {
      stopped = true;
      clearInterval(timer);
      await polling;
      await Promise.all([...closing, ...[...workers.keys()].map(shut)]);
      registry.disconnect();
      processor.dispose();
    },
  };
}
