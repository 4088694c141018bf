/** Flag value parsers for the CLI: a bad value names the flag and what it takes. */
import { InvalidArgumentError } from 'commander';

/** Whole decimal numbers only: "0x2", "1e3", " 2", "2.0" and "" are not integers a flag takes. */
const INTEGER = /^[+]?\d+$/;
/** A plain decimal number (no hex, binary, octal or "Infinity"). */
const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function integer(value: string): number {
  return INTEGER.test(value) ? Number(value) : NaN;
}

export function positiveInt(value: string): number {
  const n = integer(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}".`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = integer(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected an integer >= 0, got "${value}".`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}".`);
  return n;
}

/** "512,512" → [512, 512] */
export function intList(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new InvalidArgumentError(`expected comma-separated positive integers such as 512,512, got "${value}".`);
  return parts.map((p) => {
    try {
      return positiveInt(p);
    } catch {
      throw new InvalidArgumentError(`expected comma-separated positive integers such as 512,512, got "${value}".`);
    }
  });
}
