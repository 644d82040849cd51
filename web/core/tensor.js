// Tensor: a float32 array and its shape, owned by JS (never a view of WASM memory),
// printed the way PyTorch prints it.

function checkShape(shape) {
  if (!Array.isArray(shape)) throw new TypeError(`Tensor: shape must be an array of sizes, got ${typeof shape}`);
  shape.forEach((size, axis) => {
    if (typeof size !== 'number') throw new TypeError(`Tensor: shape[${axis}] must be a number, got ${typeof size}`);
    if (!Number.isSafeInteger(size) || size < 0)
      throw new RangeError(`Tensor: shape[${axis}] must be a non-negative integer, got ${size}`);
  });
}

export function elementCount(shape) {
  return shape.reduce((product, size) => product * size, 1);
}

export class Tensor {
  constructor(data, shape) {
    checkShape(shape);
    const values = data instanceof Float32Array ? data : Float32Array.from(data ?? []);
    const expected = elementCount(shape);
    if (values.length !== expected)
      throw new RangeError(`Tensor: data has ${values.length} elements but shape [${shape.join(', ')}] needs ${expected}`);
    this.shape = [...shape];
    this.data = values;
  }

  static zeros(shape) {
    checkShape(shape);
    return new Tensor(new Float32Array(elementCount(shape)), shape);
  }

  get size() {
    return this.data.length;
  }

  #offset(index) {
    if (index.length > this.shape.length)
      throw new RangeError(`Tensor: ${index.length} indices for a ${this.shape.length}-d tensor`);
    let offset = 0;
    index.forEach((raw, axis) => {
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
  const scientific = magnitudes.length > 0 &&
    (Math.max(...magnitudes) >= 1e8 || Math.min(...magnitudes) < 1e-4 ||
     Math.max(...magnitudes) / Math.min(...magnitudes) > 1000) && !integral;
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

export function formatTensor(tensor) {
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
