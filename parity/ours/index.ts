/** Our side of every case kind. */
import type { ParityCaseKind } from '../case-schema';
import type { KindModule } from './kind';
import { deviceCurve } from './device-curve';
import { driftTable } from './drift-table';
import { example1 } from './example1';
import { fcFashion } from './fc-fashion';
import { clipRemap, driftCompensation, weightModifier } from './inference-tile';
import { layerBackward } from './layer-backward';
import { noiseModel } from './noise-model';
import { pulsedUpdate } from './pulsed-update';
import { tileIO } from './tile-io';

export const KINDS: { [K in ParityCaseKind]: KindModule<K> } = {
  'tile-io': tileIO,
  'pulsed-update': pulsedUpdate,
  'device-curve': deviceCurve,
  'layer-backward': layerBackward,
  'noise-model': noiseModel,
  'drift-compensation': driftCompensation,
  'weight-modifier': weightModifier,
  'clip-remap': clipRemap,
  example1,
  'fc-fashion': fcFashion,
  'drift-table': driftTable,
};
