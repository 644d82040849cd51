// Types for web/cnn.js, the JS binding of the C CNN core (WebAssembly).
// Names and argument orders follow torch.nn.functional and torch.nn.
// tests/types/ checks them with tsc --strict and against the loaded module's own keys.
/// <reference path="./widgets/elements.d.ts" />

export type Pair = number | [number, number];

/** A float32 NCHW tensor owned by JS. `data` is a copy, never a view of WASM memory. */
export class Tensor {
  constructor(data: Float32Array | ArrayLike<number>, shape: number[]);
  readonly shape: number[];
  readonly data: Float32Array;
  get size(): number;
  static zeros(shape: number[]): Tensor;
  /** Nested arrays, like torch's tolist(). */
  toArray(): any;
  /** Printed like PyTorch: tensor([[ 6.,  8.], [14., 16.]]). */
  toString(): string;
  item(): number;
  /** Element (0-based indices, negative counts from the end). */
  at(...index: number[]): number;
  /** Sub-tensor along the leading dimensions, like x[0, 0]. */
  index(...index: number[]): Tensor;
  reshape(shape: number[]): Tensor;
}

export type TensorLike = Tensor | { shape: number[]; data: Float32Array };

export interface Conv2dOptions {
  stride?: Pair;
  /** ints, or 'same' (stride 1 only; even kernels pad more at the bottom/right) or 'valid'. */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}
export interface ConvTranspose2dOptions {
  stride?: Pair;
  padding?: Pair;
  output_padding?: Pair;
  dilation?: Pair;
  groups?: number;
}
export interface MaxPool2dOptions {
  stride?: Pair; // default: kernel_size
  padding?: Pair;
  dilation?: Pair;
  ceil_mode?: boolean;
}
export interface AvgPool2dOptions {
  stride?: Pair;
  padding?: Pair;
  ceil_mode?: boolean;
  count_include_pad?: boolean;
}
export interface BatchNormOptions {
  weight?: TensorLike | null;
  bias?: TensorLike | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

export interface Functional {
  conv2d(input: TensorLike, weight: TensorLike, bias?: TensorLike | null, options?: Conv2dOptions): Tensor;
  conv_transpose2d(
    input: TensorLike,
    weight: TensorLike,
    bias?: TensorLike | null,
    options?: ConvTranspose2dOptions,
  ): Tensor;
  max_pool2d(input: TensorLike, kernel_size: Pair, options?: MaxPool2dOptions): Tensor;
  /** Output and the flat h·W+w index of each winner in its input plane. */
  max_pool2d_with_indices(
    input: TensorLike,
    kernel_size: Pair,
    options?: MaxPool2dOptions,
  ): { output: Tensor; indices: Int32Array };
  avg_pool2d(input: TensorLike, kernel_size: Pair, options?: AvgPool2dOptions): Tensor;
  adaptive_avg_pool2d(input: TensorLike, output_size: Pair): Tensor;
  /** Updates running_mean / running_var in place when training (like PyTorch). */
  batch_norm(input: TensorLike, running_mean: TensorLike, running_var: TensorLike, options?: BatchNormOptions): Tensor;
  relu(input: TensorLike): Tensor;
  linear(input: TensorLike, weight: TensorLike, bias?: TensorLike | null): Tensor;
  flatten(input: TensorLike, start_dim?: number): Tensor;
  /** Softmax over the classes of logits [N, K] (dim 1). */
  softmax(input: TensorLike, dim?: number): Tensor;
  /** Mean cross entropy of logits [N, K] against integer class targets. Returns a 0-d tensor. */
  cross_entropy(input: TensorLike, target: ArrayLike<number>): Tensor;
}

/** Gradients: same arguments as the forward op, the upstream gradient first. */
export interface Gradients {
  conv2d(
    grad_output: TensorLike,
    input: TensorLike,
    weight: TensorLike,
    bias?: TensorLike | null,
    options?: Conv2dOptions,
  ): { input: Tensor; weight: Tensor; bias: Tensor | null };
  conv_transpose2d(
    grad_output: TensorLike,
    input: TensorLike,
    weight: TensorLike,
    bias?: TensorLike | null,
    options?: ConvTranspose2dOptions,
  ): { input: Tensor; weight: Tensor; bias: Tensor | null };
  max_pool2d(
    grad_output: TensorLike,
    input: TensorLike,
    kernel_size: Pair,
    options?: MaxPool2dOptions,
  ): { input: Tensor };
  avg_pool2d(
    grad_output: TensorLike,
    input: TensorLike,
    kernel_size: Pair,
    options?: AvgPool2dOptions,
  ): { input: Tensor };
  adaptive_avg_pool2d(grad_output: TensorLike, input: TensorLike, output_size: Pair): { input: Tensor };
  /** Training mode uses the batch statistics of `input`; running stats are not touched. */
  batch_norm(
    grad_output: TensorLike,
    input: TensorLike,
    running_mean: TensorLike,
    running_var: TensorLike,
    options?: BatchNormOptions,
  ): { input: Tensor; weight: Tensor | null; bias: Tensor | null };
  relu(grad_output: TensorLike, input: TensorLike): { input: Tensor };
  linear(
    grad_output: TensorLike,
    input: TensorLike,
    weight: TensorLike,
    bias?: TensorLike | null,
  ): { input: Tensor; weight: Tensor; bias: Tensor | null };
  /** grad_output is the scalar upstream gradient of the loss (1 for loss.backward()). */
  cross_entropy(grad_output: number, input: TensorLike, target: ArrayLike<number>): { input: Tensor };
}

export interface ReceptiveFieldLayer {
  kernel: number;
  stride?: number;
  padding?: number;
  dilation?: number;
}
export interface ReceptiveFieldRow {
  rf: number;
  jump: number;
  start: number;
  center: number;
}

export interface Arithmetic {
  conv_out_size(size: number, kernel: number, stride?: number, pad_total?: number, dilation?: number): number;
  conv_transpose_out_size(
    size: number,
    kernel: number,
    stride?: number,
    pad_total?: number,
    dilation?: number,
    output_padding?: number,
  ): number;
  pool_out_size(
    size: number,
    kernel: number,
    stride?: number,
    pad?: number,
    dilation?: number,
    ceil_mode?: boolean,
  ): number;
  /** ceil((size + 2·pad − dilation·(kernel − 1) − 1) / stride) + 1 before ceil_mode drops a last window that starts in the right padding. */
  pool_ceil_size_before_rule(size: number, kernel: number, stride?: number, pad?: number, dilation?: number): number;
  conv2d_params(
    in_channels: number,
    out_channels: number,
    kernel: Pair,
    options?: { groups?: number; bias?: boolean },
  ): number;
  /** Transposed conv: in_channels · (out_channels / groups) · KH · KW (+ out_channels). */
  conv_transpose2d_params(
    in_channels: number,
    out_channels: number,
    kernel: Pair,
    options?: { groups?: number; bias?: boolean },
  ): number;
  linear_params(in_features: number, out_features: number, bias?: boolean): number;
  batch_norm2d_params(channels: number, affine?: boolean): number;
  linear_macs(batch: number, in_features: number, out_features: number): number;
  /** FLOPs = 2 · MACs (one multiply and one add per multiply-accumulate). */
  flops(macs: number): number;
  /** padding='same' along one axis: [begin, end]; an odd total puts the extra pixel at the end. */
  same_padding(kernel: number, dilation?: number): [number, number];
  /** Shapes, MACs and FLOPs without running anything; padding is [top, left, bottom, right] as applied. */
  conv2d_shape(
    input_shape: number[],
    weight_shape: number[],
    options?: Conv2dOptions,
  ): { shape: number[]; macs: number; flops: number; padding: [number, number, number, number] };
  /** equivalent: the stride-1 convolution over the zero-inserted input ((in − 1)·stride + 1 per axis)
   *  padded by [top, left, bottom, right] (negative = cropped), with the kernel flipped. */
  conv_transpose2d_shape(
    input_shape: number[],
    weight_shape: number[],
    options?: ConvTranspose2dOptions,
  ): {
    shape: number[];
    macs: number;
    flops: number;
    equivalent: { size: [number, number]; padding: [number, number, number, number] };
  };
  max_pool2d_shape(input_shape: number[], kernel_size: Pair, options?: MaxPool2dOptions): { shape: number[] };
  avg_pool2d_shape(input_shape: number[], kernel_size: Pair, options?: AvgPool2dOptions): { shape: number[] };
  /** One axis; per layer the RF size, cumulative stride (jump), first input pixel seen by output 0, and its centre. */
  receptive_field(layers: ReceptiveFieldLayer[]): ReceptiveFieldRow[];
  /** Input coordinates [first, last] seen by output pixel `index` of the last layer (may reach into padding). */
  receptive_field_span(layers: ReceptiveFieldLayer[], index: number): [number, number];
}

export interface TraceTerm {
  channel: number;
  row: number;
  col: number;
  padded_row: number;
  padded_col: number;
  kernel_row: number;
  kernel_col: number;
  in_bounds: boolean;
  value: number;
  weight: number;
  product: number;
}
export interface Tracing {
  /** The window, products and sum of one output cell of conv2d (batch n, channel, row, col). */
  conv2d(
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | null,
    options: Conv2dOptions,
    at: { n?: number; channel: number; row: number; col: number },
  ): { terms: TraceTerm[]; value: number; bias: number };
  /** Gather view: one term per (input cell, kernel tap) landing on the output cell; padded_row/col place
   *  the input cell in the zero-inserted padded input of the equivalent stride-1 convolution. */
  conv_transpose2d(
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | null,
    options: ConvTranspose2dOptions,
    at: { n?: number; channel: number; row: number; col: number },
  ): { terms: TraceTerm[]; value: number; bias: number };
  max_pool2d(
    input: TensorLike,
    kernel_size: Pair,
    options: MaxPool2dOptions,
    at: { n?: number; channel: number; row: number; col: number },
  ): { terms: TraceTerm[]; value: number; winner: number };
  avg_pool2d(
    input: TensorLike,
    kernel_size: Pair,
    options: AvgPool2dOptions,
    at: { n?: number; channel: number; row: number; col: number },
  ): { terms: TraceTerm[]; value: number; divisor: number };
}

/** Layers, like torch.nn. forward() caches what backward() needs; backward() accumulates parameter gradients. */
export interface Module {
  /** The layer's type name (Conv2d, ReLU, …). */
  readonly name: string;
  training: boolean;
  forward(input: TensorLike): Tensor;
  backward(grad_output: TensorLike): Tensor;
  parameters(): { name: string; value: Tensor; grad: Tensor }[];
  /** Σ numel of parameters(), like PyTorch. */
  numParameters(): number;
  /** The same count by the core's formulas (what summary() shows). */
  countParameters(): number;
  train(mode?: boolean): this;
  eval(): this;
  zeroGrad(): void;
  /** Output shape for an input shape (no computation). */
  outputShape(input_shape: number[]): number[];
  /** Output shape, MACs and receptive-field step for an input shape. */
  describe(
    input_shape: number[],
  ):
    | { shape: number[]; macs: number; kernel: number; stride: number; padding: number; dilation: number }
    | { shape: number[]; macs: number };
}

export interface SummaryRow {
  name: string;
  shape: number[];
  params: number;
  macs: number;
  /** Receptive field and jump of the stack so far, [height, width]; null after a layer that has no window (Flatten, Linear, adaptive pooling). */
  rf: [number, number] | null;
  jump: [number, number] | null;
}

/** nn.Sequential: what Network compiles. */
export interface Sequential extends Module {
  layers: Module[];
  /** Per layer: name, output shape, params, MACs, receptive field and jump (of the conv/pool stack so far). */
  summary(input_shape: number[]): { rows: SummaryRow[]; params: number; macs: number; text: string };
}

export interface Layers {
  /** The base class of every layer (instanceof checks; Sequential accepts only its instances). */
  Module: abstract new () => Module;
  Conv2d: new (
    in_channels: number,
    out_channels: number,
    kernel_size: Pair,
    options?: Conv2dOptions & { bias?: boolean; seed?: number },
  ) => Module;
  ConvTranspose2d: new (
    in_channels: number,
    out_channels: number,
    kernel_size: Pair,
    options?: ConvTranspose2dOptions & { bias?: boolean; seed?: number },
  ) => Module;
  MaxPool2d: new (kernel_size: Pair, options?: MaxPool2dOptions) => Module;
  AvgPool2d: new (kernel_size: Pair, options?: AvgPool2dOptions) => Module;
  AdaptiveAvgPool2d: new (output_size: Pair) => Module;
  BatchNorm2d: new (num_features: number, options?: { eps?: number; momentum?: number; affine?: boolean }) => Module;
  ReLU: new (options?: { inplace?: boolean }) => Module;
  Linear: new (in_features: number, out_features: number, options?: { bias?: boolean; seed?: number }) => Module;
  Flatten: new (start_dim?: number) => Module;
  Identity: new () => Module;
  Sequential: new (...layers: Module[]) => Sequential;
}

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
}
export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
}

/**
 * torch.optim.SGD over a Network's parameters: step() is one call of the core (cnn_sgd_step).
 * Made only from a cnn.Network (its buffers are found by the binding, never given as addresses);
 * every step re-checks the hyper-parameters and the state's lengths.
 */
export interface SGD {
  /** The network whose parameters step() updates. */
  readonly parameters: Network;
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  /** Steps taken so far. */
  readonly steps: number;
  readonly state: { momentum_buffer: Float32Array | null };
  step(): void;
}
/** torch.optim.Adam over a Network's parameters: step() is one call of the core (cnn_adam_step); made only from a cnn.Network. */
export interface Adam {
  /** The network whose parameters step() updates. */
  readonly parameters: Network;
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  readonly steps: number;
  readonly state: { exp_avg: Float32Array; exp_avg_sq: Float32Array; max_exp_avg_sq: Float32Array | null };
  step(): void;
}
export interface Optimizers {
  SGD: new (network: Network, options: SGDOptions) => SGD;
  Adam: new (network: Network, options?: AdamOptions) => Adam;
}

export interface Augmentation {
  /** (pixels / 255 − mean) / std per pixel 0–255 (bytes or floats), as ToTensor() then Normalize(). Default MNIST's 0.1307, 0.3081. */
  normalizePixels(pixels: ArrayLike<number> & ArrayBufferView, options?: { mean?: number; std?: number }): Float32Array;
  /** Each image of [N, C, H, W] shifted by (dy, dx) in {−maxShift … maxShift}² drawn by the core from seed; fill where uncovered. */
  randomShift(
    images: ArrayLike<number> & ArrayBufferView,
    shape: [number, number, number, number],
    options?: { maxShift?: number; fill?: number; seed?: number },
  ): { images: Float32Array; shifts: Int32Array };
}

/** A Sequential compiled into the core for training: parameters, gradients and activations live in WASM memory. */
export interface Network {
  readonly layerCount: number;
  /** Output shape per sample. */
  readonly outputShape: number[];
  readonly parameterCount: number;
  /** Zero the gradients, forward in training mode, mean cross entropy against labels, backward. */
  trainStep(images: Float32Array, labels: ArrayLike<number>, batch: number): { loss: number; correct: number };
  /** Output for a batch (eval mode unless training). */
  forward(images: Float32Array, batch: number, options?: { training?: boolean }): Tensor;
  /** Layer l's output from the last forward pass. */
  activation(layer: number): Tensor;
  /** Gradient of Σ output · grad_output with respect to the input of the last forward pass. */
  inputGradient(grad_output: Tensor): Tensor;
  /** Flat copies, layer by layer, weight then bias: into out (parameterCount values, nothing allocated) when given. */
  parameters(out?: Float32Array): Float32Array;
  gradients(out?: Float32Array): Float32Array;
  /** Copies parameterCount values in as the flat parameters, or as the gradients the next optimizer step reads. */
  setParameters(values: Float32Array): void;
  setGradients(values: Float32Array): void;
  /** Sets every parameter gradient to 0 (trainStep does it itself; inputGradient accumulates). */
  zeroGrad(): void;
  /** Model → network, and network → model (parameters and batch-norm running statistics). */
  loadParameters(): void;
  storeParameters(): void;
  dispose(): void;
}

export interface CNN {
  /** true when the SIMD128 build is loaded. */
  readonly simd: boolean;
  readonly F: Functional;
  readonly grad: Gradients;
  readonly arithmetic: Arithmetic;
  readonly trace: Tracing;
  readonly nn: Layers;
  /** Compiles an nn.Sequential for inputs [C, H, W] and batches of up to capacity (default 64). */
  Network: new (model: Sequential, input_shape: number[], options?: { capacity?: number }) => Network;
  /** torch.optim-like optimizers whose updates are the core's (src/optim.c). */
  readonly optim: Optimizers;
  /** Input normalisation and random shifts in the core (src/augment.c). */
  readonly augment: Augmentation;
  readonly Tensor: typeof Tensor;
  /** Seeded N(0, 1) values, generated by the core (xorshift32 + Box–Muller): same seed, same tensor. */
  randn(shape: number[], seed?: number): Tensor;
  /** Seeded U[0, 1) values, generated by the core. */
  rand(shape: number[], seed?: number): Tensor;
  /** Blocks the binding has allocated in WASM memory and not freed (0 between calls). */
  liveAllocations(): number;
  /** Current size of WASM memory in bytes. */
  memoryBytes(): number;
}

/** Loads (once per variant) and returns the core. simd: default = feature-detected. */
export function load(options?: { simd?: boolean }): Promise<CNN>;
/** true when this engine validates the tiny SIMD128 probe module. */
export function simdSupported(): boolean;
