/**
 * CSV loading time, which must grow linearly with the file size: a wide file (many columns, few
 * rows) and a long one (few columns, many rows) of about the same size. Prints seconds per file.
 *   npx ts-node --transpile-only benchmarks/csv-load.ts [columns=200000]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fromCsv } from '../src/datasets/csv';

function writeTable(file: string, columns: number, rows: number): void {
  const header = [...Array.from({ length: columns - 1 }, (_, i) => `x${i}`), 'label'].join(',');
  const lines = [header];
  for (let r = 0; r < rows; r++) lines.push([...Array.from({ length: columns - 1 }, (_, c) => ((r * 31 + c) % 97) / 10), r % 2].join(','));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

const columns = Number(process.argv[2] ?? 200_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-csv-bench-'));
try {
  for (const [name, cols, rows] of [['wide', columns, 5], ['long', 5, columns]] as const) {
    const file = path.join(dir, `${name}.csv`);
    writeTable(file, cols, rows);
    const started = performance.now();
    fromCsv(file, { kind: 'classification', testFraction: 0.2, validationFraction: 0.2 }).dispose();
    const seconds = (performance.now() - started) / 1000;
    console.log(`csv ${name}: ${cols} columns × ${rows} rows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB: ${seconds.toFixed(2)} s`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
