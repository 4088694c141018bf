/** results.json: the study's data, pretty-printed (two spaces) with a trailing newline. */
import type { StudyResultData } from '../records';

export function resultsJson(data: StudyResultData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
