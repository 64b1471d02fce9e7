/**
 * sim-core's configuration vocabulary: zod schemas with AIHWKit's names and Python defaults, and the
 * presets. These files import only `zod`, so they can be bundled into Temporal's workflow sandbox.
 * `Schema.parse({ type })` (or `.parse({})` for the parameter groups) yields every default.
 */
export * from './enums';
export * from './io';
export * from './update';
export * from './drift';
export * from './devices';
export * from './compounds';
export * from './mapping';
export * from './inference';
export * from './rpu-config';
export * from './layers';
export * from './training';
export * from './dataset';
export * from './validate';
export * from './presets/devices';
export * from './presets/configs';
