/**
 * Tile mapping, digital pre/post-processing and runtime parameters (`simulator/parameters/mapping.py`,
 * `pre_post.py`, `runtime.py`; reference §5.8, §5.9, §1.9).
 */
import { z } from 'zod';
import { RPUDataType } from './enums';

export const MappingParameter = z.strictObject({
  digital_bias: z.boolean().default(true),
  /** ω > 0: weights are scaled so that max|W| (per row if columnwise) maps to ω. 0: no scaling. */
  weight_scaling_omega: z.number().nonnegative().default(0.0),
  weight_scaling_columnwise: z.boolean().default(false),
  weight_scaling_lr_compensation: z.boolean().default(false),
  learn_out_scaling: z.boolean().default(false),
  out_scaling_columnwise: z.boolean().default(false),
  /** Layers with more inputs are split over several tiles (≤ 0: no limit). */
  max_input_size: z.number().int().default(512),
  /** Layers with more outputs are split over several tiles (≤ 0: no limit). */
  max_output_size: z.number().int().default(512),
});
export type MappingParameter = z.infer<typeof MappingParameter>;

export const InputRangeParameter = z.strictObject({
  enable: z.boolean().default(false),
  learn_input_range: z.boolean().default(true),
  init_value: z.number().positive().default(3.0),
  init_from_data: z.number().int().nonnegative().default(100),
  init_std_alpha: z.number().default(3.0),
  decay: z.number().nonnegative().default(0.001),
  input_min_percentage: z.number().min(0).max(1).default(0.95),
  manage_output_clipping: z.boolean().default(false),
  output_min_percentage: z.number().min(0).max(1).default(0.95),
  gradient_scale: z.number().default(1.0),
  gradient_relative: z.boolean().default(true),
  /** Set by post-training calibration in AIHWKit; null until then. */
  calibration_info: z.string().nullable().default(null),
});
export type InputRangeParameter = z.infer<typeof InputRangeParameter>;

export const PrePostProcessingParameter = z.strictObject({
  input_range: InputRangeParameter.prefault({}),
});
export type PrePostProcessingParameter = z.infer<typeof PrePostProcessingParameter>;

export const RuntimeParameter = z.strictObject({
  data_type: RPUDataType.default('FLOAT'),
  on_the_fly_bindings: z.boolean().default(false),
  offload_input: z.boolean().default(false),
  offload_gradient: z.boolean().default(false),
});
export type RuntimeParameter = z.infer<typeof RuntimeParameter>;
