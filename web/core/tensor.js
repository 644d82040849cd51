// Tensor: a float32 array and its shape, owned by JS (never a view of WASM memory),
// printed the way PyTorch prints it.
//
// A tensor's shape and data are fixed once made: `shape` is a frozen copy and neither
// property can be reassigned, so the sizes the binding derives from a Tensor when it
// hands the core a buffer are the sizes the core reads.

// The most elements a tensor may hold: the core's limit (CNN_MAX_ELEMENTS in src/internal.h).
const MAX_ELEMENTS = 2 ** 31 - 1;

// %TypedArray%.prototype[Symbol.toStringTag] reads the internal slot, so neither a Proxy nor
// an object made from Float32Array.prototype passes, as they would pass instanceof.
const typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Int8Array.prototype),
  Symbol.toStringTag,
).get;

/** true for a genuine Float32Array (not a Proxy or a look-alike). */
export function isFloat32Array(value) {
  return typedArrayTag.call(value) === 'Float32Array';
}

/** A frozen copy of shape, checked: an array of non-negative integers with at most MAX_ELEMENTS elements. */
export function checkShape(shape, op = 'Tensor', name = 'shape') {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: ${name} must be an array of sizes, got ${typeof shape}`);
  const sizes = Array.from(shape);
  sizes.forEach((size, axis) => {
    if (typeof size !== 'number') throw new TypeError(`${op}: ${name}[${axis}] must be a number, got ${typeof size}`);
    if (!Number.isSafeInteger(size) || size < 0)
      throw new RangeError(`${op}: ${name}[${axis}] must be a non-negative integer, got ${size}`);
  });
  const count = elementCount(sizes);
  if (count > MAX_ELEMENTS)
    throw new RangeError(`${op}: ${name} [${sizes.join(', ')}] has ${count} elements, more than the limit 2^31 - 1`);
  return Object.freeze(sizes);
}

export function elementCount(shape) {
  return shape.reduce((product, size) => product * size, 1);
}

// A Float32Array the tensor can keep: data itself, or a fixed-length copy when data's
// buffer can be resized (a length-tracking view would change size under the binding).
function ownValues(data) {
  if (isFloat32Array(data)) return data.buffer.resizable || data.buffer.growable ? data.slice() : data;
  if (data === null || data === undefined) return new Float32Array(0);
  if (typeof data !== 'object')
    throw new TypeError(`Tensor: data must be a Float32Array or an array of numbers, got ${typeof data}`);
  return Float32Array.from(data);
}

// Every Tensor this module made: a Proxy or a look-alike that passes instanceof is not one.
const made = new WeakSet();

/** true for a Tensor made by this module, whose shape and data are fixed. */
export function isTensor(value) {
  return made.has(value);
}

export class Tensor {
  constructor(data, shape) {
    const sizes = checkShape(shape);
    const values = ownValues(data);
    const expected = elementCount(sizes);
    if (values.length !== expected)
      throw new RangeError(
        `Tensor: data has ${values.length} elements but shape [${sizes.join(', ')}] needs ${expected}`,
      );
    Object.defineProperties(this, {
      shape: { value: sizes, enumerable: true },
      data: { value: values, enumerable: true },
    });
    made.add(this);
  }

  static zeros(shape) {
    const sizes = checkShape(shape);
    return new Tensor(new Float32Array(elementCount(sizes)), sizes);
  }

  get size() {
    return elementCount(this.shape);
  }

  #offset(index) {
    if (index.length > this.shape.length)
      throw new RangeError(`Tensor: ${index.length} indices for a ${this.shape.length}-d tensor`);
    let offset = 0;
    index.forEach((raw, axis) => {
      if (typeof raw !== 'number') throw new TypeError(`Tensor: index ${axis} must be a number, got ${typeof raw}`);
      const size = this.shape[axis];
      const i = raw < 0 ? raw + size : raw;
      if (!Number.isInteger(i) || i < 0 || i >= size)
        throw new RangeError(`Tensor: index ${raw} is out of range for axis ${axis} of size ${size}`);
      offset = offset * size + i;
    });
    const rest = this.shape.slice(index.length);
    return { offset: offset * elementCount(rest), rest };
  }

  at(...index) {
    if (index.length !== this.shape.length)
      throw new RangeError(`Tensor.at: needs ${this.shape.length} indices, got ${index.length}`);
    return this.data[this.#offset(index).offset];
  }

  index(...index) {
    const { offset, rest } = this.#offset(index);
    return new Tensor(this.data.slice(offset, offset + elementCount(rest)), rest);
  }

  item() {
    if (this.size !== 1) throw new RangeError(`Tensor.item: needs exactly 1 element, has ${this.size}`);
    return this.data[0];
  }

  reshape(shape) {
    return new Tensor(this.data, shape);
  }

  toArray() {
    const build = (axis, offset) => {
      if (axis === this.shape.length) return this.data[offset];
      const stride = elementCount(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  toString() {
    return formatTensor(this);
  }
}

// PyTorch's printing: integral values as "6.", otherwise 4 decimals, scientific
// when magnitudes are very large or very small; right-aligned to a common width.
function formatValues(values) {
  const finite = [...values].filter(Number.isFinite);
  const magnitudes = finite.map(Math.abs).filter((v) => v > 0);
  const integral = finite.every(Number.isInteger);
  const scientific =
    magnitudes.length > 0 &&
    (Math.max(...magnitudes) >= 1e8 ||
      Math.min(...magnitudes) < 1e-4 ||
      Math.max(...magnitudes) / Math.min(...magnitudes) > 1000) &&
    !integral;
  const format = (v) => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (scientific) return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
    return integral ? `${v}.` : v.toFixed(4);
  };
  const texts = [...values].map(format);
  const width = Math.max(0, ...texts.map((t) => t.length));
  return texts.map((t) => t.padStart(width));
}

function formatTensor(tensor) {
  const texts = formatValues(tensor.data);
  if (tensor.shape.length === 0) return `tensor(${texts[0]})`;
  const indent = 'tensor('.length;
  const build = (axis, offset) => {
    const size = tensor.shape[axis];
    if (axis === tensor.shape.length - 1) return `[${texts.slice(offset, offset + size).join(', ')}]`;
    const stride = elementCount(tensor.shape.slice(axis + 1));
    const separator = ',' + '\n'.repeat(tensor.shape.length - axis - 1) + ' '.repeat(indent + axis + 1);
    return `[${Array.from({ length: size }, (_, i) => build(axis + 1, offset + i * stride)).join(separator)}]`;
  };
  return `tensor(${build(0, 0)})`;
}
