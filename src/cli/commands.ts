/** The actions behind `keras-ts compare` and `keras-ts report`. */
import * as path from 'node:path';
import { compare } from '../study/compare';
import { formatSummaryTable } from '../study/report/terminal-table';
import { StudyResult } from '../study/result';
import { StudyProgress } from './progress';
import { studyOptionsFromFlags } from './study-options';
import type { CompareFlags } from './study-options';

/** Relative to the working directory when inside it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative;
}

export async function runCompare(flags: CompareFlags): Promise<void> {
  const options = studyOptionsFromFlags(flags);
  const progress = new StudyProgress();
  const started = performance.now();
  let result: StudyResult;
  try {
    result = await compare({ ...options, ...(flags.queue !== undefined ? { queue: flags.queue } : {}), onProgress: progress.onEvent });
  } finally {
    progress.stop();
  }
  const files = await result.write(flags.out);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`\n${formatSummaryTable(result.data)}\n`);
  process.stdout.write(`\nFinished in ${seconds.toFixed(1)} s. Wrote ${files.length} files to ${path.resolve(flags.out)}:\n`);
  for (const file of files) process.stdout.write(`  ${displayPath(file)}\n`);
  const models = result.data.models;
  if (models !== undefined) {
    process.stdout.write(models.length > 0 ? "Saved each setting's best model:\n" : 'No model was saved.\n');
    for (const m of models) process.stdout.write(`  ${m.setting} (repeat ${m.repeat}): ${displayPath(path.join(flags.out, m.file))}\n`);
  }
}

export async function runReport(dir: string): Promise<void> {
  const result = StudyResult.read(dir);
  const files = await result.write(dir);
  process.stdout.write(`${formatSummaryTable(result.data)}\n\nRewrote ${files.length} files in ${path.resolve(dir)}.\n`);
}
