/**
 * The live progress line of `analog watch`: a bar, the phase, epoch, accuracy and ETA. On a terminal
 * one line is redrawn in place; otherwise (a pipe, a log) a line is printed whenever what it says
 * changes, so logs stay readable.
 */
import { duration, percent } from './format';

/** The fields of the workflow's progress the CLI shows (see contracts/progress.ts). */
export interface ProgressView {
  phase?: string;
  status?: string;
  paused?: boolean;
  epoch?: number;
  totalEpochs?: number | null;
  batch?: number;
  batchesPerEpoch?: number | null;
  metrics?: { test_accuracy?: number | null; train_loss?: number | null } | null;
  inference?: { pointsDone: number; pointsTotal: number } | null;
  etaSeconds?: number | null;
  message?: string;
}

/** How far along the current phase is, 0..1, when that is known. */
export function phaseFraction(p: ProgressView): number | null {
  if (p.phase === 'training' && p.totalEpochs) {
    const withinEpoch = p.batchesPerEpoch ? (p.batch ?? 0) / p.batchesPerEpoch : 0;
    return Math.min(1, ((p.epoch ?? 0) + withinEpoch) / p.totalEpochs);
  }
  if (p.phase === 'inference' && p.inference && p.inference.pointsTotal > 0) {
    return Math.min(1, p.inference.pointsDone / p.inference.pointsTotal);
  }
  if (p.phase === 'completed') return 1;
  return null;
}

export function bar(fraction: number | null, width = 24): string {
  if (fraction === null) return `[${'·'.repeat(width)}]`;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export function progressLine(p: ProgressView): string {
  const fraction = phaseFraction(p);
  const parts = [bar(fraction), fraction === null ? '' : percent(fraction, 0).padStart(4), p.phase ?? ''];
  if (p.totalEpochs) parts.push(`epoch ${p.epoch ?? 0}/${p.totalEpochs}`);
  if (p.metrics?.test_accuracy !== undefined && p.metrics?.test_accuracy !== null) {
    parts.push(`acc ${percent(p.metrics.test_accuracy)}`);
  }
  if (p.inference) parts.push(`drift ${p.inference.pointsDone}/${p.inference.pointsTotal}`);
  if (p.paused) parts.push('PAUSED');
  if (p.etaSeconds !== null && p.etaSeconds !== undefined) parts.push(`ETA ${duration(p.etaSeconds)}`);
  return parts.filter((s) => s !== '').join('  ');
}

export class ProgressPrinter {
  private last = '';
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  private get live(): boolean {
    return Boolean(this.out.isTTY);
  }

  progress(p: ProgressView): void {
    const line = progressLine(p);
    if (this.live) {
      const width = this.out.columns ?? 100;
      this.out.write(`\r${line.slice(0, width - 1).padEnd(Math.min(width - 1, this.last.length))}`);
      this.drawn = true;
    } else {
      // Without a terminal, only lines that say something new (not every batch).
      const coarse = line.replace(/ETA \S+/, '').replace(/\[[#-]+\]\s+\d+%/, '');
      if (coarse === this.last) return;
      this.out.write(`${line}\n`);
      this.last = coarse;
      return;
    }
    this.last = line;
  }

  message(text: string): void {
    if (this.live && this.drawn) this.out.write('\n');
    this.drawn = false;
    this.out.write(`${text}\n`);
  }

  done(): void {
    if (this.live && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
