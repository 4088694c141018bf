/**
 * Reading a user's CSV table into a header, numeric feature columns and raw label strings, with
 * errors that name the file, the line and the column. Parsing itself is csv-parse's (quotes,
 * embedded commas and newlines, a UTF-8 byte-order mark, surrounding spaces all handled there).
 */
import * as fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError, invalidArgument } from '../errors';

/** One data row as parsed, with the line it ends on (for messages). */
interface CsvRecord {
  record: string[];
  info: { lines: number };
}

export interface CsvTable {
  header: string[];
  labelColumn: number;
  featureNames: string[];
  /** [rows, features], row-major. */
  features: Float64Array;
  /** The label cell of each row, as written. */
  labels: string[];
  /** Line of each row in the file, 1-based. */
  lines: number[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The largest finite float32: tensors hold float32, so a larger number would become Infinity. */
export const MAX_FLOAT32 = 3.4028234663852886e38;

/** "beyond float32" error for a cell, naming file, column and line. */
export function outOfRange(file: string, column: string, line: number, cell: string): DataError {
  return new DataError(
    `${file} line ${line}, column ${column}: ${cell} is beyond the float32 range tensors hold (±${MAX_FLOAT32}); rescale that column.`,
  );
}

/** True for plain decimal numbers ("3", "-0.5", "1e-3"); not for "", "0x1f", "NaN" or "Infinity". */
export function isNumeric(cell: string): boolean {
  return NUMBER.test(cell);
}

function readRecords(file: string): CsvRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new DataError(`Cannot read the CSV file ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parse(text, { bom: true, trim: true, skip_empty_lines: true, info: true }) as unknown as CsvRecord[];
  } catch (error) {
    throw new DataError(`${file} is not valid CSV: ${(error as Error).message}.`, { cause: error });
  }
}

/** The 0-based index of the label column: a header name, an index, or (undefined) the last column. */
function labelIndex(owner: string, file: string, header: string[], label: string | number | undefined): number {
  if (label === undefined) return header.length - 1;
  if (typeof label === 'string') {
    const index = header.indexOf(label);
    // A name wins; digits that name no column are a 0-based index (the CLI passes --label as text).
    if (index < 0 && /^\d+$/.test(label)) return labelIndex(owner, file, header, Number(label));
    if (index < 0) throw invalidArgument('label', owner, `a column of ${file}: one of ${header.map((h) => JSON.stringify(h)).join(', ')}, or a 0-based index`, label);
    return index;
  }
  if (!Number.isInteger(label) || label < 0 || label >= header.length) {
    throw invalidArgument('label', owner, `a column name or a 0-based index in [0, ${header.length - 1}] (${file} has ${header.length} columns)`, label);
  }
  return label;
}

/**
 * Reads `file`: the first row must be a header naming the columns; every other column than the
 * label must hold numbers in every row.
 */
export function readCsvTable(owner: string, file: string, label: string | number | undefined): CsvTable {
  const records = readRecords(file);
  const first = records[0];
  if (first === undefined) throw new DataError(`${file} is empty; expected a header row naming the columns, then one row per example.`);
  const header = first.record;
  if (header.every(isNumeric)) {
    throw new DataError(`The first row of ${file} holds only numbers (${header.slice(0, 4).join(', ')}${header.length > 4 ? ', …' : ''}); a header row naming the columns is required, e.g. "x1,x2,label".`);
  }
  if (header.length < 2) throw new DataError(`${file} has ${header.length} column; expected at least one feature column and a label column.`);
  const names = new Set<string>();
  const duplicate = header.find((name) => names.size === names.add(name).size);
  if (duplicate !== undefined) throw new DataError(`${file} names the column ${JSON.stringify(duplicate)} twice; column names must be unique.`);
  const labelColumn = labelIndex(owner, file, header, label);
  const featureColumns = header.map((_, i) => i).filter((i) => i !== labelColumn);
  const rows = records.slice(1);
  if (rows.length === 0) throw new DataError(`${file} has a header but no data rows.`);

  const features = new Float64Array(rows.length * featureColumns.length);
  const labels: string[] = [];
  const lines: number[] = [];
  const width = featureColumns.length;
  rows.forEach(({ record, info }, r) => {
    for (let f = 0; f < width; f++) {
      const column = featureColumns[f]!;
      const cell = record[column]!;
      const name = (): string => JSON.stringify(header[column]);
      if (cell === '') throw new DataError(`${file} line ${info.lines}: missing value in column ${name()}; every feature cell needs a number.`);
      if (!isNumeric(cell)) {
        throw new DataError(
          `Column ${name()} of ${file} is not numeric (line ${info.lines}: ${JSON.stringify(cell)}). fromCsv reads numeric feature columns only: encode it as numbers, remove it, or choose it as the label.`,
        );
      }
      const value = Number(cell);
      if (!(Math.abs(value) <= MAX_FLOAT32)) throw outOfRange(file, name(), info.lines, cell);
      features[r * width + f] = value;
    }
    const labelCell = record[labelColumn]!;
    if (labelCell === '') throw new DataError(`${file} line ${info.lines}: missing label in column ${JSON.stringify(header[labelColumn])}.`);
    labels.push(labelCell);
    lines.push(info.lines);
  });
  return { header, labelColumn, featureNames: featureColumns.map((i) => header[i]!), features, labels, lines };
}
