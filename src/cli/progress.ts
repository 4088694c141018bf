/**
 * Terminal progress of a study: an overall bar (trials, ETA) and one bar per running trial
 * (epochs, latest losses). Without a terminal (CI logs, pipes) it prints one line per finished trial.
 */
import { MultiBar, Presets } from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import type { StudyEvent } from '../study/run/events';

const trialKey = (setting: string, repeat: number): string => `${setting} #${repeat + 1}`;

const format = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(4));

export class StudyProgress {
  private readonly tty: boolean;
  private multi: MultiBar | undefined;
  private overall: SingleBar | undefined;
  private readonly running = new Map<string, SingleBar>();
  private finished = 0;
  private total = 0;
  private epochs = 1;
  private nameWidth = 12;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  readonly onEvent = (event: StudyEvent): void => {
    switch (event.type) {
      case 'study-start':
        return this.start(event);
      case 'trial-start':
        return this.trialStart(event.setting, event.repeat);
      case 'epoch':
        return this.running.get(trialKey(event.setting, event.repeat))?.update(event.epoch + 1, {
          detail: `loss ${format(event.logs['loss'])}  val_loss ${format(event.logs['val_loss'])}`,
        });
      case 'trial-end':
        return this.trialEnd(event);
    }
  };

  private start(event: Extract<StudyEvent, { type: 'study-start' }>): void {
    this.total = event.total;
    this.epochs = event.epochs;
    this.finished = event.skipped;
    const resumed = event.skipped > 0 ? `, ${event.skipped} already done (resumed)` : '';
    this.stream.write(`keras-ts study: ${event.total} trials on ${event.backend}, ${event.parallel} at a time${resumed}\n`);
    if (!this.tty) return;
    this.multi = new MultiBar(
      {
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 8,
        format: (options, params, payload: { name?: string; detail?: string; unit?: string }) => {
          const bar = (options.barCompleteString ?? '').slice(0, Math.round(params.progress * 24)).padEnd(24, '░');
          const eta = params.value >= params.total ? 'done' : `ETA ${Number.isFinite(params.eta) ? `${params.eta}s` : '…'}`;
          return `${(payload.name ?? '').padEnd(this.nameWidth)} ${bar} ${params.value}/${params.total} ${payload.unit ?? ''}  ${eta}  ${payload.detail ?? ''}`;
        },
      },
      Presets.shades_classic,
    );
    this.overall = this.multi.create(event.total, event.skipped, { name: 'all trials', unit: 'trials', detail: '' });
  }

  private trialStart(setting: string, repeat: number): void {
    const key = trialKey(setting, repeat);
    this.nameWidth = Math.max(this.nameWidth, key.length);
    if (this.multi === undefined) return;
    this.running.set(key, this.multi.create(this.epochs, 0, { name: key, unit: 'epochs', detail: '' }));
  }

  private trialEnd(event: Extract<StudyEvent, { type: 'trial-end' }>): void {
    this.finished++;
    const key = trialKey(event.setting, event.repeat);
    const { test, secondsPerEpoch } = event.record;
    const summary = `test loss ${format(test.loss)}${test.accuracy !== undefined ? `  test acc ${format(test.accuracy)}` : ''}  ${secondsPerEpoch.toFixed(2)} s/epoch`;
    const bar = this.running.get(key);
    if (bar !== undefined) {
      this.running.delete(key);
      this.multi?.remove(bar);
      this.multi?.log(`${key.padEnd(this.nameWidth)} ${summary}\n`);
      this.overall?.update(this.finished);
    } else {
      this.stream.write(`[${this.finished}/${this.total}] ${key.padEnd(this.nameWidth)} ${summary}\n`);
    }
  }

  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
  }
}
