/**
 * The meaning of every field of the experiment document, for the generated documentation: units, and the
 * AIHWKit meaning where the field comes from AIHWKit (§ numbers refer to `analog-simulation.md`). Keyed by
 * field name, or by `Section.field` where one name means different things in different places. A test
 * fails when a field of the schema has no entry here.
 */

const DTOD = 'device-to-device variation (drawn once per cross-point)';

export const FIELD_NOTES: Record<string, string> = {
  // ---- the envelope ----
  apiVersion: 'Version of this document format.',
  kind: '`training` or `inference`.',
  name: 'A short title shown in lists.',
  description: 'Free text: what the experiment is for.',
  tags: 'Labels for searching and grouping.',
  execution: 'Where and how urgently the experiment runs.',
  queue:
    'Task queue of the workflow and its compute: `cpu`, `gpu` or `imc` (the in-memory-computing hardware queue).',
  priority: "1 (most urgent) to 5; Temporal's priority key among experiments waiting on the same queue.",
  dataset: 'The data set and the subsets used.',
  model: 'The network: an ordered list of layers (an AIHWKit `AnalogSequential`).',
  layers: "The layers in order; the first receives the data set's images (1×28×28).",
  'TrainingExperiment.rpu_config':
    "RPU configuration of every analog layer without its own (AIHWKit's default for `AnalogLinear` is `SingleRPUConfig()`: analog training on a ConstantStepDevice). A preset name may stand here.",
  'InferenceExperiment.rpu_config':
    'RPU configuration (an InferenceRPUConfig with noise model and drift compensation) of every analog layer without its own. An InferenceRPUConfig preset name may stand here.',
  rpu_config:
    "This layer's own RPU configuration, replacing the experiment's `rpu_config` (a preset name may stand here).",
  training: 'How the model is trained.',
  'TrainingExperiment.inference':
    'Optional drift study after training: program the trained weights, let them drift and evaluate (needs InferenceRPUConfig on every analog layer).',
  'InferenceExperiment.inference':
    'The drift study: when to evaluate after programming, how often to repeat it.',
  weights: 'Where the weights to program come from.',

  // ---- data sets ----
  'MnistSpec.name': 'MNIST handwritten digits (60,000 training and 10,000 test images, 10 classes).',
  'FashionMnistSpec.name':
    'Fashion-MNIST clothing images (60,000 training and 10,000 test images, 10 classes).',
  train_size: 'Use the first n training images (a fixed subset, for short runs); null: all of them.',
  test_size: 'Evaluate on the first n test images; null: all of them.',
  normalize:
    "Pixel normalisation (x − mean)/std after scaling to [0, 1]; null: [0, 1] only (AIHWKit's ToTensor). Fashion-MNIST defaults to BasicTraining's 0.2860/0.3205.",
  mean: 'Mean subtracted from every pixel (pixels in [0, 1]).',
  std: 'Standard deviation every pixel is divided by.',

  // ---- training and inference runs ----
  'TrainingRunSpec.batch_size': 'Mini-batch size (BasicTraining: 64).',
  epochs: 'Passes over the training set (BasicTraining: 30).',
  optimizer: 'The optimizer (AnalogSGD).',
  scheduler: 'Learning-rate schedule; null keeps the learning rate constant.',
  'TrainingRunSpec.loss': 'Training loss (BasicTraining: NLLLoss; pair it with a final LogSoftmax).',
  'InferenceRunSpec.loss': 'Loss reported next to the accuracy (BasicInferencing: CrossEntropyLoss).',
  'TrainingRunSpec.seed':
    'Seed of weight initialisation, data shuffling and every stochastic device effect: the same seed gives the same run.',
  'InferenceEvaluationSpec.seed': 'Seed of programming noise, drift exponents and read noise.',
  'InferenceRunSpec.seed': 'Seed of programming noise, drift exponents and read noise.',
  'WeightsSpec (source "initialization").seed':
    "Seed of the model's initialisation (torch's default initialisation of each layer).",
  checkpoint_every:
    'A checkpoint is written every this many epochs (and after the last); after a crash training resumes from the last one.',
  checkpoint_every_batches:
    'When set, a checkpoint is written every this many mini-batches (counted across epoch ends) instead of every `checkpoint_every` epochs: pause and crash recovery then act at that grain. Useful for long epochs.',
  t_inference:
    'Seconds after programming at which the drifted weights are evaluated (BasicInferencing: 0 and nine log-spaced times up to one day). At t = 0 PCM read noise already applies (it is read at t_0 = 20 s, §5.3).',
  repeats:
    'Independent programming draws; each is evaluated at every t_inference and the accuracy is averaged (BasicInferencing: 2).',
  'InferenceEvaluationSpec.batch_size': 'Evaluation mini-batch size (BasicInferencing: 10).',
  'InferenceRunSpec.batch_size': 'Evaluation mini-batch size (BasicInferencing: 10).',
  source:
    '`experiment`: the final weights of a finished training experiment; `initialization`: the untrained model.',
  experiment_id:
    'Id of a completed training experiment of the same user whose weight layers match this model.',
  remap_weights:
    "Remap the loaded weights before programming (AIHWKit's `remap_analog_weights()`, which BasicInferencing applies to loaded weights).",

  // ---- optimizer and schedule ----
  lr: 'Learning rate λ; the analog tiles receive it as their update learning rate (§2.2).',
  'AnalogSGDSpec.momentum':
    'SGD momentum; applies to digital parameters only (as in AIHWKit, not to pulsed analog weights).',
  dampening: 'SGD dampening of the momentum (digital parameters only).',
  weight_decay: 'L2 weight decay (digital parameters only).',
  nesterov: 'Nesterov momentum (digital parameters only).',
  step_size: 'Epochs between learning-rate reductions (torch StepLR).',
  'StepLRSpec.gamma': 'Factor the learning rate is multiplied by every step_size epochs.',

  // ---- layers ----
  type: 'The variant, by its AIHWKit/torch class name.',
  in_features: 'Inputs of the linear layer (must equal what the previous layer produces).',
  out_features: 'Outputs of the linear layer.',
  bias: 'Whether the layer has a bias (AIHWKit keeps it digital by default, mapping.digital_bias).',
  in_channels: 'Input channels (must equal the channels the previous layer produces).',
  out_channels: 'Output channels (kernels).',
  kernel_size: 'Kernel height and width (one number for a square kernel).',
  stride: 'Step of the kernel (one number or [height, width]).',
  'MaxPool2dSpec.stride': 'Step of the pooling window; null: the kernel size (torch default).',
  'AvgPool2dSpec.stride': 'Step of the pooling window; null: the kernel size (torch default).',
  padding: 'Zero padding on each side.',
  dilation: 'Spacing between kernel elements.',
  ceil_mode: 'Round the output size up instead of down (torch).',
  count_include_pad: 'Count the zero padding in the average (torch).',
  num_features: 'Channels of the input (BatchNorm2d).',
  eps: 'Added to the variance for numerical stability (BatchNorm2d).',
  'BatchNorm2dSpec.momentum': 'Weight of the current batch in the running mean and variance (BatchNorm2d).',
  affine: 'Learn a scale and shift per channel (BatchNorm2d).',
  start_dim:
    'First dimension to flatten, counting the batch dimension as 0 (torch; default 1: everything per sample).',
  end_dim: 'Last dimension to flatten (−1: the last).',
  p: 'Probability of zeroing an activation during training.',
  negative_slope: 'Slope for negative inputs.',
  dim: 'Dimension over which the (log-)softmax is taken (1: the classes of a [batch, classes] output).',

  // ---- RPU configurations (§1.9) ----
  runtime: 'Simulation runtime settings (AIHWKit `RuntimeParameter`).',
  pre_post: 'Digital pre- and post-processing: input-range learning (§5.9).',
  mapping: 'How weights map onto tiles: digital bias, weight scaling, tile sizes (§5.8).',
  forward: 'Forward-pass IO model: DAC, ADC, noise, bound and noise management (§1.1).',
  backward: 'Backward-pass IO model (bound management is ignored there, §1.7).',
  update: 'Pulsed-update parameters (§2.1).',
  'FloatingPointRPUConfig.device': 'The device: a FloatingPointDevice (exact floating-point weights).',
  'SingleRPUConfig.device': 'The device at each cross-point (default ConstantStepDevice).',
  'UnitCellRPUConfig.device':
    'The compound device at each cross-point (a unit cell or a transfer compound, e.g. Tiki-Taka).',
  'DigitalRankUpdateRPUConfig.device': 'The digital-rank-update cell (MixedPrecisionCompound).',
  'MixedPrecisionCompound.device': 'The analog device the accumulated digital updates are transferred onto.',
  noise_model:
    'Statistical model of programming noise, conductance drift and read noise used for inference (§5.2–5.5).',
  drift_compensation: 'How the output is rescaled for the average drift (§5.7); null: none.',
  clip: 'Weight clipping after each hardware-aware training step (§5.11).',
  remap: 'Weight remapping after each hardware-aware training step (§5.11).',
  modifier: 'Weight noise injected during hardware-aware training (§5.10).',

  // ---- runtime, input range, mapping ----
  data_type: 'Floating-point type of the simulation (only FLOAT is simulated).',
  on_the_fly_bindings: 'AIHWKit: rebuild C++ bindings on the fly (no effect here).',
  offload_input: 'AIHWKit: keep stored inputs on the CPU to save GPU memory.',
  offload_gradient: 'AIHWKit: keep stored gradients on the CPU to save GPU memory.',
  input_range: 'Learned input range (clipping of the tile inputs), §5.9.',
  enable: 'Use an input range: inputs are clipped to ±r and divided by r before the DAC.',
  learn_input_range: 'Learn r by gradient descent.',
  init_value: 'Initial input range r.',
  init_from_data:
    'Number of first training batches that initialise r from the data (r ← average of init_std_alpha·std(x)).',
  init_std_alpha: 'Multiple of the input standard deviation used to initialise r.',
  decay: 'Shrinks r when most inputs lie within it (input_min_percentage).',
  input_min_percentage: 'Fraction of inputs inside the range above which r decays.',
  manage_output_clipping: 'Also shrink r when too many outputs clip (needs noise and bound management NONE).',
  output_min_percentage: 'Fraction of non-clipped outputs below which r is reduced (manage_output_clipping).',
  gradient_scale: 'Scale of the input-range gradient.',
  gradient_relative: 'Scale the input-range gradient by r.',
  calibration_info: 'Set by post-training calibration in AIHWKit; null until then.',
  digital_bias: 'Keep the bias digital (true) or as an extra analog column subject to all analog effects.',
  weight_scaling_omega:
    'ω > 0: weights are scaled so that max|W| (per output row if columnwise) maps to ω, the scale kept digitally; 0: no scaling.',
  weight_scaling_columnwise: 'Scale each output row separately (else one scale per layer).',
  weight_scaling_lr_compensation: 'Divide the learning rate by the mean scale, compensating weight scaling.',
  learn_out_scaling: 'Learn a digital output scale (per column if out_scaling_columnwise).',
  out_scaling_columnwise: 'One learned output scale per output instead of one per layer.',
  max_input_size:
    'Layers with more inputs are split over several tiles (balanced splits, §6.4); ≤ 0: no limit.',
  max_output_size: 'Layers with more outputs are split over several tiles; ≤ 0: no limit.',

  // ---- IOParameters (§1.1) ----
  is_perfect:
    'Skip every non-ideality: y = out_scale·W·x (weight modifiers and noise models still act on W).',
  mv_type: 'How the analog matrix-vector product is done (ONE_PASS: one pass with signed inputs).',
  inp_bound:
    'DAC range ±inp_bound (inputs after noise-management scaling); ≤ 0: unbounded. Must be 1 under noise management.',
  inp_noise: 'Standard deviation of Gaussian noise added to each input after the DAC.',
  inp_res:
    'DAC resolution: the step as a fraction of the range 2·inp_bound (default 1/126: 7 bits signed), a number of steps if > 1, off if ≤ 0 (§1.2).',
  inp_sto_round: 'Stochastic rounding in the DAC.',
  inp_asymmetry: 'Negative inputs are multiplied by (1 − inp_asymmetry).',
  out_bound: 'ADC range ±out_bound; ≤ 0: unbounded.',
  out_noise:
    'Standard deviation of Gaussian noise added to each output before the ADC (in units of the normalised output).',
  out_noise_std: 'Systematic per-output variation of out_noise (drawn once).',
  out_res:
    'ADC resolution: the step as a fraction of 2·out_bound (default 1/510: 9 bits), a number of steps if > 1, off if ≤ 0.',
  out_sto_round: 'Stochastic rounding in the ADC.',
  out_scale: 'Fixed digital scale of the output.',
  out_asymmetry: 'Negative outputs are multiplied by (1 − out_asymmetry).',
  bound_management:
    'What to do when outputs clip: ITERATIVE halves the inputs and recomputes until they fit (§1.5).',
  noise_management:
    'Input scaling before the DAC: ABS_MAX divides by max|x| so inputs use the full DAC range (§1.4).',
  w_noise: 'Strength of short-term weight (read) noise, redrawn at every matrix-vector product (§1.6).',
  w_noise_type: 'Kind of weight noise: ADDITIVE_CONSTANT (∝ ‖x‖) or PCM_READ (∝ √Σ|w|x²).',
  ir_drop: 'Scale of the IR-drop model (0: none).',
  ir_drop_g_ratio: 'Wire conductance over g_max, for IR drop.',
  out_nonlinearity: 'Strength of an S-shaped output nonlinearity.',
  out_nonlinearity_std: 'Per-output variation of out_nonlinearity.',
  slope_calibration: 'Calibration point of the nonlinearity slope.',
  v_offset_std: 'Per-output voltage offset variation.',
  v_offset_w_min: 'Implicit weight reference for voltage offsets.',
  r_series: 'Series resistance, as a fraction of the total current.',
  w_read_asymmetry_dtod: 'Per-device read asymmetry for negative inputs (POS_NEG_SEPARATE only).',
  max_bm_factor: 'Bound management stops when the input reduction factor exceeds this.',
  max_bm_res: 'Bound management stops when the reduction exceeds max_bm_res over the scaled DAC step.',
  bm_test_negative_bound: 'Bound management also counts hitting −out_bound as clipping.',
  nm_thres: 'CONSTANT noise management: the constant; otherwise an upper limit of the scale (0: none).',
  nm_assumed_wmax: 'Assumed maximal weight for ABS_MAX_NP_SUM noise management (C++-only parameter).',
  nm_decay: 'Running-average decay of AVERAGE_ABS_MAX noise management (C++-only parameter).',

  // ---- UpdateParameters (§2.1) ----
  desired_bl: 'Pulse-train length BL (the maximum under update_bl_management).',
  fixed_bl: 'Keep BL at desired_bl.',
  pulse_type:
    'How updates become pulses: STOCHASTIC_COMPRESSED (Bernoulli trains), DETERMINISTIC_IMPLICIT, MEAN_COUNT, NONE (exact floating-point update) (§2.4).',
  'UpdateParameters.res': 'Resolution of the pulse probabilities (≤ 0: continuous).',
  'UpdateParameters.sto_round': 'Stochastic rounding of the pulse-probability discretisation.',
  x_res_implicit: 'Bin width of x for DETERMINISTIC_IMPLICIT pulses.',
  d_res_implicit: 'Bin width of d for DETERMINISTIC_IMPLICIT pulses.',
  d_sparsity: 'Bookkeeping of d sparsity (no effect on the update).',
  update_bl_management: 'Shorten the pulse train per update vector to what the update needs.',
  update_management: 'Balance the x and d pulse probabilities by the ratio of their maxima.',
  um_grad_scale: 'Scales the d maximum inside update management (< 1 clips d earlier).',

  // ---- devices (§3.1–3.8) ----
  construction_seed: 'Seed of the per-device (hidden) parameters; 0: from the run seed.',
  corrupt_devices_prob: 'Probability that a device is stuck (zero step).',
  corrupt_devices_range: 'Range of the stuck value of a corrupt device.',
  diffusion: 'Standard deviation of a random walk of each weight per mini-batch.',
  diffusion_dtod: `Relative ${DTOD} of the diffusion rate.`,
  drift: 'Device drift of the conductances (§3.8; nu 0: none).',
  dw_min: 'Mean weight step of one pulse (the device granularity for the ConstantStep family).',
  dw_min_dtod: `Relative ${DTOD} of the step size.`,
  dw_min_dtod_log_normal: 'Draw the step-size variation log-normally (exp(dw_min_dtod·ξ)).',
  dw_min_std: 'Relative cycle-to-cycle noise of each step.',
  enforce_consistency: 'Make step sizes positive and bounds w_max ≥ 0 ≥ w_min (Python default true).',
  'FloatingPointDevice.lifetime': 'Decay lifetime of the weights, in mini-batches (0: no decay).',
  lifetime:
    'Decay lifetime, in mini-batches: weights decay towards the reset value by 1 − 1/lifetime per mini-batch (0: none).',
  lifetime_dtod: `Relative ${DTOD} of the lifetime.`,
  perfect_bias: 'The analog bias column gets ideal steps and wide bounds.',
  reset: 'Mean reset value (also the target of decay).',
  reset_dtod: `Additive ${DTOD} of the reset value.`,
  reset_std: 'Cycle-to-cycle noise of a reset.',
  up_down: 'Systematic up/down asymmetry: a positive value shrinks the down step (§10, item 4).',
  up_down_dtod: `${DTOD} of the asymmetry, relative to dw_min.`,
  w_max: 'Mean upper weight bound.',
  w_max_dtod: `Relative ${DTOD} of w_max.`,
  w_min: 'Mean lower weight bound.',
  w_min_dtod: `Relative ${DTOD} of w_min.`,
  count_pulses: 'Count pulses (GPU statistics in AIHWKit).',
  gamma_up: 'LinearStep: the up step shrinks by this fraction towards the upper bound.',
  gamma_down: 'LinearStep: the down step shrinks by this fraction towards the lower bound.',
  gamma_up_dtod: `${DTOD} of gamma_up.`,
  gamma_down_dtod: `${DTOD} of gamma_down.`,
  allow_increasing: 'Allow steps that grow towards the bound (negative gamma).',
  mean_bound_reference:
    "Use the mean bounds (not each device's own) as the reference of the step dependence.",
  mult_noise: 'Cycle-to-cycle noise multiplicative (true) or additive.',
  write_noise_std:
    'Write noise in units of dw_min: the visible weight is redrawn around a hidden one at every touch (§3.4).',
  apply_write_noise_on_set: 'Add write noise when weights are set.',
  reverse_up: 'Reverse the up-step dependence (reference point below w_min).',
  reverse_down: 'Reverse the down-step dependence (reference point above w_max).',
  reverse_offset: 'Offset of the reversed reference point.',
  p_max: 'SoftBoundsPmax: number of pulses to go from range_min to range_max.',
  'SoftBoundsPmaxDevice.alpha': 'SoftBoundsPmax: relative step size.',
  range_min: 'SoftBoundsPmax: lower end of the weight range.',
  range_max: 'SoftBoundsPmax: upper end of the weight range.',
  slope_up_dtod: `${DTOD} of the up slope.`,
  slope_down_dtod: `${DTOD} of the down slope.`,
  reference_mean: 'Mean of a fixed reference subtracted from each device.',
  reference_std: `${DTOD} of the reference.`,
  subtract_symmetry_point:
    "Subtract each device's symmetry point (where up and down steps are equal) as reference.",
  A_up: 'ExpStep: amplitude of the exponential up-step dependence.',
  A_down: 'ExpStep: amplitude of the exponential down-step dependence.',
  'ExpStepDevice.a': 'ExpStep: slope of z = 2·a·w/(b_max − b_min) + b.',
  'ExpStepDevice.b': 'ExpStep: offset of z.',
  'ExpStepDevice.gamma_up': 'ExpStep: exponent of the up-step dependence.',
  'ExpStepDevice.gamma_down': 'ExpStep: exponent of the down-step dependence.',
  dw_min_std_add: 'ExpStep: additive part of the cycle-to-cycle noise.',
  dw_min_std_slope: 'ExpStep: weight-proportional part of the cycle-to-cycle noise.',
  pow_gamma: 'PowStep: exponent of the step dependence on the distance to the bound.',
  pow_gamma_dtod: `${DTOD} of pow_gamma.`,
  pow_up_down: 'PowStep: up/down asymmetry of the exponent.',
  pow_up_down_dtod: `${DTOD} of pow_up_down.`,
  piecewise_up: 'PiecewiseStep: up-step factors at evenly spaced weights (linear in between).',
  piecewise_down: 'PiecewiseStep: down-step factors at evenly spaced weights.',

  // ---- device drift (§3.8) ----
  nu: 'Drift exponent ν: w = w₀·(t/t_0)^(−ν) (0: no drift).',
  'SimpleDriftParameter.t_0': 'Drift time unit t_0 (in drift calls).',
  'DriftParameter.t_0': 'Drift time unit t_0 (in drift calls).',
  reset_tol: 'A weight changed by more than this restarts its drift clock.',
  nu_dtod: `Relative ${DTOD} of ν.`,
  nu_std: 'Cycle-to-cycle variation of ν.',
  wg_ratio: 'Weight-to-conductance ratio of the conductance-dependent drift.',
  g_offset: 'Conductance offset of the conductance-dependent drift.',
  w_offset: 'Weight offset of the conductance-dependent drift.',
  nu_k: 'Dependence of ν on log conductance.',
  log_g0: 'Reference log conductance of nu_k.',
  w_noise_std: 'Noise added after each drift step.',

  // ---- compounds (§3.10) ----
  unit_cell_devices: 'The devices of the unit cell, in order.',
  update_policy: 'Which device receives an update: ALL, SINGLE_FIXED, SINGLE_SEQUENTIAL or SINGLE_RANDOM.',
  first_update_idx: 'The device updated first (or always, SINGLE_FIXED).',
  gamma_vec: 'Weights of the devices in the visible weight (empty: 1/n each; ReferenceUnitCell: [1, −1]).',
  refresh_every: 'OneSidedUnitCell: refresh the conductance pair every this many updates (0: never).',
  units_in_mbatch: 'Count refresh_every / transfer_every in mini-batches (else in single updates).',
  refresh_upper_thres: 'Refresh when a conductance exceeds this fraction of its range.',
  refresh_lower_thres: 'Target level of the refresh.',
  refresh_forward: 'IO parameters of the refresh read.',
  refresh_update: 'Update parameters of the refresh write.',
  copy_inverted: 'Copy the inverted device for the refresh.',
  'TransferCompound.gamma': 'Weight of the fast device A in the visible weight W = γ·A + C (0: W = C).',
  'BufferedTransferCompound.gamma': 'Weight of the fast device A in the visible weight.',
  'ChoppedTransferCompound.gamma': 'Weight of the fast device A in the visible weight.',
  'DynamicTransferCompound.gamma': 'Weight of the fast device A in the visible weight.',
  transfer_every: 'Transfer from A to C every this many updates (× mini-batch if units_in_mbatch).',
  no_self_transfer: 'The last device does not transfer onto itself.',
  transfer_every_vec: 'transfer_every per device (empty: derived).',
  n_reads_per_transfer: 'Columns of A read per transfer.',
  transfer_columns: 'Transfer columns (else rows).',
  with_reset_prob: 'Probability of resetting a column of A after it is read.',
  random_selection: 'Read a random column (else cyclically).',
  fast_lr: 'Learning rate of the fast device A.',
  transfer_lr: 'Learning rate of the transfer onto C (× λ if scale_transfer_lr).',
  transfer_lr_vec: 'transfer_lr per device (empty: transfer_lr).',
  scale_transfer_lr: 'Multiply transfer_lr by the optimizer learning rate.',
  transfer_forward: 'IO parameters of the reads of A (noise and bound management off in the presets).',
  transfer_update: 'Update parameters of the writes onto C.',
  thres_scale: 'Buffered transfer: threshold of the digital buffer in units of the device granularity.',
  step: 'Size of a transfer step (in pulses).',
  'BufferedTransferCompound.momentum': 'Fraction of the buffer kept after a transfer.',
  'ChoppedTransferCompound.momentum': 'Fraction of the buffer kept after a transfer.',
  'DynamicTransferCompound.momentum': 'Fraction of the buffer kept after a transfer.',
  forget_buffer: 'After a transfer, multiply the buffer by momentum (else subtract what was transferred).',
  in_chop_prob: 'Probability of flipping an input chopper after each read (c-TTv2, AGAD).',
  in_chop_random: 'Flip choppers at random (else periodically).',
  out_chop_prob: 'Probability of flipping an output chopper.',
  buffer_granularity: 'Granularity of the digital buffer.',
  auto_granularity: 'Derive the buffer granularity from the number of inputs and transfer_every (0: off).',
  no_buffer: 'Write reads onto C directly, without the digital buffer.',
  auto_scale: 'Scale the fast learning rate by running averages of the input and gradient maxima.',
  auto_momentum: 'Momentum of those running averages.',
  correct_gradient_magnitudes: 'Correct the transfer learning rate for the granularities of A and C.',
  experimental_correct_accumulation: 'AGAD: experimental accumulation correction.',
  buffer_cap: 'AGAD: cap of the buffer (0: none).',
  tail_weightening: 'AGAD: weight of the end of a chopper period in the reference estimate.',
  n_rows_per_transfer: 'Mixed precision: rows transferred per transfer (−1: all).',
  random_row: 'Mixed precision: transfer random rows (else cyclically).',
  granularity: 'Mixed precision: transfer granularity (0: the device granularity).',
  n_x_bins: 'Mixed precision: quantisation bins of x (0: none).',
  n_d_bins: 'Mixed precision: quantisation bins of d (0: none).',
  stoc_round_x: 'Mixed precision: stochastic rounding of x.',
  stoc_round_d: 'Mixed precision: stochastic rounding of d.',

  // ---- noise models (§5.3–5.6) ----
  prog_coeff:
    'Coefficients c0, c1, c2 of the programming-noise standard deviation σ = c0 + c1·g/g_max + c2·(g/g_max)² (µS).',
  g_converter:
    'How weights become conductance pairs (SinglePairConductanceConverter: g⁺ − g⁻ ∝ W, max|W| ↦ g_max).',
  'PCMLikeNoiseModel.g_max': "Maximal conductance in µS; null: the converter's g_max.",
  'CustomDriftPCMLikeNoiseModel.g_max': "Maximal conductance in µS; null: the converter's g_max.",
  'StateIndependentNoiseModel.g_max': "Maximal conductance in µS; null: the converter's g_max.",
  'ReRamWan2022NoiseModel.g_max': "Maximal conductance in µS; null: the converter's g_max.",
  'ConductanceConverter.g_max': 'Maximal conductance of a device, in µS.',
  g_min: 'Minimal conductance of a device, in µS.',
  t_read: 'Read duration in seconds (for 1/f read noise).',
  t_0: 'Seconds after programming of the first read; drift is measured from t_0.',
  prog_noise_scale: 'Scale of the programming noise (1: as measured).',
  read_noise_scale: 'Scale of the read noise.',
  drift_scale: 'Scale of the drift exponents.',
  prog_coeff_g_max_reference: 'g_max the programming coefficients were measured at (µS); null: g_max.',
  custom_drift_model: 'Table of drift exponent mean and spread over conductance.',
  g_lst: 'Conductances of the table, ascending, in µS.',
  nu_mean_lst: 'Mean drift exponent at each conductance.',
  nu_std_lst: 'Spread of the drift exponent at each conductance.',
  drift_nu_mean: 'Mean drift exponent ν (state independent).',
  drift_nu_std: 'Spread of the drift exponent.',
  coeff_dic: 'Polynomial noise coefficients keyed by time in seconds (ReRAM, Wan et al. 2022).',
  noise_scale: 'Scale of the ReRAM noise.',
  coeff_g_max_reference: 'g_max the coefficients were measured at (null: g_max).',

  // ---- clip, remap, modifier (§5.10–5.11) ----
  fixed_value: 'Clip to ±fixed_value (FIXED_VALUE), or cap the other clippings (if > 0).',
  sigma: 'LAYER_GAUSSIAN: clip to ±sigma·std(W).',
  remapped_wmax: 'Weights are remapped so that max|W| becomes this.',
  max_scale_range: 'Cap of the remapping scales relative to the smallest (0: none).',
  max_scale_ref: 'Reference of the scale cap.',
  std_dev: 'Standard deviation of the injected weight noise (relative to max|W|).',
  per_batch_sample: 'Draw the noise per sample of the batch.',
  'WeightModifierParameter.res': 'Discretisation step of DISCRETIZE modifiers (relative to max|W|).',
  'WeightModifierParameter.sto_round': 'Stochastic rounding of the discretisation.',
  dorefa_clip: 'DOREFA: clipping value.',
  pdrop: 'Drop-connect: probability of zeroing each weight during training.',
  enable_during_test: 'Also modify the weights during evaluation.',
  rel_to_actual_wmax: 'Noise relative to the actual max|W| (else assumed_wmax).',
  assumed_wmax: 'Assumed max|W| when not relative to the actual one.',
  copy_last_column: 'Leave the last (analog bias) column unmodified.',
  coeffs: 'POLY / PROG_NOISE: polynomial coefficients of the noise.',
  'WeightModifierParameter.g_max': 'PCM_NOISE / PROG_NOISE: g_max in µS.',
  pcm_zero_thres: 'PCM_NOISE: conductances below this are set to zero.',
  pcm_t_inference: 'PCM_NOISE: drift time in seconds.',
  pcm_prob_at_reset: 'PCM_NOISE: probability of a device stuck at reset.',
  pcm_prob_at_gmax: 'PCM_NOISE: probability of a device stuck at g_max.',
  pcm_prob_at_random: 'PCM_NOISE: probability of a device at a random value.',
  pcm_t0: 'PCM_NOISE: t_0 in seconds.',
};

export const SECTION_NOTES: Record<string, string> = {
  TrainingExperiment:
    'A training experiment: trains the model on the data set, optionally followed by a drift study.',
  InferenceExperiment:
    'An inference experiment: programs weights onto analog tiles and evaluates them while they drift.',
  RPUConfig: 'An RPU (resistive processing unit) configuration: the simulated analog tile of a layer (§1.9).',
  InferenceRPUConfig:
    'Hardware-aware training and inference: ideal device, perfect backward pass and floating-point update are fixed (as in AIHWKit); forward noise, noise model and drift compensation are set here.',
  SingleRPUConfig: 'Analog training on one device per cross-point.',
  UnitCellRPUConfig: 'Analog training on compound devices (unit cells, Tiki-Taka transfer compounds).',
  DigitalRankUpdateRPUConfig:
    'Mixed-precision training: updates accumulate digitally and are transferred onto the device.',
  FloatingPointRPUConfig: 'Exact floating-point tiles (a digital reference).',
};

export const QUOTA_NOTES: Record<string, string> = {
  maxParameters: 'Weights and biases of all layers.',
  maxLayers: 'Layers in the list.',
  maxEpochs: 'Training epochs.',
  maxTrainSampleEpochs: 'Epochs × training samples.',
  maxTrainMacs: 'Epochs × training samples × forward multiply-accumulates per sample.',
  maxBatchSize: 'Mini-batch size.',
  maxInferenceTimes: 'Number of t_inference points.',
  maxInferenceRepeats: 'Repeats of a drift study.',
  maxInferenceEvaluations: 't_inference points × repeats.',
  maxInferenceMacs: 'Points × repeats × test samples × multiply-accumulates per sample.',
};
