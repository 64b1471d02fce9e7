/**
 * Pulse-train length BL and probability scales A (for d) and B (for x) of one update-vector pair
 * (reference §2.3). The expected number of coincidences at (i, j) is BL·(A|d_i|)·(B|x_j|) = λ|x_j||d_i|/ε
 * while both probabilities stay ≤ 1.
 */
import type { UpdateParameters } from '../configs/update';

/** Local alias: looking up the global `Math` inside a vm context (jest) is ~100× slower than this. */
const M = Math;

export interface PulseSchedule {
  /** Number of time slots (0: no update). */
  bl: number;
  /** Scale of the d-line probabilities: p_d,i = A·|d_i|. */
  A: number;
  /** Scale of the x-line probabilities: p_x,j = B·|x_j|. */
  B: number;
}

export function maxAbs(v: Float32Array, offset: number, length: number): number {
  let m = 0;
  for (let k = offset; k < offset + length; k++) {
    const a = M.abs(v[k]);
    if (a > m) m = a;
  }
  return m;
}

/**
 * @param lr the learning rate λ (its sign sets the direction elsewhere; magnitudes use |λ|)
 * @param xMax max|x| of this sample
 * @param dMaxRaw max|d| of this sample
 * @param eps the device granularity ε
 */
export function pulseSchedule(
  up: UpdateParameters,
  lr: number,
  xMax: number,
  dMaxRaw: number,
  eps: number,
): PulseSchedule {
  const lambda = M.abs(lr);
  if (lambda === 0) return { bl: 0, A: 0, B: 0 };
  const ublm = up.update_bl_management;
  // Update management is forced on with update-BL management (as AIHWKit).
  const um = up.update_management || ublm;
  const desired = up.desired_bl;
  let bl: number;
  let A: number;
  let B: number;
  if (!ublm && !um) {
    if (up.fixed_bl || eps * desired >= lambda) {
      bl = desired;
      A = B = M.sqrt(lambda / (eps * bl));
    } else {
      bl = M.max(M.ceil(lambda / eps), 1);
      A = B = 1;
    }
    return { bl, A, B };
  }
  let dMax = up.um_grad_scale * dMaxRaw;
  if (!(xMax > 0) || !(dMax > 0)) return { bl: 0, A: 0, B: 0 };
  const k = (lambda * xMax * dMax) / eps;
  if (ublm) {
    bl = M.min(M.ceil(k), desired);
    A = B = M.sqrt(lambda / (eps * bl));
  } else if (up.fixed_bl || eps * desired >= lambda) {
    bl = desired;
    A = B = M.sqrt(lambda / (eps * bl));
  } else {
    bl = M.max(M.ceil(lambda / eps), 1);
    A = B = 1;
  }
  // UM: balance the x and d probabilities; when k exceeds desired_bl, d (not x) takes the clipping.
  if (k > desired) dMax *= desired / k;
  A *= M.sqrt(xMax / dMax);
  B *= M.sqrt(dMax / xMax);
  return { bl, A, B };
}

/**
 * Discretize a probability to the update resolution `res` (≤ 0: continuous). As AIHWKit (reference §10
 * item 6), a res > 1 is used as given, not inverted as the IO resolutions are.
 */
export function discretizeProbability(
  p: number,
  res: number,
  stoRound: boolean,
  rng: { uniform(): number },
): number {
  if (!(res > 0)) return p;
  return res * (stoRound ? M.floor(p / res + rng.uniform()) : M.round(p / res));
}
