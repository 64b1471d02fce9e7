/** The options of a training session (validated with zod; the schemas come from sim-core/configs). */
import { z } from 'zod';
import { DatasetSpec } from '../configs/dataset';
import { LayerSpec } from '../configs/layers';
import { RPUConfig } from '../configs/rpu-config';
import { TrainingSpec } from '../configs/training';

export const TrainingSessionOptions = z.strictObject({
  /** The layers, in order. Images come in as [batch, 1, 28, 28]: start with Flatten for dense models. */
  model: z.array(LayerSpec).min(1),
  /** RPU config of analog layers without their own (AIHWKit's default: SingleRPUConfig, ConstantStep). */
  rpu_config: RPUConfig.prefault({ type: 'SingleRPUConfig' }),
  dataset: DatasetSpec,
  training: TrainingSpec.prefault({}),
  /** Seed of the experiment's random stream (weights, devices, noise, pulses, shuffling, dropout). */
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type TrainingSessionOptions = z.infer<typeof TrainingSessionOptions>;
export type TrainingSessionOptionsInput = z.input<typeof TrainingSessionOptions>;

/** Parse options, with an error message that names every problem and where it is. */
export function parseTrainingSessionOptions(input: unknown): TrainingSessionOptions {
  const r = TrainingSessionOptions.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`,
    );
    throw new Error(`Invalid training session options: ${problems.join('; ')}`);
  }
  return r.data;
}

/** JSON with sorted keys, so equal options give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
