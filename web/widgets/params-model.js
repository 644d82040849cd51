// <cnn-params>'s logic, DOM-free: parameter, MAC and FLOP counts of a layer or a block, each
// count from the core (arithmetic.conv2d_params, conv2d_shape → macs and flops,
// batch_norm2d_params, receptive_field). Block totals add the per-layer counts, as
// nn.Sequential.summary does. Defaults reproduce the seed article's figures: 192, 1,728,
// 4,800 and 9,408 for 3 → 64; 102,400 against 73,728 for 64 → 64; the bottleneck block.
// Names and sentences come from `t` (web/i18n), the last argument, English by default.
import { conv2dCode } from './pytorch-code.js';
import { explained } from './explained.js';
import { english } from '../i18n/index.js';

/** View → the message key of its button. */
export const PARAMS_VIEWS = {
  kernels: 'params.view.kernels',
  stack: 'params.view.stack',
  bottleneck: 'params.view.bottleneck',
  layer: 'params.view.layer',
};

export const PARAMS_SCHEMA = {
  view: { type: 'enum', values: Object.keys(PARAMS_VIEWS), default: 'kernels' },
  'in-channels': { type: 'int', min: 1, max: 2048, default: 3 },
  'out-channels': { type: 'int', min: 1, max: 2048, default: 64 },
  kernel: { type: 'int', min: 1, max: 11, default: 3 },
  stride: { type: 'int', min: 1, max: 4, default: 1 },
  groups: { type: 'int', min: 1, max: 2048, default: 1 },
  bias: { type: 'bool', default: false },
  size: { type: 'int', min: 1, max: 512, default: 32 },
  channels: { type: 'int', min: 1, max: 2048, default: 64 },
  'block-in': { type: 'int', min: 4, max: 2048, default: 256 },
  'block-out': { type: 'int', min: 4, max: 2048, default: 256 },
  downsample: { type: 'bool', default: false },
};

const KERNEL_SIZES = [1, 3, 5, 7];

/**
 * One conv layer on a size × size input: params, output shape, MACs and FLOPs from the core.
 * padding defaults to 'same' (stride 1), or for a larger stride to the begin side of 'same'
 * (kernel // 2 for odd kernels), as the seed's downsampling row does.
 */
function convLayer(
  cnn,
  { name, inChannels, outChannels, kernel, stride = 1, padding, groups = 1, bias = false, size },
) {
  const params = cnn.arithmetic.conv2d_params(inChannels, outChannels, kernel, { groups, bias }); // first: it explains bad groups
  const weightShape = [outChannels, inChannels / groups, kernel, kernel];
  const options = {
    stride,
    padding: padding ?? (stride === 1 ? 'same' : cnn.arithmetic.same_padding(kernel)[0]),
    groups,
  };
  const shape = cnn.arithmetic.conv2d_shape([1, inChannels, size, size], weightShape, options);
  return {
    name,
    code: conv2dCode({ inChannels, outChannels, kernel, stride, padding: options.padding, groups, bias }),
    params,
    macs: shape.macs,
    flops: shape.flops,
    shape: shape.shape,
    window: { kernel, stride, padding: typeof options.padding === 'number' ? options.padding : shape.padding[0] },
  };
}

function batchNormLayer(cnn, name, channels, shape) {
  return {
    name,
    code: `nn.BatchNorm2d(${channels})`,
    params: cnn.arithmetic.batch_norm2d_params(channels),
    macs: 0,
    flops: 0,
    shape,
    window: null,
  };
}

/** Totals of a list of rows (like nn.Sequential.summary), and its receptive field from the core. */
function totals(cnn, rows) {
  const windows = rows.filter((row) => row.window).map((row) => row.window);
  return {
    params: rows.reduce((sum, row) => sum + row.params, 0),
    macs: rows.reduce((sum, row) => sum + row.macs, 0),
    flops: rows.reduce((sum, row) => sum + row.flops, 0),
    rf: windows.length ? cnn.arithmetic.receptive_field(windows).at(-1).rf : 1,
  };
}

/** The seed's table: the same in → out layer with 1×1, 3×3, 5×5 and 7×7 kernels. */
export function kernelTable(cnn, state, t = english) {
  return explained(() => ({
    rows: KERNEL_SIZES.map((kernel) => ({
      ...convLayer(cnn, {
        name: `${kernel}×${kernel}`,
        inChannels: state.inChannels,
        outChannels: state.outChannels,
        kernel,
        bias: state.bias,
        size: state.size,
      }),
      kernel,
      use: t(`params.use.${kernel}`), // the seed article's "core usage" column
    })),
  }));
}

/** One 5×5 against two 3×3, channels → channels: same receptive field, fewer weights. */
export function stackComparison(cnn, state, t = english) {
  return explained(() => {
    const layer = (name, kernel) =>
      convLayer(cnn, {
        name,
        inChannels: state.channels,
        outChannels: state.channels,
        kernel,
        bias: state.bias,
        size: state.size,
      });
    const single = [layer('5×5', 5)];
    const double = [layer(t('params.layer.first-3x3'), 3), layer(t('params.layer.second-3x3'), 3)];
    const singleTotals = totals(cnn, single);
    const doubleTotals = totals(cnn, double);
    return { single, double, singleTotals, doubleTotals, saving: 1 - doubleTotals.params / singleTotals.params };
  });
}

/**
 * The seed's ResNet bottleneck: 1×1 reduce → 3×3 (stride 2 when downsampling) → 1×1 expand,
 * each followed by batch norm, and a 1×1 shortcut when the size or channel count changes.
 */
export function bottleneckBlock(cnn, state, t = english) {
  return explained(() => {
    const inner = Math.floor(state.blockOut / 4); // the seed's bottleneck_channels = out_channels // 4
    const stride = state.downsample ? 2 : 1;
    const reduce = convLayer(cnn, {
      name: t('params.layer.reduce'),
      inChannels: state.blockIn,
      outChannels: inner,
      kernel: 1,
      padding: 0,
      size: state.size,
    });
    const spatial = convLayer(cnn, {
      name: '3×3',
      inChannels: inner,
      outChannels: inner,
      kernel: 3,
      stride,
      padding: 1,
      size: reduce.shape[2],
    });
    const expand = convLayer(cnn, {
      name: t('params.layer.expand'),
      inChannels: inner,
      outChannels: state.blockOut,
      kernel: 1,
      padding: 0,
      size: spatial.shape[2],
    });
    const main = [
      reduce,
      batchNormLayer(cnn, t('params.layer.batch-norm'), inner, reduce.shape),
      spatial,
      batchNormLayer(cnn, t('params.layer.batch-norm'), inner, spatial.shape),
      expand,
      batchNormLayer(cnn, t('params.layer.batch-norm'), state.blockOut, expand.shape),
    ];
    const needsShortcut = state.downsample || state.blockIn !== state.blockOut;
    const shortcut = needsShortcut
      ? [
          convLayer(cnn, {
            name: t('params.layer.shortcut'),
            inChannels: state.blockIn,
            outChannels: state.blockOut,
            kernel: 1,
            stride,
            padding: 0,
            size: state.size,
          }),
          batchNormLayer(cnn, t('params.layer.shortcut-batch-norm'), state.blockOut, expand.shape),
        ]
      : [];
    return { inner, main, shortcut, total: totals(cnn, [...main, ...shortcut]), mainTotal: totals(cnn, main) };
  });
}

/** Group counts that divide both channel counts: the slider's stops from standard to depthwise. */
export function groupStops(inChannels, outChannels) {
  return Array.from({ length: inChannels }, (_, index) => index + 1).filter(
    (groups) => inChannels % groups === 0 && outChannels % groups === 0,
  );
}

/** One layer with groups: standard (groups 1) … depthwise (groups = in_channels). */
export function groupedLayer(cnn, state, t = english) {
  return explained(() => {
    const layer = convLayer(cnn, {
      name: t('params.layer.this'),
      inChannels: state.inChannels,
      outChannels: state.outChannels,
      kernel: state.kernel,
      stride: state.stride,
      groups: state.groups,
      bias: state.bias,
      size: state.size,
    });
    const standard = convLayer(cnn, {
      name: t('params.layer.standard'),
      inChannels: state.inChannels,
      outChannels: state.outChannels,
      kernel: state.kernel,
      stride: state.stride,
      bias: state.bias,
      size: state.size,
    });
    return { layer, standard, depthwise: state.groups === state.inChannels, ratio: layer.params / standard.params };
  });
}

/**
 * The slips of the kernel-table question (a layer in → out with the chosen kernel), each the
 * core's count with one factor left out or a bias added, and what to fix.
 */
export function kernelSlips(cnn, state, t = english) {
  const count = (inChannels, outChannels, bias) =>
    cnn.arithmetic.conv2d_params(inChannels, outChannels, state.kernel, { bias });
  const vars = { out: state.outChannels, in: state.inChannels, kernel: `${state.kernel}×${state.kernel}` };
  return [
    { expected: [count(1, state.outChannels, state.bias)], message: t('params.slip-in-channels', vars) },
    {
      expected: [count(state.inChannels, 1, false) + (state.bias ? state.outChannels : 0)],
      message: t('params.slip-one-kernel', vars),
    },
    {
      expected: [count(state.inChannels, state.outChannels, !state.bias)],
      message: t(state.bias ? 'params.slip-no-bias' : 'params.slip-bias'),
    },
  ];
}
