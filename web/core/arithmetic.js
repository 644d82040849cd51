// Sizes, parameter and MAC counts and receptive fields, all computed by the core.
import { bool, describe, geometry, geometryObject, GEOMETRY_FIELDS, integer, options, pair } from './args.js';
import { convSpec, outputShape, poolSpec, solve } from './specs.js';

const RF_COLUMNS = 4; // rf, jump, start, center

export function createArithmetic(core) {
  const int = (value, op, name, fallback) => integer(value ?? fallback, op, name);

  function layerRecords(layers, op) {
    if (!Array.isArray(layers)) throw new TypeError(`${op}: layers must be an array of {kernel, stride, padding, dilation}`);
    return Int32Array.from(layers.flatMap((layer, i) => {
      const l = options(layer, op, ['kernel', 'stride', 'padding', 'dilation']);
      return [int(l.kernel, op, `layers[${i}].kernel`), int(l.stride, op, `layers[${i}].stride`, 1),
        int(l.padding, op, `layers[${i}].padding`, 0), int(l.dilation, op, `layers[${i}].dilation`, 1)];
    }));
  }

  // The layers call these directly; cnn.js wraps each for the public API, so its errors name it.
  return {
    conv_out_size: (size, kernel, stride = 1, padTotal = 0, dilation = 1) =>
      core.call('cnn_conv_out_size', int(size, 'conv_out_size', 'size'), int(kernel, 'conv_out_size', 'kernel'),
        int(stride, 'conv_out_size', 'stride'), int(padTotal, 'conv_out_size', 'pad_total'), int(dilation, 'conv_out_size', 'dilation')),
    conv_transpose_out_size: (size, kernel, stride = 1, padTotal = 0, dilation = 1, outputPadding = 0) =>
      core.call('cnn_conv_transpose_out_size', ...[size, kernel, stride, padTotal, dilation, outputPadding]
        .map((v, i) => int(v, 'conv_transpose_out_size', ['size', 'kernel', 'stride', 'pad_total', 'dilation', 'output_padding'][i]))),
    pool_out_size: (size, kernel, stride = kernel, pad = 0, dilation = 1, ceilMode = false) =>
      core.call('cnn_pool_out_size', ...[size, kernel, stride, pad, dilation]
        .map((v, i) => int(v, 'pool_out_size', ['size', 'kernel', 'stride', 'pad', 'dilation'][i])),
      bool(ceilMode, 'pool_out_size', 'ceil_mode', false) ? 1 : 0),
    pool_ceil_size_before_rule: (size, kernel, stride = kernel, pad = 0, dilation = 1) =>
      core.call('cnn_pool_ceil_size_before_rule', ...[size, kernel, stride, pad, dilation]
        .map((v, i) => int(v, 'pool_ceil_size_before_rule', ['size', 'kernel', 'stride', 'pad', 'dilation'][i]))),

    conv2d_params(inChannels, outChannels, kernel, opts = {}) {
      const op = 'conv2d_params', o = options(opts, op, ['groups', 'bias']);
      const [kh, kw] = pair(kernel, op, 'kernel_size');
      return core.call('cnn_conv2d_params', int(inChannels, op, 'in_channels'), int(outChannels, op, 'out_channels'),
        kh, kw, int(o.groups, op, 'groups', 1), bool(o.bias, op, 'bias', true) ? 1 : 0);
    },
    conv_transpose2d_params(inChannels, outChannels, kernel, opts = {}) {
      const op = 'conv_transpose2d_params', o = options(opts, op, ['groups', 'bias']);
      const [kh, kw] = pair(kernel, op, 'kernel_size');
      return core.call('cnn_conv_transpose2d_params', int(inChannels, op, 'in_channels'), int(outChannels, op, 'out_channels'),
        kh, kw, int(o.groups, op, 'groups', 1), bool(o.bias, op, 'bias', true) ? 1 : 0);
    },
    linear_params: (inFeatures, outFeatures, bias = true) =>
      core.call('cnn_linear_params', int(inFeatures, 'linear_params', 'in_features'),
        int(outFeatures, 'linear_params', 'out_features'), bool(bias, 'linear_params', 'bias', true) ? 1 : 0),
    linear_macs: (batch, inFeatures, outFeatures) =>
      core.call('cnn_linear_macs', int(batch, 'linear_macs', 'batch'), int(inFeatures, 'linear_macs', 'in_features'),
        int(outFeatures, 'linear_macs', 'out_features')),
    batch_norm2d_params: (channels, affine = true) =>
      core.call('cnn_batch_norm2d_params', int(channels, 'batch_norm2d_params', 'channels'),
        bool(affine, 'batch_norm2d_params', 'affine', true) ? 1 : 0),
    /** padding='same' for one axis: [begin, end]; the odd extra pixel goes to the end. */
    same_padding(kernel, dilation = 1) {
      return core.scoped((scope) => {
        const pointer = scope.ints(geometry({ kernel_h: int(kernel, 'same_padding', 'kernel'), kernel_w: 1,
          dilation_h: int(dilation, 'same_padding', 'dilation') }));
        core.call('cnn_conv2d_pad_same', pointer);
        const g = geometryObject(scope.readInts(pointer, GEOMETRY_FIELDS.length));
        return [g.pad_top, g.pad_bottom];
      });
    },
    /** 2 · macs: a multiply and an add per MAC. */
    flops(macs) {
      if (typeof macs !== 'number') throw new TypeError(`flops: macs must be a number, got ${describe(macs)}`);
      if (!Number.isInteger(macs) || macs < 0) throw new RangeError(`flops: macs must be a whole number at least 0, got ${macs}`);
      return core.call('cnn_macs_to_flops', macs);
    },

    conv2d_shape(inputShape, weightShape, opts = {}) {
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, convSpec('conv2d', inputShape, weightShape, opts, false));
        const macs = core.call('cnn_conv2d_macs', pointer);
        return { shape: outputShape(g), macs, flops: core.call('cnn_macs_to_flops', macs),
          padding: [g.pad_top, g.pad_left, g.pad_bottom, g.pad_right] };
      });
    },
    conv_transpose2d_shape(inputShape, weightShape, opts = {}) {
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, convSpec('conv_transpose2d', inputShape, weightShape, opts, true));
        const macs = core.call('cnn_conv_transpose2d_macs', pointer);
        const equivalent = scope.ints(6);
        core.call('cnn_conv_transpose2d_equivalent', equivalent, pointer);
        const [h, w, top, left, bottom, right] = scope.readInts(equivalent, 6);
        return { shape: outputShape(g), macs, flops: core.call('cnn_macs_to_flops', macs),
          equivalent: { size: [h, w], padding: [top, left, bottom, right] } };
      });
    },
    max_pool2d_shape: (inputShape, kernelSize, opts = {}) => core.scoped((scope) =>
      ({ shape: outputShape(solve(core, scope, poolSpec('max_pool2d', inputShape, kernelSize, opts, false)).g) })),
    avg_pool2d_shape: (inputShape, kernelSize, opts = {}) => core.scoped((scope) =>
      ({ shape: outputShape(solve(core, scope, poolSpec('avg_pool2d', inputShape, kernelSize, opts, true)).g) })),

    receptive_field(layers) {
      const records = layerRecords(layers, 'receptive_field');
      return core.scoped((scope) => {
        const result = scope.doubles(layers.length * RF_COLUMNS);
        core.call('cnn_receptive_field', result, scope.ints(records), layers.length);
        const values = scope.readDoubles(result, layers.length * RF_COLUMNS);
        return layers.map((_, i) => ({ rf: values[i * 4], jump: values[i * 4 + 1], start: values[i * 4 + 2], center: values[i * 4 + 3] }));
      });
    },
    receptive_field_span(layers, index) {
      const records = layerRecords(layers, 'receptive_field_span');
      return core.scoped((scope) => {
        const span = scope.doubles(2);
        core.call('cnn_receptive_field_span', span, scope.ints(records), layers.length,
          int(index, 'receptive_field_span', 'index'));
        return [...scope.readDoubles(span, 2)];
      });
    },
  };
}
