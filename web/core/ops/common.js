// What every op shares: reading a result into a Tensor, the gradient buffers backward
// accumulates into, and the shape checks of bias and grad_output.
import { describe } from '../args.js';
import { elementCount, isFloat32Array, Tensor } from '../tensor.js';
import { NULL } from '../wasm.js';

/** A Tensor of `shape` copied out of the scope's block at pointer. */
export function readTensor(scope, pointer, shape) {
  return new Tensor(scope.readFloats(pointer, elementCount(shape)), shape);
}

/**
 * A gradient buffer: a copy of into[name] to accumulate into, zeros, or NULL when not wanted.
 * The core writes `size` values, so an `into` buffer of another length is refused.
 */
export function gradBuffer(scope, op, into, name, size, wanted = true) {
  if (!wanted) return NULL;
  const start = into?.[name];
  if (start === undefined || start === null) return scope.floats(size, `the ${name} gradient`);
  if (!isFloat32Array(start) || start.length !== size)
    throw new RangeError(
      `${op}: the ${name} gradient must be a Float32Array of ${size} values, got ${describe(start)}` +
        `${isFloat32Array(start) ? ` of ${start.length}` : ''}`,
    );
  return scope.floats(start, `the ${name} gradient`);
}

export function checkBias(bias, outChannels, op) {
  if (bias && bias.size !== outChannels)
    throw new RangeError(`${op}: bias must have ${outChannels} elements (one per output channel), got ${bias.size}`);
}

export function checkGradShape(op, gy, shape) {
  if (gy.shape.join() !== shape.join())
    throw new RangeError(`${op}: grad_output shape [${gy.shape}] must equal the output shape [${shape}]`);
}
