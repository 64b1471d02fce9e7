/** sim-core's version, recorded in checkpoints and results for reproducibility. */
export const SIM_CORE_VERSION = '0.1.0';
