/**
 * Number formatting shared by verdicts and reports, so a value reads the same in the terminal,
 * report.md and report.html. Negative numbers use the typographic minus (U+2212).
 */

/** Decimals that keep two or three significant digits for numbers of this size. */
export function decimalsFor(magnitude: number): number {
  const m = Math.abs(magnitude);
  if (m >= 10) return 0;
  if (m >= 0.1 || m === 0) return 1;
  return 2;
}

/** `x` with the given decimals and a typographic minus; never "−0.0". */
export function formatFixed(x: number, decimals: number): string {
  const text = x.toFixed(decimals);
  if (Number(text) === 0) return (0).toFixed(decimals);
  return text.startsWith('-') ? `\u2212${text.slice(1)}` : text;
}

/** Like formatFixed with an explicit "+" on positive values (for differences). */
export function formatSigned(x: number, decimals: number): string {
  const text = formatFixed(x, decimals);
  return Number(x.toFixed(decimals)) > 0 ? `+${text}` : text;
}

/** Four significant digits without exponent notation for everyday magnitudes (losses, norms). */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const m = Math.abs(x);
  if (m >= 1e6 || m < 1e-4) return x.toExponential(digits - 1).replace(/-/g, '\u2212');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(m)));
  return formatFixed(x, decimals);
}

/** A fraction in [0, 1] as a percentage with one decimal: 0.8412 → "84.1%". */
export function formatPercent(fraction: number, decimals = 1): string {
  return `${formatFixed(fraction * 100, decimals)}%`;
}
