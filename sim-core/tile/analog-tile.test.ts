/**
 * Exact behaviour of the analog tile: a noise-free tile is x·Wᵀ / d·W / W − lr·dᵀx (as AIHWKit's
 * test_mimic_rpu_mac), decay with lifetime 10 multiplies by 0.9, and the DAC/ADC/bound-management
 * golden cases of reference §8.3 (1×1 weight 1.0, input 10). Both kernel implementations.
 */
import * as tf from '@tensorflow/tfjs-core';
import { IOParameters, RPUConfig } from '../configs';
import { Rng } from '../random/rng';
import { expectClose, matmul, transpose, useBackend, values2 } from '../test-utils/tensors';
import { AnalogTile } from './analog-tile';

const KERNELS = ['js', 'tf'] as const;

function uniformMatrix(rng: Rng, rows: number, cols: number, lo: number, hi: number): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => lo + (hi - lo) * rng.uniform()),
  );
}

describe.each(KERNELS)('noise-free tile (%s kernels)', (kernels) => {
  beforeAll(() => useBackend(kernels));

  const configs: [string, RPUConfig][] = [
    ['FloatingPointRPUConfig', RPUConfig.parse({ type: 'FloatingPointRPUConfig' })],
    [
      'SingleRPUConfig, perfect IO, pulse_type NONE',
      RPUConfig.parse({
        type: 'SingleRPUConfig',
        forward: { is_perfect: true },
        backward: { is_perfect: true },
        update: { pulse_type: 'NONE' },
        device: { type: 'ConstantStepDevice', w_max: 10, w_min: -10, w_max_dtod: 0, w_min_dtod: 0 },
      }),
    ],
  ];

  it.each(configs)('%s: forward x·Wᵀ, backward d·W, update W − lr·dᵀx', (_name, config) => {
    // As test_mimic_rpu_mac: 6×5 (out×in), batch 4, lr 0.1, x ~ U(−1.2, 1.2), d ~ U(−0.1, 0.1).
    const rng = new Rng(1);
    const W = uniformMatrix(rng, 6, 5, -0.5, 0.5);
    const x = uniformMatrix(rng, 4, 5, -1.2, 1.2);
    const d = uniformMatrix(rng, 4, 6, -0.1, 0.1);
    const tile = AnalogTile.fromRPUConfig(config, 6, 5, rng);
    tile.setWeights(W.flat());
    const y = tile.forward(tf.tensor2d(x));
    expectClose(values2(y), matmul(x, transpose(W)), 1e-5);
    const dx = tile.backward(tf.tensor2d(d));
    expectClose(values2(dx), matmul(d, W), 1e-5);
    tile.update(tf.tensor2d(x), tf.tensor2d(d), 0.1);
    const dW = matmul(transpose(d), x);
    const expected = W.map((row, i) => row.map((w, j) => w - 0.1 * dW[i][j]));
    const got = Array.from(tile.getWeights());
    expectClose([got], [expected.flat()], 1e-6);
    tf.dispose([y, dx]);
    tile.dispose();
  });
});

describe('decay', () => {
  beforeAll(() => useBackend('js'));

  it('lifetime 10 multiplies the weights by 0.9 (test_decay_weights)', () => {
    const rng = new Rng(2);
    const config = RPUConfig.parse({
      type: 'SingleRPUConfig',
      device: {
        type: 'ConstantStepDevice',
        lifetime: 10,
        w_max: 2,
        w_min: -2,
        w_max_dtod: 0,
        w_min_dtod: 0,
        reset_dtod: 0,
      },
    });
    const tile = AnalogTile.fromRPUConfig(config, 3, 4, rng);
    const W = uniformMatrix(rng, 3, 4, -1, 1).flat();
    tile.setWeights(W);
    tile.device.decayWeights(rng);
    expectClose([Array.from(tile.getWeights())], [W.map((w) => w * 0.9)], 1e-6);
    // The optimizer's post-update step decays once more.
    tile.postUpdateStep();
    expectClose([Array.from(tile.getWeights())], [W.map((w) => w * 0.81)], 1e-6);
  });

  it('FloatingPointDevice decays too', () => {
    const rng = new Rng(2);
    const tile = AnalogTile.fromRPUConfig(
      RPUConfig.parse({
        type: 'FloatingPointRPUConfig',
        device: { type: 'FloatingPointDevice', lifetime: 10 },
      }),
      2,
      2,
      rng,
    );
    tile.setWeights([1, -2, 0.5, 3]);
    tile.postUpdateStep();
    expectClose([Array.from(tile.getWeights())], [[0.9, -1.8, 0.45, 2.7]], 1e-6);
  });
});

/**
 * Hand-worked golden cases: 1×1 tile, W = 1, input 10, no noise, NM NONE. Steps: Δ = (1/res)·2·bound;
 * v = clip(q(10/ρ)), z = W·v, out = clip(q(z)), y = out·ρ; bound management doubles ρ while |q(z)| >
 * out_bound, until ρ > 1000 or ρ > 0.25/Δ_in.
 */
const GOLDEN: {
  inp_bound: number;
  out_bound: number;
  inp_res: number;
  out_res: number;
  bm: 'NONE' | 'ITERATIVE';
  y: number;
  why: string;
}[] = [
  { inp_bound: 10, out_bound: 1, inp_res: -1, out_res: -1, bm: 'NONE', y: 1, why: 'z = 10 clips at 1' },
  {
    inp_bound: 10,
    out_bound: 1,
    inp_res: -1,
    out_res: -1,
    bm: 'ITERATIVE',
    y: 10,
    why: 'ρ = 16: z = 0.625 passes, y = 0.625·16',
  },
  {
    inp_bound: 10,
    out_bound: 1,
    inp_res: 4,
    out_res: -1,
    bm: 'ITERATIVE',
    y: 1,
    why: 'Δ_in = 5: limit 0.25/5 < ρ = 1, stop after one pass',
  },
  {
    inp_bound: 10,
    out_bound: 10,
    inp_res: 16,
    out_res: 16,
    bm: 'ITERATIVE',
    y: 10,
    why: 'Δ = 1.25 both: 10 is on the grid and within bounds',
  },
  {
    inp_bound: 1,
    out_bound: 10,
    inp_res: 4,
    out_res: 4,
    bm: 'NONE',
    y: 0,
    why: 'v clips at 1; Δ_out = 5 rounds 1 to 0',
  },
  {
    inp_bound: 1,
    out_bound: 10,
    inp_res: 4,
    out_res: 4,
    bm: 'ITERATIVE',
    y: 0,
    why: 'as above; 0 passes the test',
  },
  {
    inp_bound: 1,
    out_bound: 10,
    inp_res: -1,
    out_res: 16,
    bm: 'NONE',
    y: 1.25,
    why: 'Δ_out = 1.25 rounds 1 up to 1.25',
  },
  {
    inp_bound: 0.1,
    out_bound: 0.1,
    inp_res: 4,
    out_res: 4,
    bm: 'ITERATIVE',
    y: 0.1,
    why: 'v = 0.1 = out_bound passes (test is |z| ≤ bound)',
  },
  {
    inp_bound: 1,
    out_bound: 0.1,
    inp_res: -1,
    out_res: -1,
    bm: 'ITERATIVE',
    y: 10,
    why: 'ρ = 128: v = 0.078125 passes, y = 10',
  },
  {
    inp_bound: 1,
    out_bound: 0.1,
    inp_res: 16,
    out_res: -1,
    bm: 'ITERATIVE',
    y: 0.4,
    why: 'Δ_in = 0.125, limit 2: stops after ρ = 4 with 0.1·4',
  },
  { inp_bound: 1, out_bound: 0.1, inp_res: 16, out_res: -1, bm: 'NONE', y: 0.1, why: 'clipped output' },
  {
    inp_bound: 0.1,
    out_bound: 10,
    inp_res: 4,
    out_res: 4,
    bm: 'NONE',
    y: 0,
    why: 'v = 0.1; Δ_out = 5 rounds it to 0',
  },
];

/** The same rules written out for a scalar, to cover the whole grid of test_discretization_behavior. */
function scalarOracle(ib: number, ob: number, ir: number, or: number, bm: 'NONE' | 'ITERATIVE'): number {
  const step = (r: number, b: number) => (r > 0 ? (r > 1 ? 1 / r : r) * 2 * b : 0);
  const q = (v: number, s: number) => {
    if (s <= 0) return v;
    const u = v / s;
    let r = Math.round(u);
    if (r - u === 0.5 && r % 2 !== 0) r -= 1;
    return r * s;
  };
  const clip = (v: number, b: number) => Math.min(Math.max(v, -b), b);
  const si = step(ir, ib);
  const so = step(or, ob);
  let rho = 1;
  for (;;) {
    const z = q(clip(q(10 / rho, si), ib), so);
    const pass = Math.abs(z) <= ob;
    if (bm === 'NONE' || pass || rho > 1000 || (si > 0 && rho > 0.25 / si)) return clip(z, ob) * rho;
    rho *= 2;
  }
}

describe.each(KERNELS)('DAC/ADC and bound management golden cases (%s kernels)', (kernels) => {
  beforeAll(() => useBackend(kernels));

  function run1x1(ib: number, ob: number, ir: number, or: number, bm: 'NONE' | 'ITERATIVE'): number {
    const forward = IOParameters.parse({
      out_noise: 0,
      inp_bound: ib,
      out_bound: ob,
      inp_res: ir,
      out_res: or,
      noise_management: 'NONE',
      bound_management: bm,
    });
    const config = RPUConfig.parse({ type: 'InferenceRPUConfig', forward });
    const tile = AnalogTile.fromRPUConfig(config, 1, 1, new Rng(0));
    tile.setWeights([1]);
    const y = tile.forward(tf.tensor2d([[10]]));
    const v = y.dataSync()[0];
    y.dispose();
    tile.dispose();
    return v;
  }

  it.each(GOLDEN)(
    'inp_bound $inp_bound out_bound $out_bound inp_res $inp_res out_res $out_res BM $bm → $y ($why)',
    (c) => {
      expect(run1x1(c.inp_bound, c.out_bound, c.inp_res, c.out_res, c.bm)).toBeCloseTo(c.y, 5);
    },
  );

  it('matches the scalar rules on the whole 162-case grid', () => {
    for (const ib of [0.1, 1, 10])
      for (const ob of [0.1, 1, 10])
        for (const ir of [4, 16, -1])
          for (const or of [4, 16, -1])
            for (const bm of ['NONE', 'ITERATIVE'] as const) {
              const got = run1x1(ib, ob, ir, or, bm);
              const want = scalarOracle(ib, ob, ir, or, bm);
              if (Math.abs(got - want) > 1e-5)
                throw new Error(`${ib} ${ob} ${ir} ${or} ${bm}: ${got} vs ${want}`);
            }
  });

  it('hand-worked reference §1.3 example: default IO, out_noise 0', () => {
    const config = RPUConfig.parse({ type: 'InferenceRPUConfig', forward: { out_noise: 0 } });
    const tile = AnalogTile.fromRPUConfig(config, 2, 4, new Rng(0));
    tile.setWeights([0.1, -0.2, 0.3, 0.05, 0.4, 0.1, -0.3, 0.2]);
    const y = tile.forward(tf.tensor2d([[0.5, -1.2, 0.25, 2.0]]));
    expectClose(values2(y), [[0.470588, 0.376471]], 1e-5);
  });
});

describe('repeated use (tfjs kernels)', () => {
  beforeAll(() => useBackend('tf'));

  it('keeps its cached weight tensors across calls made inside tidy scopes', () => {
    const rng = new Rng(4);
    const tile = AnalogTile.fromRPUConfig(RPUConfig.parse({ type: 'SingleRPUConfig' }), 3, 4, rng);
    const x = tf.tensor2d([[0.1, -0.2, 0.3, 0.4]]);
    const d = tf.tensor2d([[0.01, -0.02, 0.03]]);
    for (let k = 0; k < 3; k++) {
      tf.dispose([tile.forward(x), tile.backward(d)]);
      tf.tidy(() => {
        tile.backward(d);
        tile.forward(x);
      });
    }
    tf.dispose([x, d]);
    tile.dispose();
  });
});
