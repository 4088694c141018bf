/**
 * Multithreaded wasm in Node: a benchmark-only experiment, not shipped with the library.
 *
 * tfjs 4.22 ships a threaded SIMD build of its wasm backend (XNNPACK with a thread pool) but never
 * picks it in Node: its feature flag answers "no threads" whenever it runs in Node, the build hands
 * its worker script to `worker_threads` as a blob: URL (which Node refuses), and it sizes the pool
 * from half the logical cores (one thread on a 2-core machine). This module works around all three
 * for the current process, before the wasm backend first initializes:
 *   - sets the `WASM_HAS_MULTITHREAD_SUPPORT` flag,
 *   - writes the worker script to a temp file (loading the main script from its file, not a blob)
 *     and answers tfjs' one `URL.createObjectURL` call for it with that path,
 *   - reports 2×threads logical cores to the module while it starts, then restores everything.
 * It patches globals for the length of one `await` and depends on the exact text of tfjs 4.22's
 * worker script (it throws if that changed), which is why it is not on by default.
 */
import * as fs from 'node:fs';
import * as nodeOs from 'node:os';
import * as path from 'node:path';
import { tf } from '../src/backend/tf';
import { BackendError, invalidArgument } from '../src/errors';

interface WasmPackage {
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

const WORKER_BLOB_LOAD = 'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)';

/** Writes the pthread worker script to a temp file that loads the wasm module's main script from disk. */
function writeWorkerScript(wasmOut: string): string {
  const mainScript = path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wasmWorkerContents } = require(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  if (!wasmWorkerContents.includes(WORKER_BLOB_LOAD)) {
    throw new BackendError('The installed @tensorflow/tfjs-backend-wasm has a worker script this version of keras-ts does not know; threads stay off.');
  }
  // tfjs escapes newlines the same way before it makes its blob.
  const script = wasmWorkerContents.replace(/\n/g, '\\n').replace(WORKER_BLOB_LOAD, `importScripts(${JSON.stringify(mainScript)})`);
  const dir = fs.mkdtempSync(path.join(nodeOs.tmpdir(), 'keras-ts-wasm-'));
  const file = path.join(dir, 'worker.js');
  fs.writeFileSync(file, script);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}

/**
 * Initializes the wasm backend with an XNNPACK pool of `threads` threads (call before any other
 * use of the wasm backend in this process) and makes it the active backend. Resolves to the
 * thread count the module reports.
 */
export async function useThreadedWasm(threads: number): Promise<number> {
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) throw invalidArgument('threads', 'useThreadedWasm', 'an integer in [1, 8]', threads);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
  if (tf.engine().registry['wasm'] !== undefined) throw new BackendError('The wasm backend is already initialized in this process; threads must be set up first.');
  const wasmOut = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const workerFile = writeWorkerScript(wasmOut);

  // The module reads the core count through require('os'): patch that object, not this import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('os') as { cpus: typeof nodeOs.cpus };
  const cpus = os.cpus;
  const createObjectURL = URL.createObjectURL;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus()[i % cpus().length]!);
  URL.createObjectURL = ((blob: Blob) => (blob.type === 'application/javascript' ? workerFile : createObjectURL(blob))) as typeof URL.createObjectURL;
  try {
    if (!(await tf.setBackend('wasm'))) throw new BackendError('The threaded wasm backend failed to initialize.');
    await tf.ready();
  } finally {
    os.cpus = cpus;
    URL.createObjectURL = createObjectURL;
  }
  return wasm.getThreadsCount();
}
