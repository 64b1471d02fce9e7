/** Device drift parameters (`simulator/parameters/inference.py`, reference §3.8). */
import { z } from 'zod';

export const SimpleDriftParameter = z.strictObject({
  nu: z.number().default(0.0),
  t_0: z.number().positive().default(1.0),
  reset_tol: z.number().nonnegative().default(1e-7),
});
export type SimpleDriftParameter = z.infer<typeof SimpleDriftParameter>;

export const DriftParameter = z.strictObject({
  nu: z.number().default(0.0),
  t_0: z.number().positive().default(1.0),
  reset_tol: z.number().nonnegative().default(1e-7),
  nu_dtod: z.number().nonnegative().default(0.0),
  nu_std: z.number().nonnegative().default(0.0),
  wg_ratio: z.number().default(1.0),
  g_offset: z.number().default(0.0),
  w_offset: z.number().default(0.0),
  nu_k: z.number().default(0.0),
  log_g0: z.number().default(0.0),
  w_noise_std: z.number().nonnegative().default(0.0),
});
export type DriftParameter = z.infer<typeof DriftParameter>;
