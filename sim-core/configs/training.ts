/** Optimizer, learning-rate scheduler, loss and training-run specifications (reference §6.3, §7.1). */
import { z } from 'zod';

/**
 * AIHWKit's AnalogSGD (torch SGD + analog tiles). `lr` defaults to BasicTraining's 0.05. Momentum and
 * weight decay apply to digital parameters only (as in AIHWKit, they do not reach pulsed analog weights).
 */
export const AnalogSGDSpec = z.strictObject({
  type: z.literal('AnalogSGD'),
  lr: z.number().positive().default(0.05),
  momentum: z.number().min(0).max(1).default(0),
  dampening: z.number().min(0).max(1).default(0),
  weight_decay: z.number().nonnegative().default(0),
  nesterov: z.boolean().default(false),
});
export type AnalogSGDSpec = z.infer<typeof AnalogSGDSpec>;

export const OptimizerSpec = z.discriminatedUnion('type', [AnalogSGDSpec]);
export type OptimizerSpec = z.infer<typeof OptimizerSpec>;

/** torch.optim.lr_scheduler.StepLR: lr × gamma every `step_size` epochs. */
export const StepLRSpec = z.strictObject({
  type: z.literal('StepLR'),
  step_size: z.number().int().positive(),
  gamma: z.number().positive().default(0.1),
});
export type StepLRSpec = z.infer<typeof StepLRSpec>;

/** A learning-rate schedule, or null for a constant learning rate. */
export const SchedulerSpec = z.discriminatedUnion('type', [StepLRSpec]).nullable();
export type SchedulerSpec = z.infer<typeof SchedulerSpec>;

export const LossSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('NLLLoss') }),
  z.strictObject({ type: z.literal('CrossEntropyLoss') }),
  z.strictObject({ type: z.literal('MSELoss') }),
  z.strictObject({ type: z.literal('BCELoss') }),
]);
export type LossSpec = z.infer<typeof LossSpec>;
export type LossType = LossSpec['type'];

/** A training run: BasicTraining's defaults (batch 64, NLL, lr 0.05, 30 epochs). */
export const TrainingSpec = z.strictObject({
  batch_size: z.number().int().positive().default(64),
  epochs: z.number().int().positive().default(30),
  optimizer: OptimizerSpec.prefault({ type: 'AnalogSGD' }),
  scheduler: SchedulerSpec.default(null),
  loss: LossSpec.prefault({ type: 'NLLLoss' }),
});
export type TrainingSpec = z.infer<typeof TrainingSpec>;
export type TrainingSpecInput = z.input<typeof TrainingSpec>;
