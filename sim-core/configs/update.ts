/** Pulsed-update parameters: AIHWKit's `UpdateParameters` (`simulator/parameters/training.py`, reference §2.1). */
import { z } from 'zod';
import { PulseType } from './enums';

export const UpdateParameters = z.strictObject({
  /** Pulse-train length BL (the maximum BL under update_bl_management). */
  desired_bl: z.number().int().positive().default(31),
  fixed_bl: z.boolean().default(true),
  pulse_type: PulseType.default('STOCHASTIC_COMPRESSED'),
  /** Resolution of the pulse probability (≤ 0: continuous). Note AIHWKit does not invert values > 1 here. */
  res: z.number().default(0),
  x_res_implicit: z.number().default(0),
  d_res_implicit: z.number().default(0),
  d_sparsity: z.boolean().default(false),
  sto_round: z.boolean().default(false),
  update_bl_management: z.boolean().default(true),
  update_management: z.boolean().default(true),
  um_grad_scale: z.number().positive().default(1.0),
});
export type UpdateParameters = z.infer<typeof UpdateParameters>;
export type UpdateParametersInput = z.input<typeof UpdateParameters>;

/** `PresetUpdateParameters` (presets/utils.py): desired_bl 31, STOCHASTIC_COMPRESSED, UBLM and UM on. */
export function PresetUpdateParameters(overrides: UpdateParametersInput = {}): UpdateParameters {
  return UpdateParameters.parse({
    desired_bl: 31,
    pulse_type: 'STOCHASTIC_COMPRESSED',
    update_bl_management: true,
    update_management: true,
    ...overrides,
  });
}
