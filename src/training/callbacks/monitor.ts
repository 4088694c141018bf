/**
 * What EarlyStopping and ReduceLROnPlateau share, as Keras 3's MonitorCallback: the mode ('auto'
 * falls back from an unknown mode with a warning), the direction of the monitored value, and the
 * improvement test `current − minDelta` better than the reference (minDelta taken as |minDelta|).
 */
import { invalidArgument } from '../../errors';
import type { CallbackModel } from './callback';

export type MonitorMode = 'auto' | 'min' | 'max';

/** The mode, or 'auto' with a warning for anything else (Keras warns and falls back). */
export function checkMode(owner: string, mode: unknown, warn: (message: string) => void): MonitorMode {
  if (mode === 'auto' || mode === 'min' || mode === 'max') return mode;
  warn(`${owner} mode ${String(mode)} is unknown, fallback to auto mode.`);
  return 'auto';
}

/** |minDelta|: a finite number (Keras takes the absolute value). */
export function checkMinDelta(owner: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isFinite(value))) throw invalidArgument('minDelta', owner, 'a finite number', value);
  return Math.abs(value);
}

/**
 * 'min' or 'max' for a monitored name. 'auto': `loss` / `val_loss` → min; a compiled metric → its
 * direction (accuracy, AUC, precision… up; losses down), as Keras 3 reads it from the metric;
 * any other name → max when it contains "acc" or "auc", else min (Keras raises here instead).
 */
export function monitorDirection(monitor: string, mode: MonitorMode, model: CallbackModel | undefined): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  if (name === 'loss') return 'min';
  const direction = model?.metricDirection?.(name);
  if (direction !== undefined) return direction === 'up' ? 'max' : 'min';
  return name.includes('acc') || name.includes('auc') ? 'max' : 'min';
}

/** Keras' `_is_improvement`: always true against no reference. */
export function isImprovement(direction: 'min' | 'max', minDelta: number, current: number, reference: number | undefined): boolean {
  if (reference === undefined) return true;
  return direction === 'min' ? current + minDelta < reference : current - minDelta > reference;
}
