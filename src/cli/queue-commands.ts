/** The actions behind `keras-ts worker` and `keras-ts status`. */
import { formatQueueStatus, queueStatus } from '../study/queue/status';
import { startQueueWorker } from '../study/queue/worker';

export interface WorkerFlags {
  queue: string;
  concurrency?: number;
  lockDuration?: number;
  quiet?: boolean;
}

export async function runWorker(flags: WorkerFlags): Promise<void> {
  const log = flags.quiet ? undefined : (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const worker = await startQueueWorker({
    queue: flags.queue,
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(flags.lockDuration !== undefined ? { lockDuration: flags.lockDuration } : {}),
    ...(log ? { onLog: log } : {}),
  });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await worker.close();
  process.exit(0); // sandboxed children and sockets may linger a moment: a stopped worker is gone
}

export async function runStatus(flags: { queue: string; json?: boolean }): Promise<void> {
  const studies = await queueStatus(flags.queue);
  process.stdout.write(flags.json ? `${JSON.stringify(studies, null, 2)}\n` : `${formatQueueStatus(studies)}\n`);
}
