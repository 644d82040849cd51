// Sizes, parameter and MAC counts and receptive fields, all computed by the core. Each function
// takes the core first; the layers call them directly, cnn.js binds `arithmetic` for the public
// API (cnn.arithmetic), so a caller's errors name the function called.
import { bool, describe, geometry, geometryObject, GEOMETRY_FIELDS, integer, options, pair } from './args.js';
import { convSpec, outputShape, poolSpec, solve } from './specs.js';

const RF_COLUMNS = 4; // rf, jump, start, center

// An int32 argument of the core, `fallback` when absent.
const int = (value, op, name, fallback) => integer(value ?? fallback, op, name);

// Each value of `values` checked as an int32 argument of op, named by `names`.
const ints = (op, names, values) => values.map((value, i) => int(value, op, names[i]));

export function conv_out_size(core, size, kernel, stride = 1, padTotal = 0, dilation = 1) {
  return core.call(
    'cnn_conv_out_size',
    ...ints(
      'conv_out_size',
      ['size', 'kernel', 'stride', 'pad_total', 'dilation'],
      [size, kernel, stride, padTotal, dilation],
    ),
  );
}

export function conv_transpose_out_size(core, size, kernel, stride = 1, padTotal = 0, dilation = 1, outputPadding = 0) {
  return core.call(
    'cnn_conv_transpose_out_size',
    ...ints(
      'conv_transpose_out_size',
      ['size', 'kernel', 'stride', 'pad_total', 'dilation', 'output_padding'],
      [size, kernel, stride, padTotal, dilation, outputPadding],
    ),
  );
}

export function pool_out_size(core, size, kernel, stride = kernel, pad = 0, dilation = 1, ceilMode = false) {
  return core.call(
    'cnn_pool_out_size',
    ...ints('pool_out_size', ['size', 'kernel', 'stride', 'pad', 'dilation'], [size, kernel, stride, pad, dilation]),
    bool(ceilMode, 'pool_out_size', 'ceil_mode', false) ? 1 : 0,
  );
}

export function pool_ceil_size_before_rule(core, size, kernel, stride = kernel, pad = 0, dilation = 1) {
  return core.call(
    'cnn_pool_ceil_size_before_rule',
    ...ints(
      'pool_ceil_size_before_rule',
      ['size', 'kernel', 'stride', 'pad', 'dilation'],
      [size, kernel, stride, pad, dilation],
    ),
  );
}

// conv2d_params and conv_transpose2d_params: the same arguments, each its core's formula.
function convolutionParams(core, op, exportName, inChannels, outChannels, kernel, opts) {
  const o = options(opts, op, ['groups', 'bias']);
  const [kh, kw] = pair(kernel, op, 'kernel_size');
  return core.call(
    exportName,
    int(inChannels, op, 'in_channels'),
    int(outChannels, op, 'out_channels'),
    kh,
    kw,
    int(o.groups, op, 'groups', 1),
    bool(o.bias, op, 'bias', true) ? 1 : 0,
  );
}

export function conv2d_params(core, inChannels, outChannels, kernel, opts = {}) {
  return convolutionParams(core, 'conv2d_params', 'cnn_conv2d_params', inChannels, outChannels, kernel, opts);
}

export function conv_transpose2d_params(core, inChannels, outChannels, kernel, opts = {}) {
  return convolutionParams(
    core,
    'conv_transpose2d_params',
    'cnn_conv_transpose2d_params',
    inChannels,
    outChannels,
    kernel,
    opts,
  );
}

export function linear_params(core, inFeatures, outFeatures, bias = true) {
  return core.call(
    'cnn_linear_params',
    int(inFeatures, 'linear_params', 'in_features'),
    int(outFeatures, 'linear_params', 'out_features'),
    bool(bias, 'linear_params', 'bias', true) ? 1 : 0,
  );
}

export function linear_macs(core, batch, inFeatures, outFeatures) {
  return core.call(
    'cnn_linear_macs',
    ...ints('linear_macs', ['batch', 'in_features', 'out_features'], [batch, inFeatures, outFeatures]),
  );
}

export function batch_norm2d_params(core, channels, affine = true) {
  return core.call(
    'cnn_batch_norm2d_params',
    int(channels, 'batch_norm2d_params', 'channels'),
    bool(affine, 'batch_norm2d_params', 'affine', true) ? 1 : 0,
  );
}

/** padding='same' for one axis: [begin, end]; the odd extra pixel goes to the end. */
export function same_padding(core, kernel, dilation = 1) {
  return core.scoped((scope) => {
    const pointer = scope.ints(
      geometry({
        kernel_h: int(kernel, 'same_padding', 'kernel'),
        kernel_w: 1,
        dilation_h: int(dilation, 'same_padding', 'dilation'),
      }),
    );
    core.call('cnn_conv2d_pad_same', pointer);
    const g = geometryObject(scope.readInts(pointer, GEOMETRY_FIELDS.length));
    return [g.pad_top, g.pad_bottom];
  });
}

/** 2 · macs: a multiply and an add per MAC. */
export function flops(core, macs) {
  if (typeof macs !== 'number') throw new TypeError(`flops: macs must be a number, got ${describe(macs)}`);
  if (!Number.isInteger(macs) || macs < 0)
    throw new RangeError(`flops: macs must be a whole number at least 0, got ${macs}`);
  return core.call('cnn_macs_to_flops', macs);
}

export function conv2d_shape(core, inputShape, weightShape, opts = {}) {
  return core.scoped((scope) => {
    const { pointer, g } = solve(core, scope, convSpec('conv2d', inputShape, weightShape, opts, false));
    const macs = core.call('cnn_conv2d_macs', pointer);
    return {
      shape: outputShape(g),
      macs,
      flops: core.call('cnn_macs_to_flops', macs),
      padding: [g.pad_top, g.pad_left, g.pad_bottom, g.pad_right],
    };
  });
}

export function conv_transpose2d_shape(core, inputShape, weightShape, opts = {}) {
  return core.scoped((scope) => {
    const { pointer, g } = solve(core, scope, convSpec('conv_transpose2d', inputShape, weightShape, opts, true));
    const macs = core.call('cnn_conv_transpose2d_macs', pointer);
    const equivalent = scope.ints(6);
    core.call('cnn_conv_transpose2d_equivalent', equivalent, pointer);
    const [h, w, top, left, bottom, right] = scope.readInts(equivalent, 6);
    return {
      shape: outputShape(g),
      macs,
      flops: core.call('cnn_macs_to_flops', macs),
      equivalent: { size: [h, w], padding: [top, left, bottom, right] },
    };
  });
}

export function max_pool2d_shape(core, inputShape, kernelSize, opts = {}) {
  return core.scoped((scope) => ({
    shape: outputShape(solve(core, scope, poolSpec('max_pool2d', inputShape, kernelSize, opts, false)).g),
  }));
}

export function avg_pool2d_shape(core, inputShape, kernelSize, opts = {}) {
  return core.scoped((scope) => ({
    shape: outputShape(solve(core, scope, poolSpec('avg_pool2d', inputShape, kernelSize, opts, true)).g),
  }));
}

// The int32 records cnn_receptive_field reads: kernel, stride, padding, dilation per layer.
function layerRecords(layers, op) {
  if (!Array.isArray(layers))
    throw new TypeError(`${op}: layers must be an array of {kernel, stride, padding, dilation}`);
  return Int32Array.from(
    layers.flatMap((layer, i) => {
      const l = options(layer, op, ['kernel', 'stride', 'padding', 'dilation']);
      return [
        int(l.kernel, op, `layers[${i}].kernel`),
        int(l.stride, op, `layers[${i}].stride`, 1),
        int(l.padding, op, `layers[${i}].padding`, 0),
        int(l.dilation, op, `layers[${i}].dilation`, 1),
      ];
    }),
  );
}

export function receptive_field(core, layers) {
  const records = layerRecords(layers, 'receptive_field');
  return core.scoped((scope) => {
    const result = scope.doubles(layers.length * RF_COLUMNS);
    core.call('cnn_receptive_field', result, scope.ints(records), layers.length);
    const values = scope.readDoubles(result, layers.length * RF_COLUMNS);
    return layers.map((_, i) => ({
      rf: values[i * 4],
      jump: values[i * 4 + 1],
      start: values[i * 4 + 2],
      center: values[i * 4 + 3],
    }));
  });
}

export function receptive_field_span(core, layers, index) {
  const records = layerRecords(layers, 'receptive_field_span');
  return core.scoped((scope) => {
    const span = scope.doubles(2);
    core.call(
      'cnn_receptive_field_span',
      span,
      scope.ints(records),
      layers.length,
      int(index, 'receptive_field_span', 'index'),
    );
    return [...scope.readDoubles(span, 2)];
  });
}

/** cnn.arithmetic, before cnn.js binds it to a core. */
export const arithmetic = {
  conv_out_size,
  conv_transpose_out_size,
  pool_out_size,
  pool_ceil_size_before_rule,
  conv2d_params,
  conv_transpose2d_params,
  linear_params,
  linear_macs,
  batch_norm2d_params,
  same_padding,
  flops,
  conv2d_shape,
  conv_transpose2d_shape,
  max_pool2d_shape,
  avg_pool2d_shape,
  receptive_field,
  receptive_field_span,
};
