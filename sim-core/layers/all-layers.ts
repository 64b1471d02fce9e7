/**
 * The sequential model with every layer type registered: the core layers (sequential.ts) and the
 * image layers (image-layers.ts). Build models through this module.
 */
import './image-layers';

export { Sequential, registerLayerBuilder } from './sequential';
