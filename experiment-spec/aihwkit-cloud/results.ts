/**
 * Results ↔ the AIHW Composer's `TrainingOutput` (per-epoch metrics) and `InferencingOutput` (accuracy
 * over time after programming). The format stores 32-bit floats and a diverged value as NaN; what it has
 * no place for is listed in `notCarried`, never dropped silently.
 */
import { type SpecIssue, issue } from '../issues';
import type { ExperimentResults, InferencePoint } from '../../contracts/results';
import {
  type AttributeMessage,
  type InferencingOutputMessage,
  type TrainingOutputMessage,
  decodeCloudMessage,
  encodeCloudMessage,
} from './codec';
import { fromFloat32 } from './floats';
import { exportTrainingInput } from './training';

export type ResultsExport<M> =
  { ok: true; bytes: Uint8Array; message: M; notCarried: string[] } | { ok: false; issues: SpecIssue[] };

function metric(name: string, value: number | null): AttributeMessage {
  return { name, f: value === null ? Number.NaN : value, type: 'FLOAT' };
}

/**
 * Per-epoch metrics as AIHWKit's runners name them: `accuracy` (test fraction correct), `train_loss`,
 * `valid_loss` (test loss) and `time_epoch`; epochs counted from 0 as AIHWKit does (ours count from 1).
 */
export function exportTrainingOutput(
  document: unknown,
  results: ExperimentResults,
): ResultsExport<TrainingOutputMessage> {
  const input = exportTrainingInput(document);
  if (!input.ok) return input;
  const message: TrainingOutputMessage = {
    version: { schema: 1, opset: 1 },
    network: input.message.network,
    epochs: results.learning_curve.map((e) => ({
      epoch: e.epoch - 1,
      metrics: [
        metric('accuracy', e.test_accuracy),
        metric('train_loss', e.train_loss),
        metric('valid_loss', e.test_loss),
        metric('time_epoch', e.time_epoch),
      ],
    })),
    metrics: [],
  };
  const notCarried = ['learning_curve[].lr'];
  if (results.inference.length > 0) notCarried.push('inference');
  if (results.histograms.length > 0) notCarried.push('histograms');
  if (Object.keys(results.timings).length > 0) notCarried.push('timings');
  return { ok: true, bytes: encodeCloudMessage('TrainingOutput', message), message, notCarried };
}

export interface CloudEpoch {
  /** Counted from 0, as in the format. */
  epoch: number;
  metrics: Record<string, number>;
}

/** Read a `TrainingOutput`: the epochs with their metrics by name (as AIHWKit's result converter does). */
export function importTrainingOutput(
  bytes: Uint8Array,
): { ok: true; epochs: CloudEpoch[] } | { ok: false; issues: SpecIssue[] } {
  const decoded = decodeCloudMessage('TrainingOutput', bytes);
  if (!decoded.ok) return { ok: false, issues: [issue([], 'invalid_value', decoded.error)] };
  return {
    ok: true,
    epochs: (decoded.message.epochs ?? []).map((e) => ({
      epoch: e.epoch,
      metrics: Object.fromEntries(
        (e.metrics ?? []).map((m) => [m.name ?? '', fromFloat32(m.f ?? Number.NaN)]),
      ),
    })),
  };
}

export interface InferencingExportOptions {
  /** Which points to write when the results hold both (the format has one series). Default: the only flag present. */
  driftCompensation?: boolean;
  /** Whether the study stopped early (the format's `is_partial`). */
  isPartial?: boolean;
}

/**
 * Accuracy over time as AIHWKit's BasicInferencing reports it: mean and standard deviation of the
 * accuracy in percent, the error (100 − accuracy) and the mean loss, per `t_inference`.
 */
export function exportInferencingOutput(
  results: ExperimentResults,
  options: InferencingExportOptions = {},
): ResultsExport<InferencingOutputMessage> {
  const flags = [...new Set(results.inference.map((p) => p.drift_compensation))];
  const flag = options.driftCompensation ?? (flags.length === 1 ? flags[0] : undefined);
  if (flag === undefined) {
    return {
      ok: false,
      issues: [
        issue(
          ['inference'],
          'not_expressible',
          results.inference.length === 0
            ? 'the results hold no inference points'
            : 'the results hold points with and without drift compensation; say which series to write (driftCompensation)',
        ),
      ],
    };
  }
  const points = results.inference.filter((p) => p.drift_compensation === flag);
  const repeats = [...new Set(points.map((p) => p.repeats))];
  if (points.length === 0 || repeats.length !== 1) {
    return {
      ok: false,
      issues: [
        issue(
          ['inference'],
          'not_expressible',
          points.length === 0
            ? `no inference points with drift_compensation ${flag}`
            : 'the format has one repeat count for all points',
        ),
      ],
    };
  }
  const percent = (v: number | null) => (v === null ? Number.NaN : v * 100);
  const message: InferencingOutputMessage = {
    version: { schema: 1, opset: 1 },
    inference_runs: {
      inference_repeat: repeats[0],
      is_partial: options.isPartial ?? false,
      time_elapsed: results.timings.drift_infer_s ?? results.timings.total_s ?? 0,
      inference_results: points.map((p) => ({
        t_inference: p.t_inference,
        avg_accuracy: percent(p.accuracy_mean),
        std_accuracy: percent(p.accuracy_std),
        avg_error: p.accuracy_mean === null ? Number.NaN : 100 - p.accuracy_mean * 100,
        avg_loss: p.loss_mean === null ? Number.NaN : p.loss_mean,
      })),
    },
  };
  const notCarried = ['inference[].accuracy_min', 'inference[].accuracy_max'];
  if (points.length < results.inference.length)
    notCarried.push(`inference points with drift_compensation ${!flag}`);
  if (results.learning_curve.length > 0) notCarried.push('learning_curve');
  if (results.histograms.length > 0) notCarried.push('histograms');
  return { ok: true, bytes: encodeCloudMessage('InferencingOutput', message), message, notCarried };
}

export interface CloudInferencePoint {
  t_inference: number;
  /** Fractions 0..1 (the format's percentages divided by 100); null where the format has NaN. */
  accuracy_mean: number | null;
  accuracy_std: number | null;
  loss_mean: number | null;
}

/** Read an `InferencingOutput` into our units (accuracy as a fraction). */
export function importInferencingOutput(
  bytes: Uint8Array,
):
  | { ok: true; repeats: number; is_partial: boolean; time_elapsed: number; points: CloudInferencePoint[] }
  | { ok: false; issues: SpecIssue[] } {
  const decoded = decodeCloudMessage('InferencingOutput', bytes);
  if (!decoded.ok) return { ok: false, issues: [issue([], 'invalid_value', decoded.error)] };
  const runs = decoded.message.inference_runs;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    ok: true,
    repeats: runs.inference_repeat,
    is_partial: runs.is_partial,
    time_elapsed: fromFloat32(runs.time_elapsed),
    points: (runs.inference_results ?? []).map((r) => ({
      t_inference: fromFloat32(r.t_inference),
      accuracy_mean: finite(fromFloat32(r.avg_accuracy) / 100),
      accuracy_std: finite(fromFloat32(r.std_accuracy) / 100),
      loss_mean: finite(fromFloat32(r.avg_loss)),
    })),
  };
}

/** Our points from the format's (for tests and for showing Composer results next to ours). */
export function toInferencePoints(
  points: CloudInferencePoint[],
  repeats: number,
  driftCompensation: boolean,
): InferencePoint[] {
  return points.map((p) => ({
    t_inference: p.t_inference,
    drift_compensation: driftCompensation,
    repeats,
    accuracy_mean: p.accuracy_mean,
    accuracy_std: p.accuracy_std,
    accuracy_min: null,
    accuracy_max: null,
    loss_mean: p.loss_mean,
  }));
}
