/**
 * Multithreaded wasm: the training soak (benchmarks/wasm-threads-soak.ts) runs in child processes
 * under a watchdog, so a hang fails the test instead of stalling the suite; the weights after training
 * must be bit-identical with 2 threads and with 1; and the process must exit on its own.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { BackendError, ConfigError, backend, tf } from '../src';

interface SoakResult {
  threads: number;
  steps: number;
  profiled: number;
  tensorsAfterSecondEpoch: number;
  tensorsAtEnd: number;
  weightsSha256: string;
}

const ROOT = path.join(__dirname, '..');
// A hung child sits at 0 % CPU forever; a healthy one takes ~10 s here (up to ~30 s when the 2 cores are busy).
const WATCHDOG_MS = 240_000; // generous for a loaded 2-core machine: a hang still fails, never blocks CI

/** Runs the soak in a child process; rejects if it has not exited by itself within the watchdog. */
function soak(args: string[]): Promise<SoakResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'benchmarks/wasm-threads-soak.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`soak ${args.join(' ')} did not exit within ${WATCHDOG_MS} ms (hung). Output so far: ${stdout} ${stderr}`));
    }, WATCHDOG_MS);
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      if (code !== 0) return reject(new Error(`soak exited with ${code}: ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as SoakResult);
    });
  });
}

const canThread = backend.available().includes('wasm');

(canThread ? test : test.skip)(
  'thousands of steps with 2 threads, under tf.profile every 5th epoch, exit by themselves and match 1 thread bit for bit',
  async () => {
    const args = ['--steps', '2000', '--profile-every', '5'];
    const two = await soak(['--threads', '2', ...args]);
    const one = await soak(['--threads', '1', ...args]);
    expect(two.threads).toBe(2);
    expect(one.threads).toBe(1);
    expect(two.steps).toBeGreaterThanOrEqual(2000);
    expect(two.profiled).toBeGreaterThan(5);
    expect(two.tensorsAtEnd).toBe(two.tensorsAfterSecondEpoch);
    expect(two.weightsSha256).toBe(one.weightsSha256);
    // tfjs' own Adam (14 kernels per variable, many small parallel regions) under threads and tf.profile too.
    const stock = await soak(['--threads', '2', '--optimizer', 'tfjs', '--steps', '500', '--profile-every', '3']);
    expect(stock.steps).toBeGreaterThanOrEqual(500);
    expect(stock.tensorsAtEnd).toBe(stock.tensorsAfterSecondEpoch);
  },
  3 * WATCHDOG_MS + 10_000,
);

test('an invalid thread count is a ConfigError naming `threads`', () => {
  expect(() => backend.use('wasm', { threads: 0 })).toThrow(ConfigError);
  expect(() => backend.use('wasm', { threads: 2.5 })).toThrow(/Invalid `threads` for backend.use/);
  expect(() => backend.use('wasm', { threads: 9 })).toThrow(/an integer in \[1, 8\] or 'auto'/);
});

(canThread ? test : test.skip)('the thread count is fixed once wasm has started; a matmul gives the same values as on cpu', async () => {
  expect(await backend.use('wasm', { threads: 2 })).toBe('wasm');
  expect(backend.wasmThreadCount()).toBe(2);
  const a = tf.tensor2d(Array.from({ length: 64 * 96 }, (_, i) => ((i * 7) % 13) / 13 - 0.5), [64, 96]);
  const b = tf.tensor2d(Array.from({ length: 96 * 80 }, (_, i) => ((i * 5) % 11) / 11 - 0.5), [96, 80]);
  const wasmValues = tf.matMul(a, b).dataSync();
  expect(await backend.use('wasm', { threads: 2 })).toBe('wasm'); // same count: fine
  await expect(backend.use('wasm', { threads: 1 })).rejects.toThrow(BackendError);
  await expect(backend.use('wasm', { threads: 1 })).rejects.toThrow(/already runs with 2 thread/);
  await backend.use('cpu');
  const cpuValues = tf.matMul(tf.tensor2d(a.arraySync()), tf.tensor2d(b.arraySync())).dataSync();
  for (let i = 0; i < cpuValues.length; i++) expect(wasmValues[i]).toBeCloseTo(cpuValues[i]!, 4);
});
