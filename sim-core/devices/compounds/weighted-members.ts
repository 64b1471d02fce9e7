/**
 * What the unit cells made of several device arrays share (VectorUnitCell, ReferenceUnitCell,
 * TransferCompound): the visible weight is Σ γ_k w_k over the members, and the per-update life cycle
 * (post-update step, decay, diffusion, column resets) goes to every member and then re-reads that sum.
 */
import type { Rng } from '../../random/rng';
import type { WeightMatrix } from '../../tile/weight-matrix';
import type { DeviceArray } from '../device-array';

export abstract class WeightedMembersArray<Member extends DeviceArray> {
  abstract readonly weights: WeightMatrix;
  abstract readonly members: Member[];
  abstract readonly gamma: number[];

  /** Recompute the visible weights Σ γ_k w_k (members with γ_k = 0 are left out). */
  protected refresh(): void {
    const w = this.weights.data;
    w.fill(0);
    this.members.forEach((m, k) => {
      const g = this.gamma[k];
      if (g === 0) return;
      const mw = m.weights.data;
      for (let i = 0; i < w.length; i++) w[i] += g * mw[i];
    });
    this.weights.touch();
  }

  postUpdateStep(rng: Rng): void {
    for (const m of this.members) m.postUpdateStep(rng);
    this.refresh();
  }

  decayWeights(rng: Rng, alpha = 1): void {
    for (const m of this.members) m.decayWeights(rng, alpha);
    this.refresh();
  }

  diffuseWeights(rng: Rng): void {
    for (const m of this.members) m.diffuseWeights(rng);
    this.refresh();
  }

  resetColumns(columns: number[], rng: Rng): void {
    for (const m of this.members) m.resetColumns(columns, rng);
    this.refresh();
  }
}
