/**
 * Keras-style console progress. verbose 1: a bar per epoch (steps, ETA, time/step, running metrics)
 * that ends in the epoch's full log line; verbose 2: one line per epoch. Running metrics are read
 * from the device at most every `refreshMs`, never per batch.
 */
import { SingleBar } from 'cli-progress';
import type { BatchLogs, Callback, Logs } from './callback';

export interface ProgressOptions {
  verbose: 1 | 2;
  epochs: number;
  stepsPerEpoch: number;
  /** Where to write (default process.stdout). */
  stream?: NodeJS.WriteStream;
  /** Minimum time between reads of running metrics (default 250 ms). */
  refreshMs?: number;
}

const formatValue = (v: number): string => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3));

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(' - ');
}

function formatDuration(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

export class ProgressLogger implements Callback {
  private readonly stream: NodeJS.WriteStream;
  private readonly refreshMs: number;
  private bar: SingleBar | undefined;
  private epochStart = 0;
  private lastRead = 0;
  private metricsText = '';

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stdout;
    this.refreshMs = options.refreshMs ?? 250;
  }

  onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.lastRead = 0;
    this.metricsText = '';
    if (this.options.verbose !== 1) return;
    this.stream.write(`Epoch ${epoch + 1}/${this.options.epochs}\n`);
    const steps = this.options.stepsPerEpoch;
    const width = String(steps).length;
    this.bar = new SingleBar({
      stream: this.stream,
      barsize: 30,
      barCompleteChar: '=',
      barIncompleteChar: '.',
      hideCursor: false,
      clearOnComplete: true,
      etaBuffer: 20,
      format: (_options, params, payload: { metrics?: string; perStep?: string }) => {
        const done = Math.round((params.value / params.total) * 30);
        const bar = '='.repeat(Math.max(0, done - 1)) + (done > 0 ? (done < 30 ? '>' : '=') : '') + '.'.repeat(30 - done);
        return `${String(params.value).padStart(width)}/${params.total} [${bar}] - ETA: ${formatDuration(params.eta)} - ${payload.perStep ?? ''}${payload.metrics ? ` - ${payload.metrics}` : ''}`;
      },
    });
    this.bar.start(steps, 0, {});
  }

  onBatchEnd(batch: number, logs: BatchLogs): void {
    if (this.bar === undefined) return;
    const now = performance.now();
    if (now - this.lastRead >= this.refreshMs) {
      this.lastRead = now;
      // Reading `loss` and friends syncs with the device: only at this modest rate.
      const keys = Object.keys(logs).filter((k) => k !== 'batch' && k !== 'size');
      this.metricsText = keys.map((k) => `${k}: ${formatValue(logs[k]!)}`).join(' - ');
    }
    const perStep = `${Math.round((now - this.epochStart) / (batch + 1))}ms/step`;
    this.bar.update(batch + 1, { metrics: this.metricsText, perStep });
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const seconds = (performance.now() - this.epochStart) / 1000;
    const steps = this.options.stepsPerEpoch;
    const perStep = `${Math.round((seconds * 1000) / steps)}ms/step`;
    if (this.bar !== undefined) {
      this.bar.stop();
      this.bar = undefined;
      this.stream.write(`${steps}/${steps} [${'='.repeat(30)}] - ${formatDuration(seconds)} ${perStep} - ${formatLogs(logs)}\n`);
    } else {
      this.stream.write(`Epoch ${epoch + 1}/${this.options.epochs} - ${formatDuration(seconds)} - ${perStep} - ${formatLogs(logs)}\n`);
    }
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
