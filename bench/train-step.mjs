// The "MNIST training step" row: one step (forward, cross entropy, backward,
// optimizer update) of one model on a batch of 64 images, five ways:
//   ours-simd / ours-scalar  cnn.Network: the model compiled into the core;
//                            parameters and activations stay in WASM memory
//                            (cnn_network_train_step), then cnn.optim.Adam
//   binding                  the same model through the JS layers
//                            (Sequential.forward / backward, a copy per op),
//                            then the same Adam update done in JS
//   tfjs-wasm / tfjs-cpu     the same model and weights in TensorFlow.js
//                            (NHWC), tf.train.adam, optimizer.minimize
// The model is the training lab's default (web/train/model.js with the default
// knobs) when web/train/ provides it, else a stand-in:
//   Conv2d(1, 8, 5, p2) ReLU MaxPool2d(2) Conv2d(8, 16, 5, p2) ReLU MaxPool2d(2) Flatten Linear(784, 10)
// All engines start from the same weights; their first steps' losses are
// compared. Without cnn.optim (not yet in the binding) no engine updates.
import * as tf from '@tensorflow/tfjs-core';
import { OIHW_TO_HWIO, permute, randn } from './tensors.mjs';
import { registerTfjsGradients } from './tfjs-gradients.mjs';

const INPUT = [1, 28, 28],
  CLASSES = 10,
  LR = 0.003;
// tfjs-cpu's Conv2DBackpropFilter runs at 4–8 MFLOP/s (see engines/tfjs.mjs).
const CPU_FILTER_GRAD_FLOPS = 4e6,
  SLOW_STEP_S = 30; // 4e6: a 16/32-channel model measured 107 s per step

async function labModel() {
  try {
    const [model, knobs] = await Promise.all(
      ['model.js', 'knobs.js'].map((file) => import(new URL(`../web/train/${file}`, import.meta.url).href)),
    );
    if (typeof model.buildModel !== 'function' || typeof knobs.checkKnobs !== 'function') return null;
    const checked = knobs.checkKnobs({});
    return {
      build: (cnn) => model.buildModel(cnn.nn, checked),
      description:
        `the lab's default model (kernel ${checked.kernel}, channels ${checked.channels.join('/')}, ` +
        `${checked.pool} pool${checked.batchNorm ? ', batch norm' : ''})`,
    };
  } catch {
    return null;
  }
}

const standIn = {
  build: ({ nn }) =>
    new nn.Sequential(
      new nn.Conv2d(1, 8, 5, { padding: 2, seed: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(8, 16, 5, { padding: 2, seed: 2 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Linear(16 * 7 * 7, CLASSES, { seed: 3 }),
    ),
  description: 'a stand-in (web/train/ has no model builder): conv 1→8 5×5, pool, conv 8→16 5×5, pool, linear 784→10',
};

function batchOf(size) {
  return {
    images: randn([size, ...INPUT], 11).data,
    labels: Int32Array.from({ length: size }, (_, i) => (i * 7) % CLASSES),
  };
}

/** Adam as torch.optim.Adam (no weight decay), over the JS layers' parameters. */
function jsAdam(parameters, lr = LR, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) {
  const state = parameters.map((p) => ({ m: new Float32Array(p.value.size), v: new Float32Array(p.value.size) }));
  let t = 0;
  return () => {
    t++;
    const c1 = 1 - beta1 ** t,
      c2 = 1 - beta2 ** t;
    parameters.forEach(({ value, grad }, i) => {
      const { m, v } = state[i],
        w = value.data,
        g = grad.data;
      for (let j = 0; j < w.length; j++) {
        m[j] = beta1 * m[j] + (1 - beta1) * g[j];
        v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
        w[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
      }
    });
  };
}

/** A step function that records the loss of its first call; result() runs a step and returns that loss. */
function recordingStep(step) {
  let first;
  const run = () => {
    const loss = step(first === undefined);
    if (first === undefined) first = loss;
  };
  return { run, result: () => (run(), [Float32Array.of(first)]) };
}

// --- tfjs: the same Sequential as tf ops on NHWC tensors ----------------------
function tfjsModel(model) {
  const variables = [];
  const variable = (data, shape) => {
    const v = tf.variable(tf.tensor(data, shape));
    variables.push(v);
    return v;
  };
  let filterGradMacs = 0,
    shape = [1, ...INPUT];
  const layers = model.layers.map((layer) => {
    const [weight, bias] = layer.params.map((p) => p.value);
    const outShape = layer.outputShape(shape);
    const inShape = shape;
    shape = outShape;
    switch (layer.name) {
      case 'Conv2d': {
        if (layer.groups !== 1) throw new Error('grouped conv');
        const q = permute(weight.data, weight.shape, OIHW_TO_HWIO),
          w = variable(q.data, q.shape);
        const b = bias ? variable(bias.data, bias.shape) : null;
        const pad = layer.options.padding === 'same' ? 'same' : layer.options.padding;
        filterGradMacs += outShape[1] * outShape[2] * outShape[3] * weight.shape[1] * weight.shape[2] * weight.shape[3];
        return (x) => {
          const y = tf.conv2d(x, w, layer.options.stride, pad, 'NHWC', layer.options.dilation);
          return b ? tf.add(y, b) : y;
        };
      }
      case 'BatchNorm2d': {
        const gamma = weight ? variable(weight.data, weight.shape) : undefined,
          beta = bias ? variable(bias.data, bias.shape) : undefined;
        return (x) => {
          const { mean, variance } = tf.moments(x, [0, 1, 2]);
          return tf.batchNorm(x, mean, variance, beta, gamma, layer.eps);
        };
      }
      case 'ReLU':
        return (x) => tf.relu(x);
      case 'MaxPool2d':
      case 'AvgPool2d': {
        const w = layer.window();
        const f = layer.name === 'MaxPool2d' ? tf.maxPool : tf.avgPool;
        return (x) => f(x, w.kernel, w.stride, w.padding);
      }
      case 'AdaptiveAvgPool2d':
        return (x) => tf.mean(x, [1, 2], true);
      case 'Flatten':
        return (x) => tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [x.shape[0], -1]); // NCHW order, like ours
      case 'Linear': {
        const w = variable(weight.data, weight.shape),
          b = bias ? variable(bias.data, bias.shape) : null;
        return (x) => {
          const y = tf.matMul(x, w, false, true);
          return b ? tf.add(y, b) : y;
        };
      }
      default:
        throw new Error(`no tfjs equivalent for ${layer.name} (input ${inShape})`);
    }
  });
  return { forward: (x) => layers.reduce((h, f) => f(h), x), variables, filterGradMacsPerImage: filterGradMacs };
}

/**
 * Engines for the train_step row. cnns: {simd, scalar} bindings; activate(backend) switches tfjs;
 * slow: time tfjs-cpu even when a step would take SLOW_STEP_S or more.
 */
export async function trainStepEngines({ simd, scalar }, { activateTfjs, slow = false }) {
  const source = (await labModel()) ?? standIn;
  await registerTfjsGradients();
  const update = typeof simd.optim?.Adam === 'function';
  const note = `${source.description}; ${update ? 'Adam update included' : 'no optimizer update (the binding has no cnn.optim yet)'}`;

  const network = (name, cnn) => ({
    name,
    prepare(problem) {
      const batch = problem.row.batch,
        { images, labels } = batchOf(batch);
      const net = new cnn.Network(source.build(cnn), INPUT, { capacity: batch });
      const optimizer = update ? new cnn.optim.Adam(net, { lr: LR }) : null;
      return {
        ...recordingStep(() => {
          const { loss } = net.trainStep(images, labels, batch);
          optimizer?.step();
          return loss;
        }),
        dispose: () => net.dispose?.(),
      };
    },
  });

  const layers = {
    name: 'binding',
    prepare(problem) {
      const batch = problem.row.batch,
        { images, labels } = batchOf(batch);
      const model = source.build(simd),
        x = new simd.Tensor(images, [batch, ...INPUT]);
      const adam = update ? jsAdam(model.parameters()) : null;
      return {
        ...recordingStep(() => {
          model.zeroGrad();
          const logits = model.forward(x);
          const loss = simd.F.cross_entropy(logits, labels).item();
          model.backward(simd.grad.cross_entropy(1, logits, labels).input);
          adam?.();
          return loss;
        }),
        dispose() {},
      };
    },
  };

  const tfjs = (name, backend) => ({
    name,
    activate: () => activateTfjs(backend),
    firstPassOnly: backend === 'cpu',
    async prepare(problem) {
      if (!tf.getKernel('Conv2DBackpropFilter', backend))
        return { skip: `tfjs-backend-${backend} has no Conv2DBackpropFilter: it cannot train a conv layer` };
      await activateTfjs(backend);
      const batch = problem.row.batch,
        { images, labels } = batchOf(batch);
      const m = tfjsModel(source.build(simd));
      const seconds = (2 * m.filterGradMacsPerImage * batch) / CPU_FILTER_GRAD_FLOPS;
      if (backend === 'cpu' && seconds > SLOW_STEP_S && !slow) {
        m.variables.forEach((v) => v.dispose());
        return {
          skip: `~${Math.round(seconds)} s per step (its Conv2DBackpropFilter runs at 4–8 MFLOP/s); run with --slow to time it`,
        };
      }
      const x = tf.tensor(permute(images, [batch, ...INPUT], [0, 2, 3, 1]).data, [batch, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES);
      const optimizer = update ? tf.train.adam(LR) : null;
      const lossOf = () => tf.losses.softmaxCrossEntropy(y, m.forward(x));
      return {
        ...recordingStep((wantLoss) => {
          let value;
          if (optimizer) {
            const loss = optimizer.minimize(lossOf, true, m.variables);
            if (wantLoss) value = loss.dataSync()[0];
            loss.dispose();
          } else {
            const { value: loss, grads } = tf.variableGrads(lossOf, m.variables);
            if (wantLoss) value = loss.dataSync()[0];
            tf.dispose([loss, grads]);
          }
          return value;
        }),
        dispose: () => tf.dispose([x, y, ...m.variables]),
        note: `${backend}: first call reads its loss back`,
      };
    },
  });

  return {
    engines: [
      network('ours-simd', simd),
      network('ours-scalar', scalar),
      tfjs('tfjs-wasm', 'wasm'),
      tfjs('tfjs-cpu', 'cpu'),
    ],
    binding: layers,
    description: note,
  };
}
