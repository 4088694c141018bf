/**
 * ModelCheckpoint's file names: Python's `str.format` with named fields, as Keras calls
 * `filepath.format(epoch=epoch + 1, **logs)`. Fields: `{name}` and `{name:spec}` where spec is a
 * subset of Python's format spec — `.Nf` (fixed, N decimals), `.Ne` (exponent), `d` / `Nd` / `0Nd`
 * (integer, padded), `Nf` forms with a width; `{{` and `}}` are literal braces. A field the values
 * lack or a spec outside the subset is a ConfigError naming the field.
 */
import { ConfigError, describe } from '../../errors';
import { pythonFloat } from './csv-logger';

const FIELD = /\{\{|\}\}|\{([^{}:]*)(?::([^{}]*))?\}|[{}]/g;
const SPEC = /^(0)?(\d+)?(?:\.(\d+))?([dfe])?$/;

/** Python's formatting of one value with a spec of the subset. */
function formatValue(name: string, value: number, spec: string | undefined, template: string, isInt: boolean): string {
  if (spec === undefined || spec === '') return isInt ? String(value) : pythonFloat(value);
  const match = SPEC.exec(spec);
  if (match === null) throw new ConfigError(`Unsupported format spec ':${spec}' for field '${name}' in the filepath ${describe(template)}: expected .Nf, .Ne, d, Nd or 0Nd.`);
  const [, zero, width, precision, type] = match;
  let text: string;
  if (type === 'd') {
    if (precision !== undefined) throw new ConfigError(`Invalid format spec ':${spec}' for field '${name}' in the filepath ${describe(template)}: 'd' takes no precision.`);
    if (!Number.isInteger(value)) throw new ConfigError(`Cannot format field '${name}' with ':${spec}' in the filepath ${describe(template)}: ${value} is not an integer (Python's 'd' takes integers only).`);
    text = String(Math.abs(value));
  } else if (type === 'e') {
    text = Math.abs(value).toExponential(Number(precision ?? 6)).replace(/e([+-])(\d)$/, 'e$10$2');
  } else if (type === 'f' || precision !== undefined) {
    text = Math.abs(value).toFixed(Number(precision ?? 6));
  } else {
    text = isInt ? String(Math.abs(value)) : pythonFloat(Math.abs(value));
  }
  if (!Number.isFinite(value)) text = Number.isNaN(value) ? 'nan' : 'inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const size = Number(width ?? 0);
  if (zero !== undefined) return sign + text.padStart(size - sign.length, '0');
  return (sign + text).padStart(size, ' ');
}

/**
 * Fills `template` from `values` (epoch, batch, the logs). `integers` names the fields that are
 * Python ints (epoch, batch); every other value is a float, as Keras' logs are.
 */
export function formatFilepath(template: string, values: Readonly<Record<string, number>>, integers: ReadonlySet<string>): string {
  return template.replace(FIELD, (whole, name: string | undefined, spec: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (name === undefined) throw new ConfigError(`Invalid filepath ${describe(template)}: a single '${whole}' must be doubled ('${whole}${whole}') to appear in the name.`);
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new ConfigError(`Failed to format the ModelCheckpoint filepath ${describe(template)}: no value named '${name}'. Available: ${Object.keys(values).join(', ')}.`);
    }
    return formatValue(name, values[name]!, spec, template, integers.has(name));
  });
}
