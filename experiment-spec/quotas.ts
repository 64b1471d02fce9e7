/**
 * Resource limits an experiment must stay within, so that no experiment occupies a worker for days by
 * accident. The validator receives them from its caller (the API and the validate activity read them
 * from `config/env.ts`); the defaults allow every full-size AIHWKit reference run we ship presets for
 * (e.g. LeNet5 on all of MNIST for 30 epochs: 1.8 M sample-epochs, about 2·10¹² multiply-accumulates).
 */
import { z } from 'zod';

export const quotasSchema = z.strictObject({
  /** Trainable parameters of the model (weights and biases of every layer). */
  maxParameters: z.number().int().positive().default(5_000_000),
  /** Layers in the model's layer list. */
  maxLayers: z.number().int().positive().default(64),
  /** Training epochs. */
  maxEpochs: z.number().int().positive().default(200),
  /** Epochs × training samples: the number of sample presentations a training run makes. */
  maxTrainSampleEpochs: z.number().int().positive().default(3_000_000),
  /** Epochs × training samples × forward multiply-accumulates per sample. */
  maxTrainMacs: z.number().positive().default(5e12),
  /** Mini-batch size. */
  maxBatchSize: z.number().int().positive().default(4096),
  /** Number of `t_inference` points. */
  maxInferenceTimes: z.number().int().positive().default(64),
  /** Repeats of a drift study (each repeat programs the weights anew). */
  maxInferenceRepeats: z.number().int().positive().default(100),
  /** `t_inference` points × repeats: the number of full test-set evaluations of a drift study. */
  maxInferenceEvaluations: z.number().int().positive().default(1_000),
  /** `t_inference` points × repeats × test samples × forward multiply-accumulates per sample. */
  maxInferenceMacs: z.number().positive().default(5e12),
});

export type Quotas = z.infer<typeof quotasSchema>;
export type QuotasInput = z.input<typeof quotasSchema>;

export const DEFAULT_QUOTAS: Quotas = quotasSchema.parse({});

/** Quotas with defaults filled; a malformed override falls back to the defaults of the bad fields only. */
export function resolveQuotas(input: QuotasInput | undefined): Quotas {
  if (!input) return DEFAULT_QUOTAS;
  const parsed = quotasSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const result: Record<string, unknown> = { ...DEFAULT_QUOTAS };
  for (const [key, value] of Object.entries(input)) {
    const field = quotasSchema.shape[key as keyof Quotas];
    if (field && field.safeParse(value).success) result[key] = value;
  }
  return result as Quotas;
}

/** `maxTrainSampleEpochs` → `QUOTA_MAX_TRAIN_SAMPLE_EPOCHS`: the environment variable of each quota. */
export function quotaVariable(key: keyof Quotas): string {
  return `QUOTA_${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
}

/**
 * Quotas from settings named like environment variables (`QUOTA_MAX_EPOCHS`, …), e.g. the parsed
 * `config()` of `config/env.ts`; unset ones are left to the defaults.
 */
export function quotasFromSettings(settings: Readonly<Record<string, unknown>>): QuotasInput {
  const out: Record<string, number> = {};
  for (const key of Object.keys(quotasSchema.shape) as (keyof Quotas)[]) {
    const value = settings[quotaVariable(key)];
    if (typeof value === 'number') out[key] = value;
  }
  return out as QuotasInput;
}
