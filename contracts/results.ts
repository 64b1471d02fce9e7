/**
 * The results of an experiment, as the report step persists them and the API, CLI and web read them.
 * Stored in the document store, so: no nested arrays (histograms are objects of flat arrays) and no
 * NaN or ±Infinity (a diverged value is null).
 */
import { z } from 'zod';

/** A finite number, or null where the value diverged (NaN/±Infinity are not storable). */
export const metricValue = z.number().finite().nullable();

export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(1),
  train_loss: metricValue,
  test_loss: metricValue,
  /** Fraction of the test set classified correctly, 0..1. */
  test_accuracy: metricValue,
  /** Learning rate used during this epoch. */
  lr: z.number().finite(),
  /** Wall-clock seconds of this epoch's training (not evaluation). */
  time_epoch: z.number().finite().nonnegative(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

export const inferencePointSchema = z.object({
  /** Seconds after programming. */
  t_inference: z.number().finite().nonnegative(),
  /** Whether the drift compensation of the RPU config was applied. */
  drift_compensation: z.boolean(),
  repeats: z.number().int().min(1),
  accuracy_mean: metricValue,
  accuracy_std: metricValue,
  accuracy_min: metricValue,
  accuracy_max: metricValue,
  loss_mean: metricValue,
});
export type InferencePoint = z.infer<typeof inferencePointSchema>;

export const histogramSchema = z.object({
  /** What was measured, e.g. "weights after programming, layer 0". */
  label: z.string(),
  /** `quantity`: "weight" (unitless) or "conductance" (µS). */
  quantity: z.enum(['weight', 'conductance']),
  /** When: "trained", "programmed", or "drifted" (then `t_inference` says when). */
  stage: z.enum(['trained', 'programmed', 'drifted']),
  t_inference: z.number().finite().nonnegative().optional(),
  layer: z.string(),
  /** Bin edges, length = counts.length + 1. */
  edges: z.array(z.number().finite()),
  counts: z.array(z.number().int().nonnegative()),
});
export type Histogram = z.infer<typeof histogramSchema>;

export const timingsSchema = z.object({
  validate_s: z.number().finite().nonnegative().optional(),
  train_s: z.number().finite().nonnegative().optional(),
  program_s: z.number().finite().nonnegative().optional(),
  drift_infer_s: z.number().finite().nonnegative().optional(),
  report_s: z.number().finite().nonnegative().optional(),
  total_s: z.number().finite().nonnegative().optional(),
});

export const experimentResultsSchema = z.object({
  experimentId: z.string(),
  /** Per-epoch learning curve (training experiments). */
  learning_curve: z.array(epochMetricsSchema),
  /** Accuracy versus time after programming. */
  inference: z.array(inferencePointSchema),
  histograms: z.array(histogramSchema),
  timings: timingsSchema,
  /** Tensor backend the compute ran on ("wasm", "tensorflow", "cpu", "webgpu"), and the queue. */
  backend: z.string().optional(),
  queue: z.string().optional(),
  /** Simulator version, for reproducibility. */
  sim_core_version: z.string().optional(),
});
export type ExperimentResults = z.infer<typeof experimentResultsSchema>;
