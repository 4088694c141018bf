/**
 * Queue overhead per trial: what BullMQ and Redis add around a trial, measured with trivially short
 * jobs through the path keras-ts' queue studies take (same prefix and job options, sandboxed child
 * processes, the coordinator's poll-collect-remove loop) on a private redis-server on loopback.
 * For 1, 2 and 4 workers: throughput of a full queue (so worker time per trial), Redis commands per
 * trial (INFO stats), and the latency a lone trial pays enqueue → start → collected: the numbers to
 * extrapolate to more workers and trials.
 * Writes benchmarks/results/queue-overhead-<date>.json.
 *
 *   npx ts-node --transpile-only benchmarks/queue-overhead.ts [--jobs 200] [--workers 1,2,4]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { writeFileAtomic } from '../src/io/atomic';
import { QUEUE_PREFIX, connect } from '../src/study/queue/connection';
import { summarize } from './stats';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const JOBS = Number(arg('jobs', '200'));
const WORKERS = arg('workers', '1,2,4').split(',').map(Number);
const POLL_MS = 200; // the coordinator's default

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function commandsProcessed(redis: ReturnType<typeof connect>): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)![1]);
}

async function run(url: string, dir: string, workers: number) {
  const processor = path.join(dir, 'trivial.cjs');
  fs.writeFileSync(processor, 'module.exports = async (job) => ({ setting: "none", repeat: job.data.repeat, startedAt: Date.now() });\n');
  const name = `bench-${workers}-${Date.now()}`;
  const admin = connect(url);
  const queue = new Queue(name, { connection: admin, prefix: QUEUE_PREFIX });
  const pool = Array.from({ length: workers }, () => {
    const connection = connect(url);
    return { connection, worker: new Worker(name, processor, { connection, prefix: QUEUE_PREFIX, concurrency: 1, useWorkerThreads: false, lockDuration: 30_000 }) };
  });
  // Warm-up: every worker's child process started once (its start-up is a one-off per study).
  await queue.addBulk(Array.from({ length: workers * 2 }, (_, i) => ({ name: 'trial', data: { repeat: i }, opts: { jobId: `warm-${i}` } })));
  while ((await queue.getCompletedCount()) < workers * 2) await sleep(50);
  await queue.clean(0, 1000, 'completed');

  const before = await commandsProcessed(admin);
  const enqueuedAt = new Map<string, number>();
  const started = performance.now();
  const t0 = Date.now();
  const entries = Array.from({ length: JOBS }, (_, i) => ({ name: 'trial', data: { repeat: i, padding: 'x'.repeat(2000) }, opts: { jobId: `job-${i}`, attempts: 3, removeOnComplete: false, removeOnFail: false } }));
  for (const e of entries) enqueuedAt.set(e.opts.jobId, t0);
  await queue.addBulk(entries);
  const toStart: number[] = [];
  const run: number[] = [];
  const toCollect: number[] = [];
  let collected = 0;
  while (collected < JOBS) {
    for (const job of await queue.getJobs(['completed'], 0, 199, true)) {
      const now = Date.now();
      toStart.push(job.processedOn! - enqueuedAt.get(job.id!)!);
      run.push(job.finishedOn! - job.processedOn!);
      toCollect.push(now - job.finishedOn!);
      await job.remove();
      collected++;
    }
    if (collected < JOBS) await sleep(POLL_MS);
  }
  const seconds = (performance.now() - started) / 1000;
  const commands = (await commandsProcessed(admin)) - before;

  // One job at a time on an idle queue: the latency a lone trial pays (pickup, then the collect poll).
  const loneStart: number[] = [];
  const loneTotal: number[] = [];
  for (let i = 0; i < 20; i++) {
    const at = Date.now();
    await queue.add('trial', { repeat: i }, { jobId: `lone-${i}`, attempts: 3 });
    for (;;) {
      const [job] = await queue.getJobs(['completed'], 0, 0, true);
      if (job !== undefined) {
        loneStart.push(job.processedOn! - at);
        loneTotal.push(Date.now() - at);
        await job.remove();
        break;
      }
      await sleep(POLL_MS);
    }
  }
  await Promise.all(pool.map(async ({ worker, connection }) => { await worker.close(); connection.disconnect(); }));
  await queue.obliterate({ force: true });
  await queue.close();
  admin.disconnect();
  return {
    name: `queue-overhead/${workers}-workers`,
    workers,
    jobs: JOBS,
    seconds,
    trialsPerSecond: JOBS / seconds,
    redisCommandsPerTrial: commands / JOBS,
    enqueueToStartMs: summarize(toStart),
    startToFinishMs: summarize(run),
    finishToCollectedMs: summarize(toCollect),
    loneEnqueueToStartMs: summarize(loneStart),
    loneEnqueueToCollectedMs: summarize(loneTotal),
  };
}

async function main() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-queue-bench-'));
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await sleep(300);
  const url = `redis://127.0.0.1:${port}`;
  const loadStart = os.loadavg()[0]!;
  try {
    const results = [];
    for (const workers of WORKERS) {
      const r = await run(url, dir, workers);
      results.push(r);
      process.stdout.write(
        `${workers} worker(s): ${r.trialsPerSecond.toFixed(1)} trials/s, ${r.redisCommandsPerTrial.toFixed(1)} Redis commands/trial, ` +
          `worker time ${((1000 * workers) / r.trialsPerSecond).toFixed(1)} ms/trial; a lone trial: enqueue→start median ${r.loneEnqueueToStartMs.median.toFixed(1)} ms, ` +
          `enqueue→collected ${r.loneEnqueueToCollectedMs.median.toFixed(0)} ms\n`,
      );
    }
    const record = {
      schemaVersion: 1,
      context: {
        date: new Date().toISOString(),
        versions: { bullmq: require('bullmq/package.json').version as string, node: process.version },
        cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
        cores: os.cpus().length,
        loadAverage: { start: loadStart, end: os.loadavg()[0]! },
        command: `queue-overhead --jobs ${JOBS} --workers ${WORKERS.join(',')}`,
        pollMs: POLL_MS,
      },
      results,
    };
    const file = path.join(__dirname, 'results', `queue-overhead-${record.context.date.slice(0, 10)}.json`);
    writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    process.stdout.write(`Wrote ${file}\n`);
  } finally {
    server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

void main();
