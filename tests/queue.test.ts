/**
 * Queue studies on a real Redis: a coordinator and two `keras-ts worker` processes give exactly the
 * serial results, and stay exact through a worker killed with -9 mid-trial, a coordinator killed
 * and restarted, and a Redis restarted without its data. Without redis-server the Redis suite is
 * skipped (the reason is in its name) unless KERAS_TS_REQUIRE_REDIS=1 (CI) makes that a failure.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compare } from '../src/study/compare';
import { tune } from '../src/study';
import type { StudyOptions, TrialRecord, TuneResultData } from '../src/study';
import { synthetic } from '../src/datasets';
import { TRIAL_ERROR_MARK, readSegmentJob, readTrialJob, segmentJobData, trialJobData } from '../src/study/queue/job';
import { studyHash } from '../src/study/queue/keys';
import { QUEUE_RETRIES, errorFrom, failedByQueue, queueRetryDelay } from '../src/study/queue/coordinator';
import { queueStatus } from '../src/study/queue/status';
import { resolveConfig, parseStudyFile } from '../src/study/config/resolve';
import { useBackend } from './helpers';
import { TINY_STUDY, comparableTune, withoutTiming } from './study-helpers';
import { cli, hasOpenssl, hasRedis, startRedis, startWorker, stopProcess, waitFor } from './queue-helpers';
import type { CliProcess, TestRedis } from './queue-helpers';

beforeAll(() => useBackend('wasm'));

/** TINY_STUDY with enough epochs that a trial lasts long enough to be killed in. */
const study = (seed: number, epochs = 3): StudyOptions => ({ ...TINY_STUDY, seed, epochs });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-queue-'));
const logLines = (dir: string) => (fs.existsSync(path.join(dir, 'trials.jsonl')) ? fs.readFileSync(path.join(dir, 'trials.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '') : []);
const sameTrials = (a: TrialRecord[], b: TrialRecord[]) => expect(a.map(withoutTiming)).toEqual(b.map(withoutTiming));
/** A study options file for the CLI, beside `out`. */
function studyFile(out: string, options: StudyOptions): string {
  const file = path.join(out, '..', `${path.basename(out)}-study.json`);
  const { data, ...fields } = options;
  fs.writeFileSync(file, JSON.stringify({ ...fields, dataset: data }));
  return file;
}

describe('queue jobs (no Redis needed)', () => {
  const config = resolveConfig(parseStudyFile({ dataset: { source: 'synthetic', seed: 1 }, hidden: [8], settings: 'none,l2=1e-4+dropout=0.2', epochs: 2, earlyStopping: true }), { source: 'synthetic', seed: 1 });
  const hash = studyHash(config, 'wasm');
  const good = trialJobData(config, 'wasm', hash, { settingIndex: 1, repeat: 2 });

  test('a job built by the coordinator is accepted as it is', () => {
    const read = readTrialJob(JSON.parse(JSON.stringify(good)));
    expect(read.config).toEqual(config);
    expect(read.job).toEqual({ settingIndex: 1, repeat: 2 });
  });

  test('a tampered, out-of-range or foreign job is refused before anything runs', () => {
    expect(() => readTrialJob({ ...good, config: { ...config, epochs: 500 } })).toThrow(/does not hash to the study/);
    expect(() => readTrialJob({ ...good, config: { ...config, extra: 'x' } })).toThrow(/"extra"/);
    expect(() => readTrialJob({ ...good, config: { ...config, data: { source: 'in-memory', name: 'x', fingerprint: 'y' } } })).toThrow(/dataset/);
    expect(() => readTrialJob({ ...good, repeat: 3 })).toThrow(/outside the study/);
    expect(() => readTrialJob({ ...good, code: 'process.exit()' })).toThrow(/"code"/);
    expect(() => readTrialJob('rm -rf /')).toThrow(/Invalid queue job/);
  });

  test('a segment job is accepted as built, and refused when tampered or out of range', () => {
    const one = resolveConfig(parseStudyFile({ dataset: { source: 'synthetic', seed: 1 }, hidden: [8], settings: 'dropout=0.2', epochs: 9 }), { source: 'synthetic', seed: 1 });
    const segment = segmentJobData(one, 'wasm', studyHash(one, 'wasm'), { from: 3, to: 9, save: false });
    expect(readSegmentJob(JSON.parse(JSON.stringify(segment)))).toMatchObject({ from: 3, to: 9, save: false, config: one });
    expect(() => readSegmentJob({ ...segment, to: 10 })).toThrow(/within 9 epochs/);
    expect(() => readSegmentJob({ ...segment, from: 9 })).toThrow(/from an epoch to a later one/);
    expect(() => readSegmentJob({ ...segment, resumeFrom: '/etc/passwd' })).toThrow(/"resumeFrom"/);
    expect(() => readSegmentJob({ ...segment, config: { ...one, seed: 2 } })).toThrow(/does not hash to the study/);
    const two = segmentJobData(config, 'wasm', hash, { from: 0, to: 1, save: true });
    expect(() => readSegmentJob(two)).toThrow(/one setting/);
  });

  test('a unit the queue failed runs again after 1, 2, 4, 8 and 16 s: a passing condition cannot use up its retries at once', () => {
    const delays = Array.from({ length: QUEUE_RETRIES }, (_, i) => queueRetryDelay(i + 1));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(queueRetryDelay(QUEUE_RETRIES + 3)).toBe(16_000);
  });

  test('a job failed by the queue (locks lapsed on a loaded worker) is told apart from a trial\'s own error', () => {
    expect(failedByQueue('job stalled more than allowable limit')).toBe(true);
    expect(failedByQueue('cannot start a not idling child process')).toBe(true);
    expect(failedByQueue(`${TRIAL_ERROR_MARK}DataError: cannot read /nonexistent`)).toBe(false);
    expect(errorFrom(`UnrecoverableError: ${TRIAL_ERROR_MARK}DataError: cannot read /x`, 'Setting "none", repeat 0')).toMatchObject({ name: 'DataError', message: 'Setting "none", repeat 0: cannot read /x' });
  });

  test('in-memory data and bad URLs are refused with a clear message', async () => {
    const data = synthetic({ samples: 60, features: 4, seed: 1 });
    await expect(compare({ ...TINY_STUDY, data, queue: 'redis://127.0.0.1:1' })).rejects.toThrow(/needs its data as a spec/);
    data.dispose();
    await expect(compare({ ...TINY_STUDY, queue: 'http://127.0.0.1:6379' })).rejects.toThrow(/Invalid `queue`: expected a Redis URL/);
    await expect(compare({ ...TINY_STUDY, queue: 'redis://u:secret@127.0.0.1:6379/x' })).rejects.toThrow(/u:\*\*\*@/);
  });
});

const required = process.env.KERAS_TS_REQUIRE_REDIS === '1';
const suite = hasRedis || required ? describe : describe.skip;
const title = hasRedis || required
  ? 'queue studies on a private redis-server with two workers'
  : 'queue studies (skipped: redis-server is missing; apt-get install redis-server, or set KERAS_TS_REQUIRE_REDIS=1 to fail)';

suite(title, () => {
  let redis: TestRedis;
  let workers: CliProcess[] = [];

  beforeAll(async () => {
    if (!hasRedis) throw new Error('KERAS_TS_REQUIRE_REDIS=1 but redis-server is not installed (apt-get install redis-server)');
    redis = await startRedis();
    workers = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await redis?.stop();
  });

  test('a coordinator and two workers give exactly the serial results, in the same folder files', async () => {
    const out = tmp();
    const queued = await compare({ ...study(21), queue: redis.url, out });
    const serial = await compare(study(21));
    sameTrials(queued.trials, serial.trials);
    expect(logLines(out)).toHaveLength(6);
    expect(await queueStatus(redis.url)).toEqual([]); // the finished study's queue is gone
  });

  test('a trial that fails for a real reason fails once, with its error, and stops the study', async () => {
    const missing = { source: 'fashion-mnist' as const, dir: '/nonexistent/keras-ts-data' };
    await expect(compare({ ...study(25), data: missing, queue: redis.url, out: tmp() })).rejects.toMatchObject({
      name: 'DataError',
      message: expect.stringContaining('/nonexistent/keras-ts-data'),
    });
    expect(await queueStatus(redis.url)).toEqual([]); // the stopped study's queue is gone
  });

  test('faults: a worker killed with -9 mid-trial, Redis restarted without its data, the coordinator killed and restarted', async () => {
    const out = tmp();
    const options = study(23, 40);
    const config = studyFile(out, options);
    const args = ['compare', '--config', config, '--queue', redis.url, '--out', out];
    const first = cli(args);

    // A worker dies mid-trial: its job stalls (no lock renewal) and another worker reruns it.
    let victim: number | undefined;
    await waitFor(async () => {
      const active = (await queueStatus(redis.url)).flatMap((s) => s.active);
      const pids = active.map((a) => Number(a.worker.split(':').pop()));
      victim = workers.find((w) => pids.includes(w.child.pid!))?.child.pid;
      return victim !== undefined;
    }, 'a trial to start', 120_000);
    process.kill(victim!, 'SIGKILL');
    workers = workers.filter((w) => w.child.pid !== victim);
    const replacement = startWorker(redis.url);
    let started: CliProcess | undefined;
    void replacement.then((w) => (started = w), () => undefined);
    // On a timeout, what each process printed: the only trace of why a unit did not run again.
    const explain = (error: unknown): Error => {
      const exit = first.child.exitCode;
      first.child.kill('SIGKILL'); // a failed test leaves no coordinator behind to keep its queue alive
      const processes = [...workers, ...(started ? [started] : [])].map((w, i) => `worker ${i} (pid ${w.child.pid}):\n${w.output().slice(-3000)}`);
      return new Error([(error as Error).message, `coordinator (exit code ${exit}):\n${first.output().slice(-4000)}`, ...processes].join('\n---\n'));
    };

    // Redis loses every job: the coordinator reconnects and enqueues the unfinished trials again.
    await waitFor(() => logLines(out).length >= 1, 'a first trial', 120_000).catch((e: unknown) => { throw explain(e); });
    await redis.restart();
    const before = logLines(out).length;
    await waitFor(() => logLines(out).length > before, 'a trial after the Redis restart', 120_000).catch((e: unknown) => { throw explain(e); });

    // The coordinator dies: a new one re-attaches to the queue and the log and records each trial once.
    first.child.kill('SIGKILL');
    await first.exited;
    workers.push(await replacement);
    const second = cli(args);
    const code = await second.exited;
    if (code !== 0) throw new Error(`the restarted coordinator exited with ${code}:\n${second.output()}`);
    const lines = logLines(out).map((l) => JSON.parse(l) as TrialRecord);
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((r) => `${r.setting}/${r.repeat}`)).size).toBe(6);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { trials: TrialRecord[] };
    sameTrials(results.trials, (await compare(options)).trials);
    expect(await queueStatus(redis.url)).toEqual([]);
    fs.rmSync(config);
  }, 300_000);

  test('a tune on the queue: its coordinator killed with -9 mid-search and restarted ends with exactly the local answer', async () => {
    const out = tmp();
    const tiny = { hidden: [8], epochs: 9, minEpochs: 1, trials: 3, repeats: 2, techniques: 'l2,dropout', backend: 'wasm' as const, batchSize: 16 };
    const args = ['tune', '--train-size', '30', '--hidden', '8', '--epochs', '9', '--min-epochs', '1', '--trials', '3', '--repeats', '2', '--techniques', 'l2,dropout', '--backend', 'wasm', '--batch-size', '16', '--queue', redis.url, '--out', out];
    const lines = () => (fs.existsSync(path.join(out, 'tune-log.jsonl')) ? fs.readFileSync(path.join(out, 'tune-log.jsonl'), 'utf8').split('\n').filter(Boolean) : []);
    const first = cli(args);
    await waitFor(() => lines().length >= 2 || first.child.exitCode !== null, 'two logged segments', 120_000);
    expect(first.child.exitCode).toBeNull();
    first.child.kill('SIGKILL');
    await first.exited;
    const second = cli(args);
    const code = await second.exited;
    if (code !== 0) throw new Error(second.output());
    expect(second.output()).toMatch(/resuming: [2-9]\d* segments already logged/);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as TuneResultData;
    const local = await tune({ ...tiny, dataset: { source: 'synthetic', samples: 120 } });
    expect(comparableTune(results)).toEqual(comparableTune(local.data));
    expect(lines()).toHaveLength(results.search.length + results.trials.length); // each unit logged once
    expect(await queueStatus(redis.url)).toEqual([]);
  }, 300_000);
});

const secureSuite = (hasRedis && hasOpenssl) || required ? describe : describe.skip;
secureSuite('queue studies on a Redis that takes TLS only and wants a password', () => {
  test('coordinator and worker work through rediss:// with a password; an untrusted certificate and a wrong password are clear errors', async () => {
    const secure = await startRedis({ password: 's3cret' });
    const trusted = { NODE_EXTRA_CA_CERTS: secure.ca! };
    const worker = await startWorker(secure.url, trusted);
    try {
      const out = tmp();
      const run = cli(['compare', '--config', studyFile(out, study(31)), '--queue', secure.url, '--out', out], trusted);
      if ((await run.exited) !== 0) throw new Error(run.output());
      const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { trials: TrialRecord[] };
      sameTrials(results.trials, (await compare(study(31))).trials);

      const untrusted = cli(['status', '--queue', secure.url]);
      expect(await untrusted.exited).toBe(1);
      expect(untrusted.output()).toMatch(/Cannot reach Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+ within 10 s: self-signed certificate\. .*NODE_EXTRA_CA_CERTS/);
      const wrong = cli(['status', '--queue', secure.url.replace('s3cret', 'nope')], trusted);
      expect(await wrong.exited).toBe(1);
      expect(wrong.output()).toMatch(/Cannot reach Redis at .*: WRONGPASS/);
      for (const p of [untrusted, wrong]) {
        expect(p.output()).not.toMatch(/s3cret|nope/);
        expect(p.output()).not.toMatch(/\n\s+at /); // no stack trace
      }
    } finally {
      await stopProcess(worker);
      await secure.stop();
    }
  }, 300_000);
});
