/**
 * Files a study writes must never be seen half-written: whole files go through a temp file in the
 * same folder and a rename (atomic on one filesystem); the trial log is append-only, one line per
 * finished trial, flushed to disk before the call returns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to `file` so readers see either the old file or the whole new one. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Appends one line (a newline is added) and flushes it, so a kill after return loses nothing. */
export function appendLine(file: string, line: string): void {
  if (line.includes('\n')) throw new Error('appendLine: a line must not contain a newline');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, `${line}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
