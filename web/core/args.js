// Argument checking and the geometry record the core reads. Types are checked
// here (TypeError); every rule about sizes is the core's, which answers with a
// RangeError naming the argument and the rule.
import { checkShape, elementCount, isFloat32Array, isTensor, Tensor } from './tensor.js';

// The int32 fields of cnn_geometry (src/cnn.h), in order.
export const GEOMETRY_FIELDS = [
  'batch',
  'in_channels',
  'in_height',
  'in_width',
  'out_channels',
  'out_height',
  'out_width',
  'kernel_h',
  'kernel_w',
  'stride_h',
  'stride_w',
  'pad_top',
  'pad_left',
  'pad_bottom',
  'pad_right',
  'dilation_h',
  'dilation_w',
  'groups',
  'output_padding_h',
  'output_padding_w',
  'ceil_mode',
  'count_include_pad',
];

const INT32_MAX = 0x7fffffff;

/** A whole number the core can take as int32 (sign rules are the core's). */
export function integer(value, op, name) {
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new TypeError(`${op}: ${name} must be an integer, got ${describe(value)}`);
  const number = Number(value);
  if (!Number.isInteger(number) || Math.abs(number) > INT32_MAX)
    throw new RangeError(`${op}: ${name} must be an integer between -2^31 and 2^31 - 1, got ${number}`);
  return number;
}

/** An int or a pair [h, w] of ints, like PyTorch's _pair. */
export function pair(value, op, name) {
  if (Array.isArray(value)) {
    if (value.length !== 2)
      throw new TypeError(`${op}: ${name} must be an int or a pair [h, w], got ${value.length} values`);
    return [integer(value[0], op, `${name}[0]`), integer(value[1], op, `${name}[1]`)];
  }
  const size = integer(value, op, name);
  return [size, size];
}

/**
 * An error raised inside a public function named by that function: its message gains the prefix
 * `${op}: ` unless it already starts with it (an error from an inner op or the core keeps its own
 * text after the prefix, so the reader sees what they called, then the rule that was broken).
 */
export function renamed(error, op) {
  if (error instanceof Error && !error.message.startsWith(`${op}: `)) error.message = `${op}: ${error.message}`;
  return error;
}

/** fn, whose errors are renamed(error, op). */
export function named(op, fn) {
  return function namedFunction(...args) {
    try {
      return fn.apply(this, args);
    } catch (error) {
      throw renamed(error, op);
    }
  };
}

/** A short description of any value for an error message (never throws, even for a Proxy). */
export function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object') return String(value);
  try {
    if (Array.isArray(value)) return `an array of ${value.length}`;
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof name === 'string' && name ? name : 'an object';
  } catch {
    return 'an object';
  }
}

/**
 * A tensor argument of the given rank: a Tensor, or {shape, data: Float32Array} with matching
 * length, which becomes one. Each property is read once; the Tensor returned has a frozen
 * shape, so what the binding derives from it cannot change during the call.
 */
export function tensorArg(value, op, name, rank) {
  if (value === null || typeof value !== 'object')
    throw new TypeError(`${op}: ${name} must be a Tensor ({shape, data: Float32Array}), got ${describe(value)}`);
  let tensor = value;
  if (!isTensor(value)) {
    const { shape, data } = value;
    if (!Array.isArray(shape) || !isFloat32Array(data))
      throw new TypeError(`${op}: ${name} must be a Tensor ({shape, data: Float32Array}), got ${describe(value)}`);
    const sizes = checkShape(shape, op, `${name}.shape`);
    checkLength(data, sizes, op, name);
    tensor = new Tensor(data, sizes);
  }
  checkLength(tensor.data, tensor.shape, op, name);
  if (rank !== undefined && tensor.shape.length !== rank)
    throw new RangeError(`${op}: ${name} must be ${rank}-D, got shape [${tensor.shape.join(', ')}]`);
  tensor.shape.forEach((size, axis) => {
    if (size < 1) throw new RangeError(`${op}: ${name}.shape[${axis}] must be at least 1, got ${size}`);
  });
  return tensor;
}

// A Tensor's data keeps its length unless its buffer is detached (transferred to a worker).
function checkLength(data, shape, op, name) {
  const expected = elementCount(shape);
  if (data.length !== expected)
    throw new RangeError(
      `${op}: ${name} data has ${data.length} elements but shape [${shape.join(', ')}] needs ${expected}`,
    );
}

export function optionalTensor(value, op, name, rank) {
  return value === null || value === undefined ? null : tensorArg(value, op, name, rank);
}

/**
 * A copy of an options object whose keys are all in `allowed` (PyTorch refuses unknown keywords
 * too); each option is read once, so a getter cannot answer differently later in the call.
 */
export function options(value, op, allowed, name = 'options') {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`${op}: ${name} must be an object, got ${describe(value)}`);
  const copy = {};
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new TypeError(`${op}: unknown option '${key}' (expected ${allowed.join(', ')})`);
    copy[key] = value[key];
  }
  return copy;
}

export function bool(value, op, name, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${op}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

export function number(value, op, name, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new TypeError(`${op}: ${name} must be a number, got ${describe(value)}`);
  return value;
}

/** The geometry record as an Int32Array, defaults as cnn_geometry_default(). */
export function geometry(fields) {
  const record = { stride_h: 1, stride_w: 1, dilation_h: 1, dilation_w: 1, groups: 1, count_include_pad: 1, ...fields };
  return Int32Array.from(GEOMETRY_FIELDS, (field) => record[field] ?? 0);
}

export function geometryObject(values) {
  return Object.fromEntries(GEOMETRY_FIELDS.map((field, i) => [field, values[i]]));
}

/** Class targets for cross_entropy: integers, one per batch row. */
export function targets(value, op, batch) {
  if (value === null || typeof value !== 'object' || typeof value.length !== 'number')
    throw new TypeError(`${op}: target must be an array of class indices, got ${describe(value)}`);
  if (value.length !== batch)
    throw new RangeError(`${op}: target has ${value.length} entries but input has batch ${batch}`);
  return Int32Array.from(value, (t, i) => integer(t, op, `target[${i}]`));
}
