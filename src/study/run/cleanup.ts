/**
 * What a running study must undo however it ends: the folder lock, the temporary dataset file of
 * a parallel study, tensors. Tasks run when the study returns or throws, and on SIGINT/SIGTERM
 * (after which the signal's default action proceeds when keras-ts was its only listener). A kill -9
 * runs nothing: the next study removes temp folders whose owner process is gone, and the lock of
 * a dead process is stale (see lock.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processAlive } from './lock';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export class Cleanup {
  private readonly tasks: (() => void)[] = [];
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.runAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  constructor() {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  /** Registers `task`; the returned function runs it now (once) instead of at the end. */
  add(task: () => void): () => void {
    let done = false;
    const once = (): void => {
      if (done) return;
      done = true;
      task();
    };
    this.tasks.push(once);
    return once;
  }

  /** Runs every task not yet run, newest first; a failing task does not stop the others. */
  runAll(): void {
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    while (this.tasks.length > 0) {
      try {
        this.tasks.pop()!();
      } catch {
        // best effort: the rest must still run
      }
    }
  }
}

/** Temp folders inside a study folder; in the OS temp folder they are named `keras-ts-study-<pid>-…`. */
export const STUDY_TEMP_PREFIX = '.keras-ts-data-';
const prefixFor = (parent: string | undefined): string => (parent === undefined ? 'keras-ts-study-' : STUDY_TEMP_PREFIX);

/** Removes `<prefix><pid>-*` folders in `parent` whose process no longer runs (left by a kill -9). */
export function removeStaleTempDirs(parent: string, prefix: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** A fresh temp folder named after this process, in `parent` (the study folder) or the OS temp folder. */
export function makeTempDir(parent: string | undefined): string {
  const where = parent ?? os.tmpdir();
  const prefix = prefixFor(parent);
  removeStaleTempDirs(where, prefix);
  return fs.mkdtempSync(path.join(where, `${prefix}${process.pid}-`));
}
