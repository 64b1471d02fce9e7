import { progressValue } from './temporal-queue-adapter';

describe('progressValue', () => {
  it('turns training and drift-study progress into a percentage', () => {
    expect(
      progressValue({ phase: 'training', epoch: 1, totalEpochs: 4, batch: 5, batchesPerEpoch: 10 }),
    ).toBe(38);
    expect(progressValue({ phase: 'inference', inference: { pointsDone: 3, pointsTotal: 10 } })).toBe(30);
  });

  it('shows other progress as it is, and nothing as 0', () => {
    const validating = { phase: 'validating', message: 'checking the spec' };
    expect(progressValue(validating)).toBe(validating);
    expect(progressValue(null)).toBe(0);
    expect(progressValue({ phase: 'training', totalEpochs: null })).toEqual({
      phase: 'training',
      totalEpochs: null,
    });
  });
});
