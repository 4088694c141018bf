/** Flag value parsers for the CLI: a bad value names the flag and what it takes. */
import { InvalidArgumentError } from 'commander';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}".`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected an integer >= 0, got "${value}".`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
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
