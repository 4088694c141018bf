/**
 * A study worker process: its own tfjs engine and backend, the study's data loaded once, then one
 * unit of work (a trial or a training segment) per message. It exits when the parent goes away,
 * so a killed study leaves no orphans.
 */
import { use } from '../../backend/backends';
import { readDatasetFile } from '../../datasets/file';
import { loadDataset } from '../../datasets/load';
import type { Dataset } from '../../datasets/types';
import { runSegment, searchView } from './segment';
import type { SearchData } from './segment';
import { runTrial } from './trial';
import type { FromWorker, ToWorker } from './worker-protocol';

let dataset: Dataset | undefined;
let view: SearchData | undefined;

// A trial never yields to the event loop, so a dead parent's 'disconnect' would only be seen after
// it; checking the parent pid on every message stops an orphaned worker within one epoch.
const parent = process.ppid;
const send = (message: FromWorker): void => {
  if (process.ppid !== parent) process.exit(0);
  process.send?.(message);
};

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    const backend = await use(message.backend, { threads: message.threads });
    dataset = 'file' in message.data ? readDatasetFile(message.data.file) : loadDataset(message.data.spec);
    send({ type: 'ready', backend });
    return;
  }
  if (dataset === undefined) throw new Error('worker got work before init');
  const result = message.type === 'trial'
    ? await runTrial(message.config, dataset, message.job, (event) => send({ type: 'event', event }))
    : await runSegment(message.config, (view ??= searchView(dataset)), message.job);
  send({ type: 'done', result });
}

// Messages are handled one at a time, in order.
let queue = Promise.resolve();
process.on('message', (message: ToWorker) => {
  queue = queue.then(() =>
    handle(message).catch((error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      send({ type: 'error', name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
    }),
  );
});
process.on('disconnect', () => process.exit(0));
