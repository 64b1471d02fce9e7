/** CSV for the results tables (RFC 4180: comma-separated, CRLF, quoted where needed; null → empty). */
import type { EpochMetrics, ExperimentResults, InferencePoint } from '../../contracts/results';

export const LEARNING_CURVE_COLUMNS: (keyof EpochMetrics)[] = [
  'epoch',
  'train_loss',
  'test_loss',
  'test_accuracy',
  'lr',
  'time_epoch',
];
export const INFERENCE_COLUMNS: (keyof InferencePoint)[] = [
  't_inference',
  'drift_compensation',
  'repeats',
  'accuracy_mean',
  'accuracy_std',
  'accuracy_min',
  'accuracy_max',
  'loss_mean',
];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T extends object>(columns: (keyof T)[], rows: readonly T[]): string {
  const lines = [columns.map((c) => cell(c)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export type ResultsTable = 'learning_curve' | 'inference';

export function resultsCsv(results: ExperimentResults, table: ResultsTable): string {
  return table === 'learning_curve'
    ? toCsv(LEARNING_CURVE_COLUMNS, results.learning_curve)
    : toCsv(INFERENCE_COLUMNS, results.inference);
}
