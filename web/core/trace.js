// Traces for the widgets: the terms one output cell summed (or maxed), read
// from the core's cnn_trace_term records (8 int32 fields, then 3 float32).
import { integer, namedAll, optionalTensor, options, tensorArg } from './args.js';
import { convSpec, poolSpec, solve } from './specs.js';

// cnn_trace_term's counts (tests/layout.test.mjs checks them against the core).
export const TERM_INTS = 8, TERM_FLOATS = 3;
const TERM_WORDS = TERM_INTS + TERM_FLOATS;

export function createTracing(core) {
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
        channel: ints[base], row: ints[base + 1], col: ints[base + 2],
        padded_row: ints[base + 3], padded_col: ints[base + 4],
        kernel_row: ints[base + 5], kernel_col: ints[base + 6], in_bounds: ints[base + 7] !== 0,
        value: floats[base + TERM_INTS], weight: floats[base + TERM_INTS + 1], product: floats[base + TERM_INTS + 2],
      };
    });
  }

  function convolution(op, exportName, transposed) {
    return (input, weight, bias, opts, at) => {
      const x = tensorArg(input, op, 'input', 4), w = tensorArg(weight, op, 'weight', 4);
      const b = optionalTensor(bias, op, 'bias', 1);
      const spec = convSpec(op, x.shape, w.shape, opts, transposed);
      const where = position(at, op);
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, spec);
        if (b && b.size !== g.out_channels)
          throw new RangeError(`${op}: bias must have ${g.out_channels} elements, got ${b.size}`);
        const capacity = (g.in_channels / g.groups) * g.kernel_h * g.kernel_w;
        const terms = scope.ints(capacity * TERM_WORDS, 'the trace'), result = scope.floats(2);
        const count = core.call(exportName, terms, capacity, result, scope.tensor(x), scope.tensor(w),
          b ? scope.tensor(b) : 0, pointer, ...where);
        const [value, biasValue] = scope.readFloats(result, 2);
        return { terms: readTerms(scope, terms, count), value, bias: biasValue };
      });
    };
  }

  function pool(op, kind) {
    return (input, kernelSize, opts, at) => {
      const x = tensorArg(input, op, 'input', 4);
      const spec = poolSpec(op, x.shape, kernelSize, opts, kind === 1);
      const where = position(at, op);
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, spec);
        const capacity = g.kernel_h * g.kernel_w;
        const terms = scope.ints(capacity * TERM_WORDS, 'the trace'), result = scope.floats(2);
        const count = core.call('cnn_pool2d_trace', terms, capacity, result, scope.tensor(x), pointer, kind, ...where);
        const [value, extra] = scope.readFloats(result, 2);
        const summary = kind === 0 ? { winner: extra } : { divisor: extra };
        return { terms: readTerms(scope, terms, count), value, ...summary };
      });
    };
  }

  return namedAll({
    conv2d: convolution('conv2d', 'cnn_conv2d_trace', false),
    conv_transpose2d: convolution('conv_transpose2d', 'cnn_conv_transpose2d_trace', true),
    max_pool2d: pool('max_pool2d', 0),
    avg_pool2d: pool('avg_pool2d', 1),
  }, 'trace.');
}
