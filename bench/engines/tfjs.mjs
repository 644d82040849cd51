// TensorFlow.js engines: 'wasm' (XNNPACK operators for Conv2D, depthwise,
// MaxPool, AvgPool; its own C loops for Conv2DBackpropInput and Mean; no
// Conv2DBackpropFilter) on one thread with SIMD, and 'cpu' (plain JS loops).
// Inputs are converted to NHWC / HWIO once, outside the timed region; a timed
// call runs the op (kernels execute synchronously on both backends) and frees
// its result, without reading it back.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import { HWIO_TO_OIHW, IOHW_TO_HWOI, NCHW_TO_NHWC, NHWC_TO_NCHW, OIHW_TO_HWIO, permute } from '../tensors.mjs';

// tfjs-cpu's Conv2DBackpropFilter reads through TensorBuffer.get(): 4–8 MFLOP/s
// here (2–5 s for the 10 M MACs of MNIST conv1), so bigger rows would take minutes.
const CPU_FILTER_GRAD_MAX_MACS = 15e6;
const CPU_FILTER_GRAD_FLOPS = 6e6;

let ready;
/** Registers both backends once: wasm with one thread (SIMD is detected and required). */
export function initTfjs() {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    tfWasm.setWasmPaths(require.resolve('@tensorflow/tfjs-backend-wasm').replace(/[^/]*$/, ''));
    tfWasm.setThreadsCount(1);
    tf.enableProdMode(); // production mode: no debug checks (and no "install tfjs-node" banner)
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await tf.setBackend('wasm');
    await tf.ready();
    if (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) throw new Error('tfjs-backend-wasm: no SIMD support detected');
    await tf.setBackend('cpu');
    await tf.ready();
    return { version: tf.version_core, simd: true, threads: tfWasm.getThreadsCount?.() ?? 1 };
  })();
  return ready;
}

/** Makes `backend` tfjs's current backend (tensors live in the backend that made them). */
export function activateBackend(backend) {
  return tf.getBackend() === backend ? undefined : tf.setBackend(backend);
}

// tfjs takes a number for symmetric padding; otherwise explicit [[0,0],[t,b],[l,r],[0,0]].
const tfPad = ([top, left, bottom, right]) =>
  top === bottom && left === right && top === left
    ? top
    : [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];

const nchwOut = (t) => permute(t.dataSync(), t.shape, NHWC_TO_NCHW).data;
const has = (kernel, backend) => tf.getKernel(kernel, backend) !== undefined;

export function tfjsEngine(name, backend) {
  return {
    name,
    firstPassOnly: backend === 'cpu', // 20–2000× slower than the rest: one pass says all
    activate: () => activateBackend(backend),
    async prepare(problem) {
      const { kind, params: p, row } = problem;
      if (kind === 'memcpy' || kind === 'train_step') return { skip: 'not a tfjs op' };
      await tf.setBackend(backend);
      const held = []; // tensors owned for the whole row
      const hold = (t) => (held.push(t), t);
      const nhwc = (t) => {
        const q = permute(t.data, t.shape, NCHW_TO_NHWC);
        return hold(tf.tensor(q.data, q.shape));
      };
      const x = nhwc(problem.x);
      const pad = p.padding ? tfPad(p.padding) : 0;
      let op,
        read = (outs) => outs.map(nchwOut),
        note;
      const ownLoop = (kernel) => (backend === 'wasm' ? `its own C loop (${kernel}), not XNNPACK` : undefined);

      if (kind === 'conv2d') {
        const [oc, icPerGroup] = row.weight;
        const depthwise = p.groups > 1 && p.groups === problem.x.shape[1] && icPerGroup === 1 && oc === p.groups;
        if (p.groups > 1 && !depthwise) return { skip: 'grouped (not depthwise) conv' };
        if (depthwise) {
          // [C, 1, KH, KW] → [KH, KW, C, 1]: same order as HWIO with the unit axis moved
          const w = hold(tf.tensor(permute(problem.w.data, row.weight, OIHW_TO_HWIO).data, [...p.kernel, oc, 1]));
          op = () => [tf.depthwiseConv2d(x, w, p.stride, pad, 'NHWC', p.dilation)];
        } else {
          const q = permute(problem.w.data, row.weight, OIHW_TO_HWIO),
            w = hold(tf.tensor(q.data, q.shape));
          op = () => [tf.conv2d(x, w, p.stride, pad, 'NHWC', p.dilation)];
        }
      } else if (kind === 'conv_transpose2d') {
        const q = permute(problem.w.data, row.weight, IOHW_TO_HWOI),
          w = hold(tf.tensor(q.data, q.shape));
        const [n, c, h, wd] = problem.outShape;
        if (p.dilation.some((d) => d !== 1) || p.groups !== 1)
          return { skip: 'tfjs conv2dTranspose has no dilation or groups' };
        op = () => [tf.conv2dTranspose(x, w, [n, h, wd, c], p.stride, pad)];
        note = ownLoop('Conv2DBackpropInput');
      } else if (kind.startsWith('conv2d_')) {
        if (p.dilation.some((d) => d !== 1) || p.groups !== 1)
          return { skip: 'tfjs conv backprop: no dilation or groups' };
        const q = permute(problem.w.data, row.weight, OIHW_TO_HWIO),
          w = hold(tf.tensor(q.data, q.shape));
        const dy = nhwc(problem.dy);
        const xShape = x.shape,
          filterShape = w.shape;
        const gradInput = () => tf.conv2dTranspose(dy, w, xShape, p.stride, pad);
        const gradWeight = () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x, dy },
              { strides: p.stride, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape },
            );
        const wantWeight = kind !== 'conv2d_grad_input';
        if (wantWeight && !has('Conv2DBackpropFilter', backend))
          return { skip: `no Conv2DBackpropFilter kernel in tfjs-backend-${backend}` };
        const weightMacs = problem.macs / (row.input_grad ? 2 : 1);
        if (wantWeight && backend === 'cpu' && weightMacs > CPU_FILTER_GRAD_MAX_MACS)
          return {
            skip: `its Conv2DBackpropFilter runs at 4–8 MFLOP/s (MNIST conv1 row): ~${Math.round((2 * weightMacs) / CPU_FILTER_GRAD_FLOPS)} s per call`,
          };
        const hwioOut = (t) => permute(t.dataSync(), t.shape, HWIO_TO_OIHW).data;
        if (kind === 'conv2d_grad_input') {
          op = () => [gradInput()];
          note = ownLoop('Conv2DBackpropInput');
        } else if (kind === 'conv2d_grad_weight') {
          op = () => [gradWeight()];
          read = ([dw]) => [hwioOut(dw)];
        } else {
          const wantInput = row.input_grad;
          op = () => [...(wantInput ? [gradInput()] : []), gradWeight(), tf.sum(dy, [0, 1, 2])];
          read = (outs) => {
            const [dw, db] = outs.slice(-2);
            return [...(wantInput ? [nchwOut(outs[0])] : []), hwioOut(dw), db.dataSync().slice()];
          };
        }
      } else if (kind === 'max_pool2d') {
        op = () => [tf.maxPool(x, p.kernel, p.stride, pad)];
      } else if (kind === 'avg_pool2d') {
        op = () => [tf.avgPool(x, p.kernel, p.stride, pad)];
      } else if (kind === 'global_avg_pool') {
        op = () => [tf.mean(x, [1, 2], true)];
        note = ownLoop('Mean');
      } else {
        return { skip: `no tfjs op for ${kind}` };
      }
      return {
        note,
        run() {
          for (const t of op()) t.dispose();
        },
        result() {
          const outs = op();
          try {
            return read(outs);
          } finally {
            for (const t of outs) t.dispose();
          }
        },
        dispose() {
          for (const t of held) t.dispose();
        },
      };
    },
  };
}
