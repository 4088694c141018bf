/** Where and with what a study ran: recorded with every result so numbers can be traced. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tf } from '../../backend/tf';
import type { StudyContext } from '../records';

/** keras-ts' own version, read from the package.json beside src/ or dist/. */
export function kerasTsVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function studyContext(backend: string): StudyContext {
  return {
    date: new Date().toISOString(),
    kerasTsVersion: kerasTsVersion(),
    tfjsVersion: tf.version.tfjs,
    backend,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
  };
}
