/**
 * Streams each epoch's logs to a CSV file (Keras' CSVLogger): columns `epoch` then the log keys
 * sorted, fixed by the first epoch; a key missing later is written as NA. Rows are appended and
 * flushed as epochs end; `append` continues an existing file (its header is kept). Numbers are
 * written as Python writes floats (1.0, 1e-05, nan, inf) and lines end in \r\n (csv's excel dialect).
 */
import * as fs from 'node:fs';
import { invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import { Callback } from './callback';
import type { Logs } from './callback';

export interface CSVLoggerOptions {
  /** Field separator, one character (default ','). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

/** Python's repr of a float: shortest digits, '.0' on integers, exponent with at least two digits. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 16) {
    return value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  private fd: number | undefined;
  private keys: string[] | undefined;
  private writeHeader = true;

  constructor(readonly filename: string, options: CSVLoggerOptions = {}) {
    super();
    if (typeof filename !== 'string' || filename.length === 0) throw invalidArgument('filename', 'CSVLogger', 'a file path', filename);
    const o = readOptions('CSVLogger', options, ['separator', 'append']);
    const separator = o.separator ?? ',';
    if (typeof separator !== 'string' || separator.length !== 1 || /["\r\n]/.test(separator)) {
      throw invalidArgument('separator', 'CSVLogger', 'one character other than a quote or a line break', separator);
    }
    const append = o.append ?? false;
    if (typeof append !== 'boolean') throw invalidArgument('append', 'CSVLogger', 'true or false', append);
    [this.separator, this.append] = [separator, append];
  }

  override onTrainBegin(): void {
    this.close();
    this.writeHeader = true;
    if (this.append && fs.existsSync(this.filename)) {
      const firstLine = fs.readFileSync(this.filename, 'utf8').split('\n', 1)[0] ?? '';
      this.writeHeader = firstLine.length === 0;
    }
    this.fd = fs.openSync(this.filename, this.append ? 'a' : 'w');
    this.keys = undefined;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.fd === undefined) return;
    if (this.keys === undefined) {
      this.keys = Object.keys(logs).sort();
      if (this.writeHeader) this.line(['epoch', ...this.keys]);
    }
    this.line([String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloat(logs[k]!)))]);
  }

  override onTrainEnd(): void {
    this.close();
  }

  private line(fields: string[]): void {
    const quoted = fields.map((f) => (f.includes(this.separator) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f));
    fs.writeSync(this.fd!, `${quoted.join(this.separator)}\r\n`);
  }

  private close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
