/**
 * `keras-ts status --queue …`: what each running queue study has waiting, active, completed (not
 * yet collected by its coordinator) and failed, and which worker runs which trial.
 */
import { Queue } from 'bullmq';
import { QUEUE_PREFIX, connect, firstContact } from './connection';
import { STUDIES_KEY } from './keys';

export interface ActiveTrial {
  jobId: string;
  setting: string;
  repeat: number;
  /** host:pid of the worker process running it. */
  worker: string;
  /** Epochs done, as the worker last reported. */
  epoch?: number;
  epochs?: number;
}

export interface QueueStudyStatus {
  queue: string;
  counts: { waiting: number; active: number; completed: number; failed: number; delayed: number };
  active: ActiveTrial[];
}

/** A trial job's setting and repeat; a tuner's segment job has its setting and repeat -1. */
function trialOf(data: unknown): { setting: string; repeat: number } {
  const d = data as { config?: { settings?: { name?: unknown }[] }; settingIndex?: number; repeat?: unknown; from?: unknown };
  const name = d?.config?.settings?.[typeof d.from === 'number' ? 0 : (d.settingIndex ?? -1)]?.name;
  return { setting: typeof name === 'string' ? name : '?', repeat: typeof d?.repeat === 'number' ? d.repeat : -1 };
}

export async function queueStatus(url: string): Promise<QueueStudyStatus[]> {
  const connection = connect(url);
  connection.on('error', () => {});
  try {
    await firstContact(connection, url);
    const names = (await connection.smembers(STUDIES_KEY)).sort();
    const studies: QueueStudyStatus[] = [];
    for (const name of names) {
      const queue = new Queue(name, { connection, prefix: QUEUE_PREFIX });
      try {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'completed', 'failed', 'delayed');
        const active = (await queue.getJobs(['active'], 0, 999, true)).map((job): ActiveTrial => {
          const progress = (typeof job.progress === 'object' && job.progress !== null ? job.progress : {}) as { worker?: unknown; epoch?: unknown; epochs?: unknown };
          return {
            jobId: job.id ?? '?',
            ...trialOf(job.data),
            worker: typeof progress.worker === 'string' ? progress.worker : (job.processedBy ?? '?'),
            ...(typeof progress.epoch === 'number' ? { epoch: progress.epoch } : {}),
            ...(typeof progress.epochs === 'number' ? { epochs: progress.epochs } : {}),
          };
        });
        studies.push({
          queue: name,
          counts: { waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0), active: c['active'] ?? 0, completed: c['completed'] ?? 0, failed: c['failed'] ?? 0, delayed: c['delayed'] ?? 0 },
          active,
        });
      } finally {
        await queue.close();
      }
    }
    return studies;
  } finally {
    connection.disconnect();
  }
}

/** The status as lines of text. */
export function formatQueueStatus(studies: QueueStudyStatus[]): string {
  if (studies.length === 0) return 'No queue study is running.';
  return studies
    .map((s) => {
      const head = `${s.queue}: ${s.counts.waiting} waiting, ${s.counts.active} active, ${s.counts.completed} completed (not yet collected), ${s.counts.failed} failed`;
      const rows = s.active.map((a) => `  ${a.setting} ${a.repeat >= 0 ? `repeat ${a.repeat}` : 'search segment'}  on ${a.worker}${a.epoch !== undefined ? `  epoch ${a.epoch}/${a.epochs ?? '?'}` : ''}`);
      return [head, ...rows].join('\n');
    })
    .join('\n');
}
