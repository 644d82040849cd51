// Traces for the widgets: the terms one output cell summed (or maxed), read
// from the core's cnn_trace_term records (8 int32 fields, then 3 float32).
// Each function takes the core first; cnn.js binds `tracing` as cnn.trace.
import { integer, optionalTensor, options, tensorArg } from './args.js';
import { convSpec, poolSpec, solve } from './specs.js';
import { NULL } from './wasm.js';

// cnn_trace_term's counts (tests/layout.test.mjs checks them against the core).
export const TERM_INTS = 8,
  TERM_FLOATS = 3;
const TERM_WORDS = TERM_INTS + TERM_FLOATS;

// cnn_pool2d_trace's kind argument.
const MAX_POOL = 0,
  AVG_POOL = 1;

function position(at, op) {
  const a = options(at, op, ['n', 'channel', 'row', 'col'], 'at');
  return ['n', 'channel', 'row', 'col'].map((name) => integer(a[name] ?? 0, op, `at.${name}`));
}

function readTerms(scope, pointer, count) {
  const ints = scope.readInts(pointer, count * TERM_WORDS);
  const floats = new Float32Array(ints.buffer);
  return Array.from({ length: count }, (_, i) => {
    const base = i * TERM_WORDS;
    return {
      channel: ints[base],
      row: ints[base + 1],
      col: ints[base + 2],
      padded_row: ints[base + 3],
      padded_col: ints[base + 4],
      kernel_row: ints[base + 5],
      kernel_col: ints[base + 6],
      in_bounds: ints[base + 7] !== 0,
      value: floats[base + TERM_INTS],
      weight: floats[base + TERM_INTS + 1],
      product: floats[base + TERM_INTS + 2],
    };
  });
}

// conv2d and conv_transpose2d: the same arguments, each its core's trace.
function convolutionTrace(core, op, exportName, transposed, input, weight, bias, opts, at) {
  const x = tensorArg(input, op, 'input', 4),
    w = tensorArg(weight, op, 'weight', 4);
  const b = optionalTensor(bias, op, 'bias', 1);
  const spec = convSpec(op, x.shape, w.shape, opts, transposed);
  const where = position(at, op);
  return core.scoped((scope) => {
    const { pointer, g } = solve(core, scope, spec);
    if (b && b.size !== g.out_channels)
      throw new RangeError(`${op}: bias must have ${g.out_channels} elements, got ${b.size}`);
    const capacity = (g.in_channels / g.groups) * g.kernel_h * g.kernel_w;
    const terms = scope.ints(capacity * TERM_WORDS, 'the trace'),
      result = scope.floats(2);
    const count = core.call(
      exportName,
      terms,
      capacity,
      result,
      scope.tensor(x),
      scope.tensor(w),
      b ? scope.tensor(b) : NULL,
      pointer,
      ...where,
    );
    const [value, biasValue] = scope.readFloats(result, 2);
    return { terms: readTerms(scope, terms, count), value, bias: biasValue };
  });
}

// max_pool2d and avg_pool2d: one export, told the kind; the second result is the winner or the divisor.
function poolTrace(core, op, kind, input, kernelSize, opts, at) {
  const x = tensorArg(input, op, 'input', 4);
  const spec = poolSpec(op, x.shape, kernelSize, opts, kind === AVG_POOL);
  const where = position(at, op);
  return core.scoped((scope) => {
    const { pointer, g } = solve(core, scope, spec);
    const capacity = g.kernel_h * g.kernel_w;
    const terms = scope.ints(capacity * TERM_WORDS, 'the trace'),
      result = scope.floats(2);
    const count = core.call('cnn_pool2d_trace', terms, capacity, result, scope.tensor(x), pointer, kind, ...where);
    const [value, extra] = scope.readFloats(result, 2);
    const summary = kind === MAX_POOL ? { winner: extra } : { divisor: extra };
    return { terms: readTerms(scope, terms, count), value, ...summary };
  });
}

export function conv2d(core, input, weight, bias, opts, at) {
  return convolutionTrace(core, 'conv2d', 'cnn_conv2d_trace', false, input, weight, bias, opts, at);
}

export function conv_transpose2d(core, input, weight, bias, opts, at) {
  return convolutionTrace(core, 'conv_transpose2d', 'cnn_conv_transpose2d_trace', true, input, weight, bias, opts, at);
}

export function max_pool2d(core, input, kernelSize, opts, at) {
  return poolTrace(core, 'max_pool2d', MAX_POOL, input, kernelSize, opts, at);
}

export function avg_pool2d(core, input, kernelSize, opts, at) {
  return poolTrace(core, 'avg_pool2d', AVG_POOL, input, kernelSize, opts, at);
}

/** cnn.trace, before cnn.js binds it to a core (its errors then start 'trace.conv2d: …'). */
export const tracing = { conv2d, conv_transpose2d, max_pool2d, avg_pool2d };
