/**
 * The IO-managed analog matrix-vector product of one tile direction (reference §1.3–§1.7), typed-array
 * kernel. Per input vector (batch row): noise-management scale, DAC (scale, quantize, clip, input noise,
 * asymmetry), analog MAC, non-idealities (IR drop, voltage offsets, weight noise), ADC (nonlinearity,
 * asymmetry, output noise, quantize, clip) and the digital rescale. Bound management re-runs only the
 * rows whose output clipped, with a doubled reduction factor: per-sample semantics as AIHWKit's C++ CPU
 * engine (its torch tile instead re-runs the whole batch; reference §1.5, §10 item 17).
 */
import type { IOParameters } from '../configs/io';
import type { Rng } from '../random/rng';
import type { MvmMatrix } from './mvm-matrix';
import { PredrawnRandoms } from './predrawn-randoms';
import { quantizationStep, roundHalfEven as importedRoundHalfEven } from './quantize';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;
/** Module-local binding: calling an import through the CJS interop getter in a hot loop is slow. */
const roundHalfEven = importedRoundHalfEven;

/** Drawn-once, per-output and running quantities of one IO pipeline: part of a checkpoint. */
export interface IOPipelineState {
  /** σ_i per output when out_noise_std > 0. */
  outNoise: Float32Array | null;
  /** n_i per output when out_nonlinearity ≠ 0. */
  nonlinearity: Float32Array | null;
  /** o_i per output when v_offset_std > 0 or r_series > 0. */
  vOffset: Float32Array | null;
  /** Running abs-max for AVERAGE_ABS_MAX (NaN until the first vector). */
  averageAbsMax: number;
}

export interface IOPipelineOptions {
  /** Bound management applies to the forward direction only (AIHWKit ignores it in backward). */
  allowBoundManagement: boolean;
}

/**
 * Cap on r_series·|z| in the series-resistance term: AIHWKit's C++-only `r_series_max_total`, whose
 * default is the largest float (no cap in practice; Python cannot set it). Checked by the parity
 * harness (case io-forward-v-offset-r-series), which showed an earlier guess of 0.5 to be wrong.
 */
const R_SERIES_MAX = Infinity;

export class IOPipeline {
  readonly inStep: number;
  readonly outStep: number;
  readonly boundManagement: IOParameters['bound_management'];
  private state: IOPipelineState;
  private readonly nonlinearityGain: number;
  /**
   * Scratch buffers reused from call to call (a training step runs the pipeline several times per
   * batch; fresh arrays each time kept the garbage collector busy). Never handed out: `run` returns a
   * fresh array, which its caller may keep (a tensor on the cpu backend holds on to it).
   */
  private readonly randoms = new PredrawnRandoms();
  private alphaBuffer = new Float64Array(0);
  private rhoBuffer = new Float64Array(0);
  private inputBuffer = new Float32Array(0);
  private failedBuffer = new Uint8Array(0);

  constructor(
    readonly io: IOParameters,
    readonly inSize: number,
    readonly outSize: number,
    rng: Rng,
    options: IOPipelineOptions,
  ) {
    this.inStep = quantizationStep(io.inp_res, io.inp_bound);
    this.outStep = quantizationStep(io.out_res, io.out_bound);
    this.boundManagement = options.allowBoundManagement ? io.bound_management : 'NONE';
    const draw = (fn: () => number) => Float32Array.from({ length: outSize }, fn);
    const ideal = io.is_perfect || io.mv_type === 'IDEAL';
    this.state = {
      outNoise:
        !ideal && io.out_noise_std > 0
          ? draw(() => M.abs(io.out_noise * (1 + io.out_noise_std * rng.normal())))
          : null,
      nonlinearity:
        !ideal && io.out_nonlinearity !== 0
          ? draw(() =>
              M.abs(
                (io.out_nonlinearity / (io.out_bound > 0 ? io.out_bound : 1)) *
                  (1 + io.out_nonlinearity_std * rng.normal()),
              ),
            )
          : null,
      vOffset:
        !ideal && (io.v_offset_std > 0 || io.r_series > 0)
          ? draw(() => M.max(io.v_offset_std * rng.normal(), 0))
          : null,
      averageAbsMax: NaN,
    };
    this.nonlinearityGain = this.computeNonlinearityGain();
  }

  getState(): IOPipelineState {
    return {
      outNoise: this.state.outNoise?.slice() ?? null,
      nonlinearity: this.state.nonlinearity?.slice() ?? null,
      vOffset: this.state.vOffset?.slice() ?? null,
      averageAbsMax: this.state.averageAbsMax,
    };
  }

  setState(state: IOPipelineState): void {
    const check = (name: string, a: Float32Array | null, b: Float32Array | null) => {
      if ((a === null) !== (b === null) || (a && b && a.length !== b.length)) {
        throw new Error(`IO pipeline state "${name}" does not match this configuration`);
      }
    };
    check('outNoise', this.state.outNoise, state.outNoise);
    check('nonlinearity', this.state.nonlinearity, state.nonlinearity);
    check('vOffset', this.state.vOffset, state.vOffset);
    this.state = {
      outNoise: state.outNoise?.slice() ?? null,
      nonlinearity: state.nonlinearity?.slice() ?? null,
      vOffset: state.vOffset?.slice() ?? null,
      averageAbsMax: state.averageAbsMax,
    };
  }

  /** The state as flat named values (for checkpoints), with a key prefix. */
  toRecord(prefix: string): Record<string, Float32Array | number> {
    const s = this.state;
    const out: Record<string, Float32Array | number> = { [`${prefix}averageAbsMax`]: s.averageAbsMax };
    if (s.outNoise) out[`${prefix}outNoise`] = s.outNoise.slice();
    if (s.nonlinearity) out[`${prefix}nonlinearity`] = s.nonlinearity.slice();
    if (s.vOffset) out[`${prefix}vOffset`] = s.vOffset.slice();
    return out;
  }

  fromRecord(prefix: string, record: Record<string, unknown>): void {
    const arr = (key: string, current: Float32Array | null): Float32Array | null => {
      if (!current) return null;
      const v = record[`${prefix}${key}`];
      if (!(v instanceof Float32Array)) throw new Error(`IO pipeline state is missing "${prefix}${key}"`);
      return v;
    };
    const avg = record[`${prefix}averageAbsMax`];
    if (typeof avg !== 'number') throw new Error(`IO pipeline state is missing "${prefix}averageAbsMax"`);
    this.setState({
      outNoise: arr('outNoise', this.state.outNoise),
      nonlinearity: arr('nonlinearity', this.state.nonlinearity),
      vOffset: arr('vOffset', this.state.vOffset),
      averageAbsMax: avg,
    });
  }

  private computeNonlinearityGain(): number {
    const io = this.io;
    const n = this.state.nonlinearity;
    if (!n || !(io.slope_calibration > 0)) return 1;
    let mean = 0;
    for (let i = 0; i < n.length; i++) mean += M.abs(n[i]);
    mean /= n.length;
    const f = 1 + (mean + io.r_series) * io.slope_calibration * (io.out_bound > 0 ? io.out_bound : 1);
    return f * f;
  }

  /**
   * AVERAGE_ABS_MAX: fold one vector's abs-max into the running average, in batch order (as the C++ CPU
   * engine, per vector); the first vector sets it. Returns the new average.
   */
  nextAverageAbsMax(absMax: number): number {
    const prev = this.state.averageAbsMax;
    // In float32 like AIHWKit's running average: over thousands of vectors the float64 sum drifts
    // from it by ~1e-5 relative, enough to move outputs to another ADC level.
    const f = M.fround;
    const d = f(this.io.nm_decay);
    this.state.averageAbsMax = Number.isNaN(prev) ? f(absMax) : f(f(prev * f(1 - d)) + f(d * f(absMax)));
    return this.state.averageAbsMax;
  }

  /** Drawn-once per-output arrays (read-only use by the tfjs kernel). */
  get perOutput(): Readonly<Pick<IOPipelineState, 'outNoise' | 'nonlinearity' | 'vOffset'>> {
    return this.state;
  }

  get outputNonlinearityGain(): number {
    return this.nonlinearityGain;
  }

  /** The noise-management scale α of every batch row (reference §1.4). */
  private noiseManagement(
    x: Float32Array,
    batch: number,
    alpha: Float64Array,
    type = this.io.noise_management,
  ): Float64Array {
    const K = this.inSize;
    const io = this.io;
    const thres = io.nm_thres;
    for (let b = 0; b < batch; b++) {
      const o = b * K;
      let a: number;
      switch (type) {
        case 'NONE':
          a = 1;
          break;
        case 'CONSTANT':
          a = thres > 0 ? thres : 1;
          break;
        case 'MAX': {
          a = -Infinity;
          for (let j = 0; j < K; j++) if (x[o + j] > a) a = x[o + j];
          if (thres > 0) a = M.min(a, thres);
          break;
        }
        case 'ABS_MAX':
        case 'AVERAGE_ABS_MAX':
        case 'ABS_MAX_NP_SUM': {
          a = 0;
          let pos = 0;
          let neg = 0;
          if (type === 'ABS_MAX_NP_SUM') {
            for (let j = 0; j < K; j++) {
              const v = x[o + j];
              const av = M.abs(v);
              if (av > a) a = av;
              if (v > 0) pos += v;
              else neg -= v;
            }
          } else {
            // Without the sums: their sign test is a branch the CPU mispredicts on mixed-sign inputs.
            for (let j = 0; j < K; j++) {
              const av = M.abs(x[o + j]);
              if (av > a) a = av;
            }
          }
          if (type === 'AVERAGE_ABS_MAX') a = this.nextAverageAbsMax(a);
          if (thres > 0) a = M.min(a, thres);
          if (type === 'ABS_MAX_NP_SUM') {
            const bound = io.out_bound > 0 ? io.out_bound : 1;
            let t = (M.max(pos, neg) * io.nm_assumed_wmax) / bound;
            if (this.inStep > 0) t = M.min(t, (a / this.inStep) * io.max_bm_res);
            a = M.max(a, t);
          }
          break;
        }
      }
      alpha[b] = a;
    }
    return alpha;
  }

  /**
   * y = MVM(x) for a batch of row vectors x ([batch, K] → [batch, N]), with all configured
   * non-idealities. `rng` supplies every random draw, in a fixed order.
   */
  run(x: Float32Array, batch: number, mvm: MvmMatrix, rng: Rng): Float32Array {
    const io = this.io;
    const K = this.inSize;
    const N = this.outSize;
    if (x.length !== batch * K)
      throw new Error(`IO pipeline: input has ${x.length} values, expected ${batch}×${K}`);
    if (io.is_perfect || io.mv_type === 'IDEAL') {
      const y = mvm.product(x, batch);
      if (io.out_scale !== 1) for (let k = 0; k < y.length; k++) y[k] *= io.out_scale;
      return y;
    }
    const nmActive = io.noise_management !== 'NONE';
    const bm = this.boundManagement;
    if (this.alphaBuffer.length < batch) {
      this.alphaBuffer = new Float64Array(batch);
      this.rhoBuffer = new Float64Array(batch);
    }
    const alpha = this.noiseManagement(x, batch, this.alphaBuffer);
    const rho = this.rhoBuffer.fill(1, 0, batch);
    const y = new Float32Array(batch * N);
    let rows: number[] = [];
    for (let b = 0; b < batch; b++) {
      if (nmActive && !(alpha[b] > 0)) {
        if (io.inp_noise <= 0) continue; // all-zero (or non-positive MAX) input: output 0, as C++
        alpha[b] = 1;
      }
      rows.push(b);
    }
    const bmLimit = this.inStep > 0 ? io.max_bm_res / this.inStep : Infinity;
    let worstCaseSecondPass = false;
    while (rows.length > 0) {
      const n = rows.length;
      const v = this.prepareInput(x, rows, alpha, rho, rng);
      const z = mvm.product(v, n);
      this.applyMacNonIdealities(v, z, n, mvm, rng);
      const failed = this.finalizeOutput(z, n, rng);
      const retry: number[] = [];
      for (let r = 0; r < n; r++) {
        const b = rows[r];
        const again =
          failed[r] === 1 &&
          bm !== 'NONE' &&
          !worstCaseSecondPass &&
          (bm === 'ITERATIVE_WORST_CASE' || !(rho[b] > io.max_bm_factor || rho[b] > bmLimit));
        if (again) {
          retry.push(b);
          continue;
        }
        const scale = io.out_scale * alpha[b] * rho[b];
        for (let i = 0; i < N; i++) y[b * N + i] = z[r * N + i] * scale;
      }
      if (retry.length > 0) {
        if (bm === 'ITERATIVE_WORST_CASE') {
          // Second (last) pass: NM recomputed as ABS_MAX_NP_SUM, reduction factor back to 1.
          const sub = new Float32Array(retry.length * K);
          retry.forEach((b, r) => sub.set(x.subarray(b * K, (b + 1) * K), r * K));
          const npSum = this.noiseManagement(
            sub,
            retry.length,
            new Float64Array(retry.length),
            'ABS_MAX_NP_SUM',
          );
          retry.forEach((b, r) => {
            alpha[b] = npSum[r] > 0 ? npSum[r] : 1;
            rho[b] = 1;
          });
          worstCaseSecondPass = true;
        } else {
          for (const b of retry) rho[b] *= 2;
        }
      }
      rows = retry;
    }
    return y;
  }

  /** DAC: scale by 1/(α·ρ), quantize, clip, input noise, asymmetry. */
  private prepareInput(x: Float32Array, rows: number[], alpha: Float64Array, rho: Float64Array, rng: Rng) {
    const io = this.io;
    const K = this.inSize;
    const step = this.inStep;
    const sto = io.inp_sto_round && step > 0;
    const bound = io.inp_bound > 0 ? io.inp_bound : Infinity;
    const noise = io.inp_noise;
    const asym = io.inp_asymmetry !== 0 ? 1 - io.inp_asymmetry : 1;
    const nmActive = io.noise_management !== 'NONE';
    const count = rows.length * K;
    if (this.inputBuffer.length < count) this.inputBuffer = new Float32Array(count);
    const v = this.inputBuffer.subarray(0, count);
    // Per element, in this order: the rounding jitter (stochastic rounding), then the input noise.
    const { normals, jitters } = this.randoms.draw(count, noise > 0, sto, true, rng);
    for (let r = 0; r < rows.length; r++) {
      const b = rows[r];
      // float32 as AIHWKit (scale = fl(fl(1/α)/ρ), value = fl(x·scale)): the abs-max input lands exactly
      // on a DAC rounding tie when ρ = 2 (x/α = 1 → 31.5 steps), and float32 decides which way it goes.
      const s = M.fround((nmActive ? M.fround(1 / alpha[b]) : 1) / rho[b]);
      const xo = b * K;
      const vo = r * K;
      for (let j = 0; j < K; j++) {
        const k = vo + j;
        let u = M.fround(x[xo + j] * s);
        // quantize(u, step, jitter), inlined (the jitter is added even when 0: it turns −0 into +0).
        if (step > 0) u = M.fround(step * roundHalfEven(M.fround(u / step) + (sto ? jitters[k] : 0)));
        if (u > bound) u = bound;
        else if (u < -bound) u = -bound;
        if (noise > 0) u += noise * normals[k];
        if (asym !== 1 && u < 0) u *= asym;
        v[k] = u;
      }
    }
    return v;
  }

  /** IR drop, voltage offsets / series resistance, output-referred weight noise (reference §1.6). */
  private applyMacNonIdealities(v: Float32Array, z: Float32Array, n: number, mvm: MvmMatrix, rng: Rng): void {
    const io = this.io;
    const K = this.inSize;
    const N = this.outSize;
    if (io.ir_drop > 0) {
      const absV = v.map(M.abs);
      const a = mvm.absProduct(absV, n);
      const vPrime = new Float32Array(v.length);
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < K; j++) {
          const t = 1 - j / K;
          vPrime[r * K + j] = v[r * K + j] * (1 - t * t);
        }
      }
      const zPrime = mvm.product(vPrime, n);
      const scale = K / io.ir_drop_g_ratio;
      for (let k = 0; k < z.length; k++) {
        const ai = a[k] * scale;
        const c = ai * (ai * (0.05 * ai - 0.2) + 0.5);
        z[k] -= c * io.ir_drop * zPrime[k];
      }
    }
    const offsets = this.state.vOffset;
    if (offsets) {
      const rs = io.r_series;
      for (let r = 0; r < n; r++) {
        let sumV = 0;
        for (let j = 0; j < K; j++) sumV += v[r * K + j];
        const yRef = -io.v_offset_w_min * sumV;
        for (let i = 0; i < N; i++) {
          const o = offsets[i];
          const zi = z[r * N + i];
          let out: number;
          if (io.v_offset_w_min === 0) {
            out = rs > 0 ? ((1 - o) * zi) / (1 + M.min(rs * M.abs(zi), R_SERIES_MAX)) : (1 - o) * zi;
          } else if (rs > 0) {
            out =
              ((1 - o) * (zi + yRef)) / (1 + M.min(rs * M.abs(zi + yRef), R_SERIES_MAX)) -
              ((1 + o) * yRef) / (1 + M.min(rs * M.abs(yRef), R_SERIES_MAX));
          } else {
            out = (1 - o) * zi - 2 * o * yRef;
          }
          z[r * N + i] = out;
        }
      }
    }
    if (io.w_noise > 0 && io.w_noise_type !== 'NONE') {
      if (io.w_noise_type === 'ADDITIVE_CONSTANT') {
        for (let r = 0; r < n; r++) {
          let s2 = 0;
          for (let j = 0; j < K; j++) s2 += v[r * K + j] * v[r * K + j];
          const std = io.w_noise * M.sqrt(s2);
          for (let i = 0; i < N; i++) z[r * N + i] += std * rng.normal();
        }
      } else {
        const v2 = v.map((u) => u * u);
        const s = mvm.absProduct(v2, n);
        for (let k = 0; k < z.length; k++) z[k] += io.w_noise * M.sqrt(M.max(s[k], 0)) * rng.normal();
      }
    }
  }

  /**
   * ADC, in place: nonlinearity → asymmetry → output noise → quantize → clip. Returns per row 1 if the
   * bound test failed (a value beyond +out_bound, or −out_bound when bm_test_negative_bound).
   */
  private finalizeOutput(z: Float32Array, n: number, rng: Rng): Uint8Array {
    const io = this.io;
    const N = this.outSize;
    if (this.failedBuffer.length < n) this.failedBuffer = new Uint8Array(n);
    const failed = this.failedBuffer;
    // float32 like the values (AIHWKit computes in float32); the top ADC level can lie just above it
    // (see quantizationStep), and then fails the test as in AIHWKit.
    const bound = io.out_bound > 0 ? M.fround(io.out_bound) : Infinity;
    const step = this.outStep;
    const sto = io.out_sto_round && step > 0;
    const asym = io.out_asymmetry !== 0 ? 1 - io.out_asymmetry : 1;
    const perOutputNoise = this.state.outNoise;
    const nonlin = this.state.nonlinearity;
    const gain = this.nonlinearityGain;
    const noise = io.out_noise;
    const testNegative = io.bm_test_negative_bound;
    // Per element, in this order: the output noise, then the rounding jitter (stochastic rounding).
    const drawNoise = perOutputNoise !== null || noise > 0;
    const { normals, jitters } = this.randoms.draw(n * N, drawNoise, sto, false, rng);
    for (let r = 0; r < n; r++) {
      let fail = 0;
      for (let i = 0; i < N; i++) {
        const k = r * N + i;
        let u = z[k];
        if (nonlin) u = (gain * u) / (1 + M.abs(nonlin[i] * u));
        if (asym !== 1 && u < 0) u *= asym;
        if (perOutputNoise) u += perOutputNoise[i] * normals[k];
        else if (noise > 0) u += noise * normals[k];
        // quantize(u, step, jitter), inlined (the jitter is added even when 0: it turns −0 into +0).
        if (step > 0)
          u = M.fround(step * roundHalfEven(M.fround(M.fround(u) / step) + (sto ? jitters[k] : 0)));
        if (u > bound) {
          u = bound;
          fail = 1;
        } else if (u < -bound) {
          u = -bound;
          if (testNegative) fail = 1;
        }
        z[k] = u;
      }
      failed[r] = fail;
    }
    return failed;
  }
}
