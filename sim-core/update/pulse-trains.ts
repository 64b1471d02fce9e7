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
  const xIdxAll = new Int32Array(cols);
  const dIdxAll = new Int32Array(rows);
  const xThr = new Float64Array(cols);
  const dThr = new Float64Array(rows);
  const xSignAll = new Int8Array(cols);
  const dSignAll = new Int8Array(rows);
  const xFire = new Int32Array(cols);
  const xFireSign = new Int8Array(cols);
  const dFire = new Int32Array(rows);
  const dFireSign = new Int8Array(rows);
  const uniform = () => rng.uniform();
  const mode = up.pulse_type;
  for (let b = 0; b < batch; b++) {
    const xo = b * cols;
    const dOff = b * rows;
    sink.beginVector?.(rng);
    const xMax = maxAbs(x, xo, cols);
    const dMax = maxAbs(d, dOff, rows);
    const s = pulseSchedule(up, lr, xMax, dMax, eps);
    if (s.bl === 0) continue;
    // Active lines with their probabilities (as thresholds on a uniform 32-bit draw).
    let nxAll = 0;
    for (let j = 0; j < cols; j++) {
      const v = x[xo + j];
      if (v === 0) continue;
      const p =
        up.res > 0 ? discretizeProbability(s.B * M.abs(v), up.res, up.sto_round, uniform) : s.B * M.abs(v);
      if (!(p > 0)) continue;
      xIdxAll[nxAll] = j;
      xSignAll[nxAll] = v > 0 ? 1 : -1;
      xThr[nxAll] = p * TWO_POW_32;
      nxAll++;
    }
    let ndAll = 0;
    for (let i = 0; i < rows; i++) {
      const v = d[dOff + i];
      if (v === 0) continue;
      const p =
        up.res > 0 ? discretizeProbability(s.A * M.abs(v), up.res, up.sto_round, uniform) : s.A * M.abs(v);
      if (!(p > 0)) continue;
      dIdxAll[ndAll] = i;
      // The learning-rate sign is folded into the d signs.
      dSignAll[ndAll] = (v > 0 ? 1 : -1) * lrSign;
      dThr[ndAll] = p * TWO_POW_32;
      ndAll++;
    }
    if (nxAll === 0 || ndAll === 0) continue;
    if (mode === 'MEAN_COUNT' || mode === 'DETERMINISTIC_IMPLICIT') {
      stats.coincidences += deterministicCounts(
        sink,
        s.bl,
        up,
        xIdxAll,
        xSignAll,
        xThr,
        nxAll,
        dIdxAll,
        dSignAll,
        dThr,
        ndAll,
        rng,
      );
      stats.slots += s.bl;
      continue;
    }
    // STOCHASTIC_COMPRESSED (and STOCHASTIC: separate trains for the two signs are statistically the same).
    for (let t = 0; t < s.bl; t++) {
      let nd = 0;
      for (let a = 0; a < ndAll; a++) {
        if (rng.nextUint32() < dThr[a]) {
          dFire[nd] = dIdxAll[a];
          dFireSign[nd] = dSignAll[a];
          nd++;
        }
      }
      // Draw the x lines even when no d line fired, so the stream does not depend on the outcome.
      let nx = 0;
      for (let a = 0; a < nxAll; a++) {
        if (rng.nextUint32() < xThr[a]) {
          xFire[nx] = xIdxAll[a];
          xFireSign[nx] = xSignAll[a];
          nx++;
        }
      }
      if (nd > 0 && nx > 0) {
        sink.applySlot(dFire, dFireSign, nd, xFire, xFireSign, nx, rng);
        stats.coincidences += nd * nx;
      }
    }
    stats.slots += s.bl;
  }
  return stats;
}

/** MEAN_COUNT and DETERMINISTIC_IMPLICIT: deterministic coincidence counts per cross point. */
function deterministicCounts(
  sink: CoincidenceSink,
  bl: number,
  up: UpdateParameters,
  xIdx: Int32Array,
  xSign: Int8Array,
  xThr: Float64Array,
  nx: number,
  dIdx: Int32Array,
  dSign: Int8Array,
  dThr: Float64Array,
  nd: number,
  rng: Rng,
): number {
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
