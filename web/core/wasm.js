// Loads a standalone core module and owns its memory: every block the binding
// allocates is tracked, scopes (scope.js) free them even when a call throws, and
// each export is declared once here with how its result reports failure.
import { Scope } from './scope.js';

const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // one function of that type
  0x0a,
  0x16,
  0x01,
  0x14,
  0x00,
  0xfd,
  0x0c, // code: v128.const
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0x0b,
]);

/** true when this engine validates a function that returns a v128. */
export function simdSupported() {
  return WebAssembly.validate(SIMD_PROBE);
}

// How each export reports failure: 'status' returns non-zero, 'index' returns a
// negative number (−1), 'count' returns a negative double, 'pointer' returns
// NULL (0); 'void' cannot fail.
const EXPORTS = {
  cnn_last_error: 'void',
  cnn_layout: 'void',
  cnn_conv2d_geometry: 'status',
  cnn_conv_transpose2d_geometry: 'status',
  cnn_max_pool2d_geometry: 'status',
  cnn_avg_pool2d_geometry: 'status',
  cnn_conv2d_pad_same: 'status',
  cnn_conv_transpose2d_equivalent: 'status',
  cnn_conv_out_size: 'index',
  cnn_conv_transpose_out_size: 'index',
  cnn_pool_out_size: 'index',
  cnn_pool_ceil_size_before_rule: 'index',
  cnn_conv2d_params: 'count',
  cnn_conv_transpose2d_params: 'count',
  cnn_conv2d_macs: 'count',
  cnn_conv_transpose2d_macs: 'count',
  cnn_linear_params: 'count',
  cnn_linear_macs: 'count',
  cnn_batch_norm2d_params: 'count',
  cnn_macs_to_flops: 'void',
  cnn_receptive_field: 'status',
  cnn_receptive_field_span: 'status',
  cnn_conv2d_forward: 'status',
  cnn_conv2d_backward: 'status',
  cnn_conv_transpose2d_forward: 'status',
  cnn_conv_transpose2d_backward: 'status',
  cnn_max_pool2d_forward: 'status',
  cnn_max_pool2d_backward: 'status',
  cnn_avg_pool2d_forward: 'status',
  cnn_avg_pool2d_backward: 'status',
  cnn_adaptive_avg_pool2d_forward: 'status',
  cnn_adaptive_avg_pool2d_backward: 'status',
  cnn_batch_norm2d_forward: 'status',
  cnn_batch_norm2d_backward: 'status',
  cnn_relu_forward: 'status',
  cnn_relu_backward: 'status',
  cnn_linear_forward: 'status',
  cnn_linear_backward: 'status',
  cnn_softmax_forward: 'status',
  cnn_cross_entropy_forward: 'status',
  cnn_cross_entropy_backward: 'status',
  cnn_random_uniform: 'status',
  cnn_random_normal: 'status',
  cnn_init_default: 'status',
  cnn_conv2d_trace: 'index',
  cnn_conv_transpose2d_trace: 'index',
  cnn_pool2d_trace: 'index',
  cnn_network_create: 'pointer',
  cnn_network_destroy: 'void',
  cnn_network_parameters: 'void',
  cnn_network_gradients: 'void',
  cnn_network_parameter_count: 'void',
  cnn_network_input: 'void',
  cnn_network_input_gradient: 'void',
  cnn_network_activation: 'pointer',
  cnn_network_running_stats: 'pointer',
  cnn_network_set_batch_norm: 'status',
  cnn_network_forward: 'status',
  cnn_network_backward: 'status',
  cnn_network_zero_grad: 'void',
  cnn_network_train_step: 'status',
  cnn_sgd_step: 'status',
  cnn_adam_step: 'status',
  cnn_normalize_pixels: 'status',
  cnn_random_shift: 'status',
};

// The largest block the binding asks malloc for (Core.allocate): wasm32 addresses 4 GiB, this
// module's memory stops at 2 GiB, and a larger request would wrap malloc's 32-bit size argument.
const MAX_ALLOCATION_BYTES = 2 ** 31 - 1;
/** The most floats one block of WASM memory holds: every op copies a tensor into one block. */
export const MAX_BLOCK_FLOATS = Math.floor(MAX_ALLOCATION_BYTES / Float32Array.BYTES_PER_ELEMENT);
/** The core's null pointer: an absent bias, a gradient or optimizer state not wanted. */
export const NULL = 0;
/** The size of the core's last-error buffer (status.c); tests/layout.test.mjs checks it. */
export const LAST_ERROR_BYTES = 512;

async function fetchModuleBytes(url) {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cnn: could not fetch ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

export async function instantiateCore(url) {
  const bytes = await fetchModuleBytes(url);
  const imports = { env: { emscripten_notify_memory_growth() {} } };
  const { instance } = await WebAssembly.instantiate(bytes, imports);
  instance.exports._initialize();
  return new Core(instance.exports);
}

export class Core {
  #exports;
  #live = new Set();
  #decoder = new TextDecoder();

  constructor(exports) {
    this.#exports = exports;
    for (const name of Object.keys(EXPORTS)) {
      if (typeof exports[name] !== 'function') throw new Error(`cnn: the core module lacks ${name}`);
    }
  }

  get liveAllocations() {
    return this.#live.size;
  }

  get memoryBytes() {
    return this.#exports.memory.buffer.byteLength;
  }

  /** Calls an export; on failure throws a RangeError with the core's reason
   *  (an invalid argument or exhausted memory, both named by the core). */
  call(name, ...args) {
    const result = this.#exports[name](...args);
    const kind = EXPORTS[name];
    if (
      (kind === 'status' && result !== 0) ||
      ((kind === 'index' || kind === 'count') && result < 0) ||
      (kind === 'pointer' && result === 0)
    ) {
      throw new RangeError(this.lastError());
    }
    return result;
  }

  /** Copies typed data into a buffer the core owns, of `capacity` elements at pointer; never past its end. */
  write(pointer, data, capacity) {
    if (!Number.isSafeInteger(capacity) || data.length > capacity)
      throw new RangeError(`cnn: ${data.length} values do not fit a buffer of ${capacity}`);
    this.heap(data.constructor, pointer, data.length).set(data);
  }

  /** A copy of length elements of Type at pointer; never a view (views go stale when memory
   *  grows). set() is a block copy, where slice() of a WASM memory view goes element by element. */
  read(Type, pointer, length) {
    const copy = new Type(length);
    copy.set(this.heap(Type, pointer, length));
    return copy;
  }

  /** A view of WASM memory, valid until the next allocation (memory may grow): use at once. */
  heap(Type, pointer, length) {
    return new Type(this.#exports.memory.buffer, pointer, length);
  }

  /** A counted block of at least `bytes` bytes for `what`, or a RangeError naming it; free() returns it. */
  allocate(bytes, what) {
    if (bytes > MAX_ALLOCATION_BYTES)
      throw new RangeError(`cnn: out of memory: ${what} needs ${bytes} bytes, more than the 2 GiB the module can hold`);
    const pointer = this.#exports.malloc(Math.max(bytes, 4));
    if (!pointer) throw new RangeError(`cnn: out of memory: could not allocate ${bytes} bytes for ${what}`);
    this.#live.add(pointer);
    return pointer;
  }

  free(pointer) {
    this.#exports.free(pointer);
    this.#live.delete(pointer);
  }

  /** Counts an object the core allocated for the binding (a network) until release(). */
  retain(pointer) {
    this.#live.add(pointer);
  }

  release(pointer) {
    this.#live.delete(pointer);
  }

  lastError() {
    const pointer = this.#exports.cnn_last_error();
    const bytes = this.heap(Uint8Array, pointer, LAST_ERROR_BYTES);
    return this.#decoder.decode(bytes.subarray(0, bytes.indexOf(0)));
  }

  /** Runs fn(scope) with a new Scope and frees every block the scope allocated, even on throw. */
  scoped(fn) {
    const scope = new Scope(this);
    try {
      return fn(scope);
    } finally {
      scope.free();
    }
  }
}
