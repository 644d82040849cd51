// onnxruntime-web on its wasm backend (MLAS kernels, SIMD build), one thread.
// Each row is a single-op ONNX model built by ../onnx.mjs with the weights as
// initializers. A timed call is one `await session.run(feeds)`: that includes
// ORT's own copy of the input into its heap and of the output out of it, which
// its API does not let a caller avoid.
import * as ort from 'onnxruntime-web';
import { singleOpModel } from '../onnx.mjs';

export function initOrt() {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return { version: ort.env.versions?.web ?? 'unknown', threads: 1 };
}

const SESSION_OPTIONS = {
  executionProviders: ['wasm'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
};

// ONNX pads are [x1_begin, x2_begin, x1_end, x2_end] = [top, left, bottom, right], like ours.
function model(problem) {
  const { kind, params: p, row } = problem;
  const x = { name: 'x', shape: problem.x.shape };
  const conv = (extra = {}) => ({
    kernel_shape: p.kernel,
    strides: p.stride,
    pads: p.padding,
    dilations: p.dilation,
    group: p.groups,
    ...extra,
  });
  if (kind === 'conv2d')
    return {
      opType: 'Conv',
      inputs: [x],
      weights: [{ name: 'w', shape: row.weight, data: problem.w.data }],
      output: { name: 'y', shape: problem.outShape },
      attributes: conv(),
      feed: problem.x,
    };
  if (kind === 'conv_transpose2d')
    return {
      opType: 'ConvTranspose',
      inputs: [x],
      weights: [{ name: 'w', shape: row.weight, data: problem.w.data }],
      output: { name: 'y', shape: problem.outShape },
      attributes: conv({ output_padding: p.output_padding }),
      feed: problem.x,
    };
  if (kind === 'conv2d_grad_input') {
    // dx = conv_transpose2d(dy, w): the conv weight [OC, C/G, KH, KW] is the transposed conv's [C_in, C_out/G, KH, KW].
    const [oh, ow] = problem.dy.shape.slice(2),
      [h, w] = problem.x.shape.slice(2);
    const natural = (o, s, k, d, before, after) => (o - 1) * s - before - after + d * (k - 1) + 1;
    const outputPadding = [
      h - natural(oh, p.stride[0], p.kernel[0], p.dilation[0], p.padding[0], p.padding[2]),
      w - natural(ow, p.stride[1], p.kernel[1], p.dilation[1], p.padding[1], p.padding[3]),
    ];
    return {
      opType: 'ConvTranspose',
      inputs: [{ name: 'dy', shape: problem.dy.shape }],
      weights: [{ name: 'w', shape: row.weight, data: problem.w.data }],
      output: { name: 'y', shape: problem.x.shape },
      attributes: conv({ output_padding: outputPadding }),
      feed: problem.dy,
    };
  }
  if (kind === 'max_pool2d' || kind === 'avg_pool2d')
    return {
      opType: kind === 'max_pool2d' ? 'MaxPool' : 'AveragePool',
      inputs: [x],
      output: { name: 'y', shape: problem.outShape },
      attributes: {
        kernel_shape: p.kernel,
        strides: p.stride,
        pads: p.padding,
        ...(kind === 'avg_pool2d' ? { count_include_pad: 1 } : {}),
      },
      feed: problem.x,
    };
  if (kind === 'global_avg_pool')
    return {
      opType: 'GlobalAveragePool',
      inputs: [x],
      output: { name: 'y', shape: problem.outShape },
      attributes: {},
      feed: problem.x,
    };
  return null;
}

export function ortEngine() {
  return {
    name: 'ort-wasm',
    async: true,
    async prepare(problem) {
      const m = model(problem);
      if (!m) return { skip: problem.kind.startsWith('conv2d_') ? 'no weight-gradient op in ONNX' : 'not an ONNX op' };
      const session = await ort.InferenceSession.create(singleOpModel(m), SESSION_OPTIONS);
      const feeds = { [m.inputs[0].name]: new ort.Tensor('float32', m.feed.data, m.feed.shape) };
      return {
        run: () => session.run(feeds),
        async result() {
          const out = await session.run(feeds);
          return [out.y.data];
        },
        dispose: () => session.release(),
      };
    },
  };
}
