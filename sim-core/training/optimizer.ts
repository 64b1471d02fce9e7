/**
 * AnalogSGD (reference §6.3): one step = (1) torch-SGD on the digital parameters (momentum, dampening,
 * weight decay, Nesterov), (2) every analog layer applies its tiles' updates with the current learning
 * rate (pulsed or exact, as its RPU config says; momentum and weight decay do not reach analog weights),
 * (3) the post-update step of every analog tile (diffusion/decay, ...).
 */
import type { AnalogSGDSpec, SchedulerSpec } from '../configs/training';
import type { StateRecord } from '../devices/device-array';
import type { Sequential } from '../layers/sequential';

export class AnalogSGD {
  lr: number;

  constructor(
    readonly spec: AnalogSGDSpec,
    private readonly model: Sequential,
  ) {
    this.lr = spec.lr;
  }

  step(): void {
    const { momentum, dampening, weight_decay: wd, nesterov } = this.spec;
    for (const layer of this.model.layers) {
      for (const p of layer.parameters()) {
        const { values, grad } = p;
        // torch.optim.SGD: buf = g on the first step, else momentum·buf + (1 − dampening)·g.
        const first = momentum !== 0 && p.momentum === null;
        if (first) p.momentum = new Float32Array(values.length);
        const buf = p.momentum;
        for (let k = 0; k < values.length; k++) {
          const g = grad[k] + (wd !== 0 ? wd * values[k] : 0);
          let update = g;
          if (buf) {
            buf[k] = first ? g : momentum * buf[k] + (1 - dampening) * g;
            update = nesterov ? g + momentum * buf[k] : buf[k];
          }
          values[k] -= this.lr * update;
        }
      }
    }
    const analog = this.model.analogLayers();
    for (const layer of analog) layer.analog.applyAnalogUpdate(this.lr);
    for (const layer of analog) layer.analog.postUpdateStep();
  }

  getState(): StateRecord {
    return { lr: this.lr };
  }

  setState(state: StateRecord): void {
    const lr = state.lr;
    if (typeof lr !== 'number') throw new Error('optimizer state is missing "lr"');
    this.lr = lr;
  }
}

/** The learning rate of an epoch (0-based) under a schedule: StepLR lr·γ^floor(epoch/step_size). */
export function scheduledLr(base: number, scheduler: SchedulerSpec, epoch: number): number {
  if (!scheduler) return base;
  switch (scheduler.type) {
    case 'StepLR':
      return base * Math.pow(scheduler.gamma, Math.floor(epoch / scheduler.step_size));
  }
}
