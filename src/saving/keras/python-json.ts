/**
 * JSON text as Python's `json.dumps` writes it, which is how Keras writes config.json and
 * metadata.json: `", "` and `": "` separators, non-ASCII escaped, and floats in Python's repr.
 * The float form matters, not only the looks: Keras checks some arguments with
 * `isinstance(x, float)` (an optimizer's `learning_rate`, SGD's `momentum`), so `1` must be
 * written `1.0`. Values that Keras holds as floats are wrapped in `PyFloat` by the writer.
 */

/** A number Keras holds as a Python float. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`Cannot write ${x} as JSON`);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', exp = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const rest = digits.slice(1);
    const expText = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${rest === '' ? '' : `.${rest}`}e${expText}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const fraction = digits.slice(e + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** A string literal with `ensure_ascii=True`: everything past U+007F as `\uXXXX`. */
function pythonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `json.dumps(value)` with Python's defaults. */
export function dumps(value: PyJson): string {
  if (value === null) return 'null';
  if (value instanceof PyFloat) return pythonFloat(value.value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} as JSON`);
    return Number.isInteger(value) ? value.toFixed(0) : pythonFloat(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(dumps).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pythonString(k)}: ${dumps(v)}`)
    .join(', ')}}`;
}
