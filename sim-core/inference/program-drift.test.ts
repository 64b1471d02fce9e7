import { driftReadout, readoutInputs } from './drift-compensation';
import { createNoiseModel } from './noise/create-noise-model';
import { InferenceTileLifecycle, type ProgrammableTile } from './program-drift';
import { Rng } from '../random/rng';
import { PCMLikeNoiseModel } from '../configs/inference';
import type { RandomSource } from './random-source';

/** A tile whose forward is y = x·Wᵀ plus Gaussian output noise (a stand-in for the IO pipeline). */
class NoisyTile implements ProgrammableTile {
  weights: Float32Array;
  constructor(
    readonly outSize: number,
    readonly inSize: number,
    private readonly outNoise: number,
    private readonly random: RandomSource,
    seed: number,
  ) {
    this.weights = new Float32Array(outSize * inSize);
    new Rng(seed).fillNormal(this.weights);
  }
  getTileWeights(): Float32Array {
    return this.weights.slice();
  }
  setTileWeights(w: Float32Array): void {
    this.weights = w.slice();
  }
  readForward(x: Float32Array, batch: number): Float32Array {
    const y = new Float32Array(batch * this.outSize);
    const noise = new Float32Array(y.length);
    this.random.fillNormal(noise);
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < this.outSize; o++) {
        let s = 0;
        for (let i = 0; i < this.inSize; i++) s += x[b * this.inSize + i] * this.weights[o * this.inSize + i];
        y[b * this.outSize + o] = s + this.outNoise * noise[b * this.outSize + o];
      }
    }
    return y;
  }
}

const pcm = createNoiseModel(PCMLikeNoiseModel.parse({ type: 'PCMLikeNoiseModel' }));

function meanAbsOutput(tile: NoisyTile, x: Float32Array, batch: number, alpha: Float32Array | null): number {
  const y = tile.readForward(x, batch);
  let s = 0;
  for (let i = 0; i < y.length; i++)
    s += Math.abs(y[i] * (alpha ? alpha[alpha.length === 1 ? 0 : i % tile.outSize] : 1));
  return s / y.length;
}

describe('program / drift life cycle', () => {
  it('global drift compensation restores the mean |output| of a drifted layer to within 5 %', () => {
    // 64×128 layer, inputs uniform in [−1, 1] (256 vectors), output noise 0.06·max|W| as the default IO.
    const tile = new NoisyTile(64, 128, 0.06 * 3, new Rng(1), 2);
    const x = new Float32Array(256 * 128);
    new Rng(3).fillUniform(x);
    for (let i = 0; i < x.length; i++) x[i] = 2 * x[i] - 1;
    const life = new InferenceTileLifecycle(tile, pcm, 'GlobalDriftCompensation');
    life.program(new Rng(4));
    const afterProgramming = meanAbsOutput(tile, x, 256, null);
    life.drift(3.15e7, new Rng(5)); // one year
    const drifted = meanAbsOutput(tile, x, 256, null);
    const compensated = meanAbsOutput(tile, x, 256, life.alpha);
    // Without compensation a year of drift loses about half of the signal...
    expect(drifted / afterProgramming).toBeLessThan(0.7);
    // ...with it, the mean |output| is back within 5 % (the readout itself is noisy: 128 one-hot
    // reads × 64 outputs average the output noise down to well below 1 %).
    expect(Math.abs(compensated / afterProgramming - 1)).toBeLessThan(0.05);
    expect(life.alpha?.length).toBe(1);
  });

  it('per-column compensation gives one alpha per output', () => {
    const tile = new NoisyTile(8, 16, 0.01, new Rng(1), 2);
    const life = new InferenceTileLifecycle(tile, pcm, 'PerColumnDriftCompensation');
    life.drift(86400, new Rng(6));
    expect(life.alpha?.length).toBe(8);
    expect(Math.min(...(life.alpha as Float32Array))).toBeGreaterThan(1);
  });

  it('the exact-reference baseline uses the reference weights without noise', () => {
    const tile = new NoisyTile(4, 6, 5, new Rng(1), 2);
    const reference = tile.getTileWeights();
    const life = new InferenceTileLifecycle(tile, pcm, 'GlobalDriftCompensationWithExactReference');
    life.program(new Rng(7));
    const state = life.getState();
    const mean = reference.reduce((a, w) => a + Math.abs(w), 0) / reference.length;
    expect(state.baseline?.[0]).toBeCloseTo(mean, 6);
  });

  it('drifts from the same programmed weights each time; programming keeps the first reference', () => {
    const tile = new NoisyTile(8, 16, 0, new Rng(1), 2);
    const reference = tile.getTileWeights();
    const life = new InferenceTileLifecycle(tile, pcm, null);
    life.program(new Rng(8));
    const programmed = life.programmed?.slice();
    life.drift(3600, new Rng(9));
    const first = tile.getTileWeights();
    life.drift(3600, new Rng(9));
    expect(Array.from(tile.getTileWeights())).toEqual(Array.from(first));
    expect(Array.from(life.programmed as Float32Array)).toEqual(Array.from(programmed as Float32Array));
    life.program(new Rng(10));
    expect(Array.from(life.reference as Float32Array)).toEqual(Array.from(reference));
    expect(life.alpha).toBeNull();
    life.reset();
    expect(Array.from(tile.getTileWeights())).toEqual(Array.from(reference));
  });

  it('state round-trips', () => {
    const tile = new NoisyTile(4, 6, 0.01, new Rng(1), 2);
    const life = new InferenceTileLifecycle(tile, pcm, 'GlobalDriftCompensation');
    life.drift(20, new Rng(11));
    const copy = new InferenceTileLifecycle(tile, pcm, 'GlobalDriftCompensation');
    copy.setState(life.getState());
    expect(copy.getState()).toEqual(life.getState());
    expect(() => copy.setState({ ...life.getState(), reference: new Float32Array(3) })).toThrow(
      /reference has 3 values/,
    );
  });

  it('readout is max(mean |y|, 1e-4) over all one-hot reads', () => {
    const y = Float32Array.from([0.2, -0.4, 0, 0]);
    expect(driftReadout('GlobalDriftCompensation', y, 2, 2)[0]).toBeCloseTo(0.15, 7);
    expect(
      Array.from(driftReadout('PerColumnDriftCompensation', y, 2, 2)).map((v) => Number(v.toFixed(7))),
    ).toEqual([0.1, 0.2]);
    expect(driftReadout('GlobalDriftCompensation', new Float32Array(4), 2, 2)[0]).toBe(1e-4);
    expect(Array.from(readoutInputs(2))).toEqual([1, 0, 0, 1]);
  });
});
