/**
 * Coincidence-based pulsed update, typed-array kernel (reference §2.4). Samples are processed in batch
 * order, slots in time order, so a nonlinear device sees the same sequence of steps as in AIHWKit's CPU
 * engine. Per slot only the firing lines are listed, so the cost follows the number of coincidences.
 */
import type { UpdateParameters } from '../configs/update';
import type { Rng } from '../random/rng';
import * as schedule from './pulse-schedule';

/** Module-local bindings: calling an import through the CJS interop getter in a hot loop is slow. */
const { discretizeProbability, maxAbs, pulseSchedule } = schedule;

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

const TWO_POW_32 = 4294967296;

/** What a pulsed update writes to: a device array's update-once rule. */
export interface CoincidenceSink {
  /**
   * One time slot: every (d line, x line) pair is one coincidence. A coincidence whose
   * sign(d)·sign(x)·sign(λ) is positive is a DOWN step (the weight decreases), else UP.
   */
  applySlot(
    dIdx: Int32Array,
    dSign: Int8Array,
    nd: number,
    xIdx: Int32Array,
    xSign: Int8Array,
    nx: number,
    rng: Rng,
  ): void;
  /** |count| update-once steps at one cross point, DOWN if `down`. */
  applyCount(row: number, col: number, count: number, down: boolean, rng: Rng): void;
  /** Called before each update vector (sample); unit cells choose the device to update here. */
  beginVector?(rng: Rng): void;
}

export interface PulseStats {
  /** Sum of BL over the samples. */
  slots: number;
  coincidences: number;
}

/**
 * Run the pulsed update of a batch: x [batch, cols], d [batch, rows]. `eps` is the device granularity.
 * Pulse types NONE / NONE_WITH_DEVICE are exact updates and handled by the device, not here.
 */
export function pulsedUpdate(
  sink: CoincidenceSink,
  x: Float32Array,
  d: Float32Array,
  batch: number,
  rows: number,
  cols: number,
  lr: number,
  up: UpdateParameters,
  eps: number,
  rng: Rng,
): PulseStats {
  const stats: PulseStats = { slots: 0, coincidences: 0 };
  if (lr === 0) return stats;
  const lrSign = lr > 0 ? 1 : -1;
  const xLines = new ActiveLines(cols);
  const dLines = new ActiveLines(rows);
  const xFire = new Int32Array(cols);
  const xFireSign = new Int8Array(cols);
  const dFire = new Int32Array(rows);
  const dFireSign = new Int8Array(rows);
  /** One uniform 32-bit draw per active line and slot: d lines first, then x lines. */
  const draws = new Uint32Array(rows + cols);
  const mode = up.pulse_type;
  for (let b = 0; b < batch; b++) {
    const xo = b * cols;
    const dOff = b * rows;
    sink.beginVector?.(rng);
    const xMax = maxAbs(x, xo, cols);
    const dMax = maxAbs(d, dOff, rows);
    const s = pulseSchedule(up, lr, xMax, dMax, eps);
    if (s.bl === 0) continue;
    // Active lines with their probabilities (x first, then d: the order of the draws of sto_round).
    const nxAll = xLines.collect(x, xo, cols, s.B, 1, up, rng);
    // The learning-rate sign is folded into the d signs.
    const ndAll = dLines.collect(d, dOff, rows, s.A, lrSign, up, rng);
    if (nxAll === 0 || ndAll === 0) continue;
    if (mode === 'MEAN_COUNT' || mode === 'DETERMINISTIC_IMPLICIT') {
      stats.coincidences += deterministicCounts(sink, s.bl, up, xLines, nxAll, dLines, ndAll, rng);
      stats.slots += s.bl;
      continue;
    }
    // STOCHASTIC_COMPRESSED (and STOCHASTIC: separate trains for the two signs are statistically the same).
    for (let t = 0; t < s.bl; t++) {
      // The x lines are drawn even when no d line fired, so the stream does not depend on the outcome.
      rng.fillUint32(draws, 0, ndAll + nxAll);
      const nd = dLines.firing(draws, 0, ndAll, dFire, dFireSign);
      const nx = xLines.firing(draws, ndAll, nxAll, xFire, xFireSign);
      if (nd > 0 && nx > 0) {
        sink.applySlot(dFire, dFireSign, nd, xFire, xFireSign, nx, rng);
        stats.coincidences += nd * nx;
      }
    }
    stats.slots += s.bl;
  }
  return stats;
}

/** The lines of one side (x or d) of a sample that may fire: index, sign and firing threshold. */
class ActiveLines {
  readonly index: Int32Array;
  readonly sign: Int8Array;
  /** Firing probability × 2^32: a line fires in a slot when its uniform 32-bit draw is below it. */
  readonly threshold: Float64Array;

  constructor(size: number) {
    this.index = new Int32Array(size);
    this.sign = new Int8Array(size);
    this.threshold = new Float64Array(size);
  }

  /**
   * Collects the lines v[offset + k] (k < n) with a positive probability scale·|v|, discretized to
   * the update resolution; `signFactor` multiplies the signs. Returns how many.
   */
  collect(
    v: Float32Array,
    offset: number,
    n: number,
    scale: number,
    signFactor: number,
    up: UpdateParameters,
    rng: Rng,
  ): number {
    const res = up.res;
    const stoRound = up.sto_round;
    const { index, sign, threshold } = this;
    let count = 0;
    if (!(res > 0)) {
      // Continuous probabilities, no draws: every line is written, and the count only moves on for
      // one with p > 0 (branch-free: on gradients of random sign a skip branch is mispredicted half
      // the time). Same lines, signs and thresholds as the loop below.
      for (let k = 0; k < n; k++) {
        const value = v[offset + k];
        const p = scale * M.abs(value);
        index[count] = k;
        sign[count] = +(value > 0) * 2 * signFactor - signFactor;
        threshold[count] = p * TWO_POW_32;
        count += +(p > 0);
      }
      return count;
    }
    for (let k = 0; k < n; k++) {
      const value = v[offset + k];
      if (value === 0) continue;
      const p =
        res > 0 ? discretizeProbability(scale * M.abs(value), res, stoRound, rng) : scale * M.abs(value);
      if (!(p > 0)) continue;
      index[count] = k;
      sign[count] = value > 0 ? signFactor : -signFactor;
      threshold[count] = p * TWO_POW_32;
      count++;
    }
    return count;
  }

  /** The lines among the first `n` whose draw (draws[offset + a]) is below their threshold. */
  firing(draws: Uint32Array, offset: number, n: number, fire: Int32Array, fireSign: Int8Array): number {
    const { index, sign, threshold } = this;
    let count = 0;
    // Branch-free (each line fires at random, so a branch here was mispredicted about half the time):
    // every line is written at the next place, which only the firing ones keep.
    for (let a = 0; a < n; a++) {
      fire[count] = index[a];
      fireSign[count] = sign[a];
      count += +(draws[offset + a] < threshold[a]);
    }
    return count;
  }
}

/** MEAN_COUNT and DETERMINISTIC_IMPLICIT: deterministic coincidence counts per cross point. */
function deterministicCounts(
  sink: CoincidenceSink,
  bl: number,
  up: UpdateParameters,
  xLines: ActiveLines,
  nx: number,
  dLines: ActiveLines,
  nd: number,
  rng: Rng,
): number {
  const { index: xIdx, sign: xSign, threshold: xThr } = xLines;
  const { index: dIdx, sign: dSign, threshold: dThr } = dLines;
  const implicit = up.pulse_type === 'DETERMINISTIC_IMPLICIT';
  const quant = (p: number, res: number) => (res > 0 ? res * M.round(p / res) : p);
  const level = (thr: number, res: number) => {
    const p = thr / TWO_POW_32;
    return implicit ? M.min(M.max(quant(p, res), 0), 1) : M.min(M.max(M.round(bl * p), 0), bl);
  };
  const qx = new Float64Array(nx);
  for (let b = 0; b < nx; b++) qx[b] = level(xThr[b], up.x_res_implicit) * xSign[b];
  let total = 0;
  for (let a = 0; a < nd; a++) {
    const qd = level(dThr[a], up.d_res_implicit) * dSign[a];
    if (qd === 0) continue;
    for (let b = 0; b < nx; b++) {
      if (qx[b] === 0) continue;
      const c = implicit ? M.round(bl * qd * qx[b]) : M.round((qd / bl) * qx[b]);
      if (c === 0) continue;
      sink.applyCount(dIdx[a], xIdx[b], M.abs(c), c > 0, rng);
      total += M.abs(c);
    }
  }
  return total;
}
