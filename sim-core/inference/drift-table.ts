/**
 * Rows of an accuracy-versus-time table: test accuracy at a list of t_inference values, each
 * repeated N times (every repeat programs afresh, then drifts), with and without drift compensation.
 * The row shape matches the results store's `inferencePointSchema` (sim-core does not import it).
 */

/** Local alias: looking up the global `Math` inside a vm context (jest) is far slower. */
const M = Math;

export interface DriftTableRow {
  /** Seconds after programming. */
  t_inference: number;
  /** Whether the RPU config's drift compensation was applied. */
  drift_compensation: boolean;
  repeats: number;
  /** Fractions in [0, 1]; null where a value diverged (NaN/±∞ are not storable). */
  accuracy_mean: number | null;
  accuracy_std: number | null;
  accuracy_min: number | null;
  accuracy_max: number | null;
  loss_mean: number | null;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Summarizes the repeats of one (t_inference, compensation) cell. The std is the population std
 * (numpy's default, ddof = 0), as AIHWKit's examples report "mean ± std" over repeats.
 */
export function summarizeRepeats(
  tInference: number,
  driftCompensation: boolean,
  accuracies: readonly number[],
  losses: readonly number[],
): DriftTableRow {
  const n = accuracies.length;
  if (n === 0) throw new Error('summarizeRepeats: no repeats');
  const mean = accuracies.reduce((a, b) => a + b, 0) / n;
  const variance = accuracies.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  return {
    t_inference: tInference,
    drift_compensation: driftCompensation,
    repeats: n,
    accuracy_mean: finiteOrNull(mean),
    accuracy_std: finiteOrNull(M.sqrt(variance)),
    accuracy_min: finiteOrNull(M.min(...accuracies)),
    accuracy_max: finiteOrNull(M.max(...accuracies)),
    loss_mean: finiteOrNull(losses.reduce((a, b) => a + b, 0) / losses.length),
  };
}

/** Validates the table request, naming the offending value. */
export function checkDriftTableRequest(tInference: readonly number[], repeats: number): void {
  if (tInference.length === 0) throw new Error('evaluateDriftTable: t_inference must list at least one time');
  tInference.forEach((t, k) => {
    if (!Number.isFinite(t) || t < 0) {
      throw new Error(`evaluateDriftTable: t_inference[${k}] must be a finite number ≥ 0 s (got ${t})`);
    }
  });
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new Error(`evaluateDriftTable: repeats must be an integer ≥ 1 (got ${repeats})`);
  }
}
