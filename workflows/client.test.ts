import { mergeHeartbeat } from './client';
import type { ExperimentProgress } from '../contracts/progress';

const base: ExperimentProgress = {
  experimentId: 'e',
  phase: 'training',
  status: 'running',
  paused: false,
  pauseRequested: false,
  epoch: 2,
  batch: 0,
  totalEpochs: 5,
  batchesPerEpoch: 100,
  metrics: null,
  inference: null,
  etaSeconds: 60,
  message: 'training',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('progress with the live heartbeat', () => {
  it('moves the training position forward to the running chunk', () => {
    const beat = {
      step: 'train',
      chunkIndex: 2,
      epoch: 2,
      batch: 40,
      batchesPerEpoch: 100,
      loss: 0.5,
      etaSeconds: 30,
    } as const;
    expect(mergeHeartbeat(base, beat)).toMatchObject({ epoch: 2, batch: 40, etaSeconds: 30 });
  });

  it('never moves it backwards (a heartbeat of the chunk before)', () => {
    const beat = {
      step: 'train',
      chunkIndex: 1,
      epoch: 1,
      batch: 99,
      batchesPerEpoch: 100,
      loss: 0.5,
      etaSeconds: 90,
    } as const;
    expect(mergeHeartbeat(base, beat)).toBe(base);
  });

  it('counts drift-study evaluations', () => {
    const inference = {
      ...base,
      phase: 'inference' as const,
      inference: { pointsDone: 0, pointsTotal: 6, latest: null },
    };
    const beat = {
      step: 'drift-infer',
      message: 'repeat 1 of 2, t = 60 s (2/6)',
      pointsDone: 2,
      pointsTotal: 6,
    } as const;
    expect(mergeHeartbeat(inference, beat)).toMatchObject({
      message: 'repeat 1 of 2, t = 60 s (2/6)',
      inference: { pointsDone: 2, pointsTotal: 6, latest: null },
    });
  });
});
