/** The options of an inference session (zod-validated; the schemas come from sim-core/configs). */
import { z } from 'zod';
import { DatasetSpec } from '../configs/dataset';
import { LayerSpec } from '../configs/layers';
import { InferenceRPUConfig } from '../configs/rpu-config';
import { LossSpec } from '../configs/training';

export const InferenceSessionOptions = z.strictObject({
  /** The layers, in order (images come in as [batch, 1, 28, 28]: dense models start with Flatten). */
  model: z.array(LayerSpec).min(1),
  /** The RPU config of analog layers without their own; it must be an InferenceRPUConfig. */
  rpu_config: InferenceRPUConfig.prefault({ type: 'InferenceRPUConfig' }),
  dataset: DatasetSpec,
  /** Seed of the session's random stream (initial weights, IO noise, drift read noise). */
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** The loss reported by `evaluate()` (NLLLoss expects a LogSoftmax output, as AIHWKit's examples). */
  loss: LossSpec.prefault({ type: 'NLLLoss' }),
  /** Test images per forward pass in `evaluate()`. */
  eval_batch_size: z.number().int().positive().default(1000),
});
export type InferenceSessionOptions = z.infer<typeof InferenceSessionOptions>;
export type InferenceSessionOptionsInput = z.input<typeof InferenceSessionOptions>;

/** Parse options, with an error message that names every problem and where it is. */
export function parseInferenceSessionOptions(input: unknown): InferenceSessionOptions {
  const r = InferenceSessionOptions.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`,
    );
    throw new Error(`Invalid inference session options: ${problems.join('; ')}`);
  }
  const analogWithOtherConfig = r.data.model.findIndex(
    (l) =>
      (l.type === 'AnalogLinear' || l.type === 'AnalogConv2d') &&
      l.rpu_config &&
      l.rpu_config.type !== 'InferenceRPUConfig',
  );
  if (analogWithOtherConfig >= 0) {
    throw new Error(
      `Invalid inference session options: model.${analogWithOtherConfig}.rpu_config must be an InferenceRPUConfig ` +
        '(programming and drift are defined for inference tiles only)',
    );
  }
  return r.data;
}
