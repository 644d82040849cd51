// Our core, timed two ways:
//   coreEngine     the raw exports of web/build/cnn-{simd,scalar}.wasm through a
//                  thin harness: buffers are allocated and filled once, so a
//                  timed call is exactly one exported C function.
//   bindingEngine  the public binding (web/cnn.js): copies in and out, checks,
//                  allocation per call; its excess over coreEngine is the
//                  "binding overhead" of the row.
// The first call of a row runs on a cold module, as a page's first call does:
// compiled from bytes V8 has not seen (a custom section names the row, so its
// module cache cannot answer), instantiated with fresh memory: it pays for
// lazy compilation, baseline-tier code, growing memory and touching its pages.
// The timed calls run on a fresh instance of the module compiled once, whose
// code earlier rows have already tiered up.
import { readFile } from 'node:fs/promises';
import { geometry } from '../../web/core/args.js';
import { sizeOf } from '../tensors.mjs';

const NULL = 0;

/** {bytes, module} of web/build/cnn-<variant>.wasm. */
export async function compileCore(variant) {
  const bytes = await readFile(new URL(`../../web/build/cnn-${variant}.wasm`, import.meta.url));
  return { bytes, module: new WebAssembly.Module(bytes) };
}

/** The same module with a custom section naming `tag` appended: new bytes, so a cold compile. */
function coldModule(bytes, tag) {
  const leb = (n) => {
    const out = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n);
    return out;
  };
  const name = [...new TextEncoder().encode('bench-cold')],
    payload = [...new TextEncoder().encode(`${tag} ${Math.random()}`)];
  const body = [...leb(name.length), ...name, ...payload];
  return new WebAssembly.Module(Uint8Array.from([...bytes, 0x00, ...leb(body.length), ...body]));
}

/** The cnn_geometry record (Int32Array) of a problem from problems.mjs. */
export function geometryRecord(problem) {
  const { x, row, params: p } = problem;
  const [batch, in_channels, in_height, in_width] = x.shape;
  const [pad_top, pad_left, pad_bottom, pad_right] = p.padding ?? [0, 0, 0, 0];
  const out_channels = row.kind === 'conv_transpose2d' ? row.weight[1] * p.groups : (row.weight?.[0] ?? in_channels);
  return geometry({
    batch,
    in_channels,
    in_height,
    in_width,
    out_channels,
    kernel_h: p.kernel[0],
    kernel_w: p.kernel[1],
    stride_h: p.stride[0],
    stride_w: p.stride[1],
    pad_top,
    pad_left,
    pad_bottom,
    pad_right,
    dilation_h: p.dilation[0],
    dilation_w: p.dilation[1],
    groups: p.groups,
    output_padding_h: p.output_padding[0],
    output_padding_w: p.output_padding[1],
  });
}

const GEOMETRY_EXPORT = {
  conv2d: 'cnn_conv2d_geometry',
  conv2d_grad_input: 'cnn_conv2d_geometry',
  conv2d_grad_weight: 'cnn_conv2d_geometry',
  conv2d_backward: 'cnn_conv2d_geometry',
  conv_transpose2d: 'cnn_conv_transpose2d_geometry',
  max_pool2d: 'cnn_max_pool2d_geometry',
  avg_pool2d: 'cnn_avg_pool2d_geometry',
};

/** A fresh instance of a compiled core with a tiny allocator over its heap. */
export function instantiate(module) {
  const instance = new WebAssembly.Instance(module, { env: { emscripten_notify_memory_growth() {} } });
  const e = instance.exports;
  e._initialize();
  const view = (Type, pointer, length) => new Type(e.memory.buffer, pointer, length);
  const status = (name, code) => {
    if (code !== 0) {
      const pointer = e.cnn_last_error(),
        bytes = view(Uint8Array, pointer, 512);
      throw new Error(`${name}: ${new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)))}`);
    }
  };
  const alloc = (Type, source) => {
    const length = typeof source === 'number' ? source : source.length;
    const pointer = e.malloc(length * Type.BYTES_PER_ELEMENT);
    if (!pointer) throw new Error(`bench: the core could not allocate ${length} elements`);
    if (typeof source === 'number') view(Type, pointer, length).fill(0);
    else view(Type, pointer, length).set(source);
    return pointer;
  };
  return { exports: e, view, status, alloc };
}

export function coreEngine(name, { bytes, module }) {
  return {
    name,
    prepare(problem) {
      const { kind } = problem;
      if (kind === 'memcpy' || kind === 'train_step') return { skip: 'not an op of the core' };
      const cold = harness(name, problem, instantiate(coldModule(bytes, problem.row.id)));
      if (cold.skip) return cold;
      return { ...harness(name, problem, instantiate(module)), first: cold.run };
    },
  };
}

/** The row's op on one instance: inputs and outputs allocated once, run() calls one export. */
function harness(name, problem, core) {
  const { kind } = problem;
  const { exports: e, alloc, view, status } = core;
  const x = alloc(Float32Array, problem.x.data);
  const w = problem.w ? alloc(Float32Array, problem.w.data) : NULL;
  const dy = problem.dy ? alloc(Float32Array, problem.dy.data) : NULL;
  const outCount = sizeOf(problem.outShape);
  let g = NULL;
  if (GEOMETRY_EXPORT[kind]) {
    g = alloc(Int32Array, geometryRecord(problem));
    status(GEOMETRY_EXPORT[kind], e[GEOMETRY_EXPORT[kind]](g));
  }
  // outputs: [pointer, length] of what the op writes; accumulated ones are zeroed before a check.
  let run,
    outputs,
    accumulates = false;
  const out = (length) => [alloc(Float32Array, length), length];
  if (kind === 'conv2d') {
    const [y] = (outputs = [out(outCount)]);
    run = () => e.cnn_conv2d_forward(y[0], x, w, NULL, g);
  } else if (kind === 'conv_transpose2d') {
    const [y] = (outputs = [out(outCount)]);
    run = () => e.cnn_conv_transpose2d_forward(y[0], x, w, NULL, g);
  } else if (kind === 'conv2d_grad_input') {
    const [dx] = (outputs = [out(problem.x.data.length)]);
    accumulates = true;
    run = () => e.cnn_conv2d_backward(dx[0], NULL, NULL, dy, x, w, g);
  } else if (kind === 'conv2d_grad_weight') {
    const [dw] = (outputs = [out(problem.w.data.length)]);
    accumulates = true;
    run = () => e.cnn_conv2d_backward(NULL, dw[0], NULL, dy, x, w, g);
  } else if (kind === 'conv2d_backward') {
    const wantInput = problem.row.input_grad;
    outputs = [
      ...(wantInput ? [out(problem.x.data.length)] : []),
      out(problem.w.data.length),
      out(problem.b.data.length),
    ];
    const [dx, dw, db] = wantInput ? outputs : [[NULL], ...outputs];
    accumulates = true;
    run = () => e.cnn_conv2d_backward(dx[0], dw[0], db[0], dy, x, w, g);
  } else if (kind === 'max_pool2d') {
    const [y] = (outputs = [out(outCount)]);
    // No indices, like XNNPACK and ORT's MaxPool: the inference path (F.max_pool2d).
    // Training takes the argmax path; its cost is inside the training-step row.
    run = () => e.cnn_max_pool2d_forward(y[0], NULL, x, g);
  } else if (kind === 'avg_pool2d') {
    const [y] = (outputs = [out(outCount)]);
    run = () => e.cnn_avg_pool2d_forward(y[0], x, g);
  } else if (kind === 'global_avg_pool') {
    const [y] = (outputs = [out(outCount)]);
    const [n, c, h, wd] = problem.x.shape;
    run = () => e.cnn_adaptive_avg_pool2d_forward(y[0], x, n, c, h, wd, 1, 1);
  } else {
    return { skip: `no harness for ${kind}` };
  }
  return {
    run: () => status(name, run()),
    result() {
      if (accumulates) for (const [pointer, length] of outputs) view(Float32Array, pointer, length).fill(0);
      status(name, run());
      return outputs.map(([pointer, length]) => view(Float32Array, pointer, length).slice());
    },
    memoryBytes: () => e.memory.buffer.byteLength,
    dispose() {},
  };
}

/** The public binding: what a page calls. Only rows where it runs the same computation. */
export function bindingEngine(cnn) {
  return {
    name: 'binding',
    prepare(problem) {
      const { kind, row } = problem;
      const T = (t) => new cnn.Tensor(t.data, t.shape);
      const o = row.options ?? {};
      let run;
      if (kind === 'conv2d') {
        const x = T(problem.x),
          w = T(problem.w);
        run = () => [cnn.F.conv2d(x, w, null, o).data];
      } else if (kind === 'conv_transpose2d') {
        const x = T(problem.x),
          w = T(problem.w);
        run = () => [cnn.F.conv_transpose2d(x, w, null, o).data];
      } else if (kind === 'conv2d_backward' && row.input_grad) {
        const x = T(problem.x),
          w = T(problem.w),
          b = T(problem.b),
          dy = T(problem.dy);
        run = () => {
          const g = cnn.grad.conv2d(dy, x, w, b, o);
          return [g.input.data, g.weight.data, g.bias.data];
        };
      } else if (kind === 'max_pool2d') {
        const x = T(problem.x);
        run = () => [cnn.F.max_pool2d(x, row.kernel, o).data];
      } else if (kind === 'avg_pool2d') {
        const x = T(problem.x);
        run = () => [cnn.F.avg_pool2d(x, row.kernel, o).data];
      } else if (kind === 'global_avg_pool') {
        const x = T(problem.x);
        run = () => [cnn.F.adaptive_avg_pool2d(x, 1).data];
      } else {
        return {
          skip: kind.startsWith('conv2d') ? 'grad.conv2d always computes dX, dW and db' : 'not an op of the core',
        };
      }
      return { run, result: run, dispose() {} };
    },
  };
}
