// Turns PyTorch-style arguments into the core's geometry record, and asks the
// core to validate it and fill in the output size. Shared by the ops, their
// gradients, the traces and the shape arithmetic, so all agree by construction.
import { bool, geometry, geometryObject, GEOMETRY_FIELDS, integer, options, pair } from './args.js';

function checkShapeLength(shape, op, name) {
  if (!Array.isArray(shape) || shape.length !== 4)
    throw new RangeError(
      `${op}: ${name} must be 4-D [N, C, H, W], got ${Array.isArray(shape) ? `[${shape.join(', ')}]` : typeof shape}`,
    );
  return shape.map((size, axis) => integer(size, op, `${name}[${axis}]`));
}

/** conv2d / conv_transpose2d: fields from input [N, C, H, W] and the weight shape. */
export const CONV_OPTIONS = ['stride', 'padding', 'dilation', 'groups'];
export const CONV_TRANSPOSE_OPTIONS = ['stride', 'padding', 'output_padding', 'dilation', 'groups'];
export const MAX_POOL_OPTIONS = ['stride', 'padding', 'dilation', 'ceil_mode'];
export const AVG_POOL_OPTIONS = ['stride', 'padding', 'ceil_mode', 'count_include_pad'];

export function convSpec(op, inputShape, weightShape, rawOptions, transposed) {
  const o = options(rawOptions, op, transposed ? CONV_TRANSPOSE_OPTIONS : CONV_OPTIONS);
  const [batch, channels, height, width] = checkShapeLength(inputShape, op, 'input');
  const [w0, w1, kernel_h, kernel_w] = checkShapeLength(weightShape, op, 'weight');
  const groups = integer(o.groups ?? 1, op, 'groups');
  const [stride_h, stride_w] = pair(o.stride ?? 1, op, 'stride');
  const [dilation_h, dilation_w] = pair(o.dilation ?? 1, op, 'dilation');
  let padding = o.padding ?? 0;
  const same = padding === 'same';
  if (padding === 'valid' || same) {
    if (transposed) throw new TypeError(`${op}: padding must be an int or a pair, got '${padding}'`);
    padding = 0;
  } else if (typeof padding === 'string') {
    throw new RangeError(`${op}: padding must be an int, a pair, 'same' or 'valid', got '${padding}'`);
  }
  const [pad_h, pad_w] = pair(padding, op, 'padding');
  const [output_padding_h, output_padding_w] = transposed ? pair(o.output_padding ?? 0, op, 'output_padding') : [0, 0];
  if (groups < 1) throw new RangeError(`${op}: groups must be at least 1, got ${groups}`);
  // weight [OC, C/groups, KH, KW] for conv, [C, OC/groups, KH, KW] for transposed.
  if (transposed ? w0 !== channels : w1 * groups !== channels)
    throw new RangeError(
      transposed
        ? `${op}: weight.shape[0] = ${w0} must equal the input channels ${channels}`
        : `${op}: weight.shape[1] = ${w1} times groups = ${groups} must equal the input channels ${channels}`,
    );
  return {
    op,
    same,
    geometry: geometry({
      batch,
      in_channels: channels,
      in_height: height,
      in_width: width,
      out_channels: transposed ? w1 * groups : w0,
      kernel_h,
      kernel_w,
      stride_h,
      stride_w,
      pad_top: pad_h,
      pad_left: pad_w,
      pad_bottom: pad_h,
      pad_right: pad_w,
      dilation_h,
      dilation_w,
      groups,
      output_padding_h,
      output_padding_w,
    }),
  };
}

/** max_pool2d / avg_pool2d: stride defaults to the kernel size, as in PyTorch. */
export function poolSpec(op, inputShape, kernelSize, rawOptions, average) {
  const o = options(rawOptions, op, average ? AVG_POOL_OPTIONS : MAX_POOL_OPTIONS);
  const [batch, channels, height, width] = checkShapeLength(inputShape, op, 'input');
  const [kernel_h, kernel_w] = pair(kernelSize, op, 'kernel_size');
  const [stride_h, stride_w] =
    o.stride === undefined || o.stride === null ? [kernel_h, kernel_w] : pair(o.stride, op, 'stride');
  const [pad_h, pad_w] = pair(o.padding ?? 0, op, 'padding');
  const [dilation_h, dilation_w] = average ? [1, 1] : pair(o.dilation ?? 1, op, 'dilation');
  return {
    op,
    geometry: geometry({
      batch,
      in_channels: channels,
      in_height: height,
      in_width: width,
      out_channels: channels,
      kernel_h,
      kernel_w,
      stride_h,
      stride_w,
      pad_top: pad_h,
      pad_left: pad_w,
      pad_bottom: pad_h,
      pad_right: pad_w,
      dilation_h,
      dilation_w,
      ceil_mode: bool(o.ceil_mode, op, 'ceil_mode', false) ? 1 : 0,
      count_include_pad: bool(o.count_include_pad, op, 'count_include_pad', true) ? 1 : 0,
    }),
  };
}

const GEOMETRY_FUNCTIONS = {
  conv2d: 'cnn_conv2d_geometry',
  conv_transpose2d: 'cnn_conv_transpose2d_geometry',
  max_pool2d: 'cnn_max_pool2d_geometry',
  avg_pool2d: 'cnn_avg_pool2d_geometry',
};

/**
 * Inside a core scope: writes the record, lets the core apply 'same' padding
 * and validate, and returns its pointer and the solved fields (out sizes, pads).
 */
export function solve(core, scope, spec) {
  const pointer = scope.ints(spec.geometry, 'the geometry');
  if (spec.same) core.call('cnn_conv2d_pad_same', pointer);
  core.call(GEOMETRY_FUNCTIONS[spec.op], pointer);
  return { pointer, g: geometryObject(scope.readInts(pointer, GEOMETRY_FIELDS.length)) };
}

export function outputShape(g) {
  return [g.batch, g.out_channels, g.out_height, g.out_width];
}
