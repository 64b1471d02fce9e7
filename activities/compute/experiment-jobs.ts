/**
 * The compute jobs of an experiment on sim-core, run inside compute threads: a training chunk,
 * programming the weights, the drift study. `init` starts the tensor backend the queue asks for
 * (cpu: the best CPU backend; gpu: WebGPU only, failing when there is no adapter; imc: the CPU
 * backend driving the IMC hardware backend's emulator).
 */
import { initBackend } from '../../sim-core/backend/backend';
import { EMULATOR_CHIP } from '../../imc/emulator-chip';
import type { ComputeModule } from './thread-runtime';
import type { ComputeTarget, ComputeThreadInfo, ExperimentJobs } from './catalog';

class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unsupported';
  }
}

// TEMPORARY until sim-core's TrainingSession and InferenceSession land (issues #3, #4): the jobs
// refuse with a clear, non-retryable error; the workers start and serve the system check.
const notYet = (what: string) =>
  Promise.reject(new UnsupportedError(`${what} needs sim-core's sessions, which are not merged yet`));

export const computeModule: ComputeModule<ExperimentJobs> = {
  async init(data): Promise<Record<string, unknown>> {
    const target = data.target as ComputeTarget;
    const backend = await initBackend(target === 'gpu' ? { backends: ['webgpu'] } : {});
    const info: ComputeThreadInfo = {
      backend: backend.backend,
      ...(target === 'imc' ? { chip: EMULATOR_CHIP.name } : {}),
    };
    return { ...info };
  },
  handlers: {
    trainChunk: () => notYet('training'),
    program: () => notYet('programming'),
    driftInfer: () => notYet('drift inference'),
  },
};
