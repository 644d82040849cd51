// The WASM blocks one call of the core needs, allocated through the Core (which counts them)
// and freed together by Core.scoped, even when the call throws.

/**
 * floats(data | length), tensor(tensor), ints(data | length) and doubles(length) return pointers
 * (a length gives zeros), output(length) uninitialised room; readFloats / readInts / readDoubles copy out.
 */
export class Scope {
  #core;
  #blocks = [];

  constructor(core) {
    this.#core = core;
  }

  #fill(Type, source, what) {
    const length = typeof source === 'number' ? source : source.length;
    const pointer = this.#allocate(length * Type.BYTES_PER_ELEMENT, what);
    if (typeof source === 'number') this.#core.heap(Type, pointer, length).fill(0);
    else this.#core.heap(Type, pointer, length).set(source);
    return pointer;
  }

  #allocate(bytes, what) {
    const pointer = this.#core.allocate(bytes, what);
    this.#blocks.push(pointer);
    return pointer;
  }

  floats(source, what = 'a tensor') {
    return this.#fill(Float32Array, source, what);
  }

  /** A tensor's data, exactly as many floats as its shape holds (what the core will read). */
  tensor(tensor, what = 'a tensor') {
    const length = tensor.shape.reduce((product, size) => product * size, 1);
    if (tensor.data.length !== length)
      throw new RangeError(
        `cnn: ${what} has ${tensor.data.length} values but its shape [${tensor.shape}] needs ${length}`,
      );
    return this.#fill(Float32Array, tensor.data, what);
  }

  /** Room for an op's output, which the op writes whole: no zeroing. */
  output(length) {
    return this.#allocate(length * Float32Array.BYTES_PER_ELEMENT, 'the output');
  }

  ints(source, what = 'an index array') {
    return this.#fill(Int32Array, source, what);
  }

  doubles(length, what = 'results') {
    return this.#fill(Float64Array, length, what);
  }

  readFloats(pointer, length) {
    return this.#core.read(Float32Array, pointer, length);
  }

  readInts(pointer, length) {
    return this.#core.read(Int32Array, pointer, length);
  }

  readDoubles(pointer, length) {
    return this.#core.read(Float64Array, pointer, length);
  }

  free() {
    for (const pointer of this.#blocks) this.#core.free(pointer);
    this.#blocks.length = 0;
  }
}
