/**
 * One run owns a study folder at a time. The lock is a file created with O_EXCL (so of two runs
 * started at the same moment exactly one creates it) holding the owner's pid, host and start time.
 * A lock left by a process that no longer runs on this host is stale and taken over; the lock is
 * released when the run ends, on SIGINT/SIGTERM, and at process exit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../errors';

export const LOCK_FILE = '.keras-ts.lock';

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** A lock file younger than this whose owner line is not written yet is taken as held. */
const UNWRITTEN_GRACE_MS = 10_000;

/** True for a process that has exited but not been reaped by its parent (Linux; elsewhere false). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** True when a process with this pid runs on this machine (EPERM: it runs under another user); a zombie is not running. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.hostname === 'string') return { pid: owner.pid, hostname: owner.hostname, startedAt: String(owner.startedAt) };
  } catch {
    // unreadable or half-written: judged by its age below
  }
  return undefined;
}

/** Whether an existing lock can be taken over: its owner is gone (same host only), or it was never written. */
function isStale(file: string, owner: LockOwner | undefined): boolean {
  if (owner === undefined) {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNWRITTEN_GRACE_MS;
    } catch {
      return true;
    }
  }
  return owner.hostname === os.hostname() && !processAlive(owner.pid);
}

export interface FolderLock {
  readonly file: string;
  /** Removes the lock (idempotent). */
  release(): void;
}

const held = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const file of held) removeIfOurs(file);
  });
}

function removeIfOurs(file: string): void {
  const owner = readOwner(file);
  if (owner !== undefined && owner.pid === process.pid && owner.hostname === os.hostname()) fs.rmSync(file, { force: true });
  held.delete(file);
}

/** Takes the lock of `dir` (which must exist); throws a ConfigError naming the owner when another run holds it. */
export function lockFolder(dir: string): FolderLock {
  const file = path.join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner?.pid === process.pid && owner.hostname === me.hostname && held.has(file)) {
        throw new ConfigError(`The study folder ${dir} is already in use by a study running in this process; use another output folder.`);
      }
      if (!isStale(file, owner)) {
        const who = owner === undefined ? 'a run that is starting' : `pid ${owner.pid} on ${owner.hostname}, since ${owner.startedAt}`;
        throw new ConfigError(
          `The study folder ${dir} is in use by another keras-ts run (${who}). Wait for it to finish or use another output folder; ` +
            `if that run is gone, delete ${file}.`,
        );
      }
      // Stale: move it aside under a unique name (only one taker succeeds), then try again.
      try {
        fs.renameSync(file, `${file}.${process.pid}.stale`);
        fs.rmSync(`${file}.${process.pid}.stale`, { force: true });
      } catch {
        // another run took it over first; the next attempt sees its lock
      }
      continue;
    }
    try {
      fs.writeSync(fd, `${JSON.stringify(me)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    held.add(file);
    installExitHook();
    return { file, release: () => held.has(file) && removeIfOurs(file) };
  }
  throw new ConfigError(`Could not take the lock ${file}: other runs keep taking it. Use another output folder.`);
}
