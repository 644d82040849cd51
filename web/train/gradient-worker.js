// A gradient worker of data-parallel training (parallel.js): its own instance of the core and
// of the lab's model; per step, the gradient of its share of the batch. The same script runs
// as a Web Worker (module) and as a Node worker_threads Worker (worker-link.js starts it).
//
// In:  { type: 'init', simd, knobs, capacity, parameters }
//           load the core (that build), build the model, start from parameters (the flat
//           vector, Network.setParameters), make the knobs' optimizer over its Network
//      { type: 'step', update, pixels, labels, count }
//           update: null, or the last step's summed gradient and learning rate { gradient, lr },
//           applied first (applyUpdate, parallel.js) as by every other worker; pixels: the
//           bytes of count digits [count, 28·28] (shifted already when augmenting), normalised
//           here as in one thread; labels: count class indices
// Out: { type: 'ready' }
//      { type: 'gradients', gradients, loss, correct }   the mean over its count digits (the
//           core's cnn_network_train_step), copied; null when count is 0
//      { type: 'error', message }
// Its batch-norm layers normalise with the statistics of its own share; its running statistics
// are never read (the driving thread's are the model's).
import { load } from '../cnn.js';
import { buildModel, MNIST_INPUT } from './model.js';
import { applyUpdate } from './parallel.js';
import { normaliseDigits, optimizerFor } from './trainer.js';

const port = globalThis.WorkerGlobalScope ? globalThis : (await import('node:worker_threads')).parentPort;
const reply = (message) => port.postMessage(message);
let cnn = null,
  network = null,
  optimizer = null,
  gradient = null; // its share's gradient, written in place each step (the reply copies it)

async function handle(message) {
  switch (message.type) {
    case 'init': {
      cnn = await load({ simd: message.simd });
      const model = buildModel(cnn.nn, message.knobs);
      network = new cnn.Network(model, MNIST_INPUT, { capacity: message.capacity });
      network.setParameters(message.parameters);
      optimizer = optimizerFor(cnn, network, message.knobs);
      gradient = new Float32Array(network.parameterCount);
      return reply({ type: 'ready' });
    }
    case 'step': {
      if (message.update) applyUpdate(network, optimizer, message.update);
      if (message.count === 0) return reply({ type: 'gradients', gradients: null, loss: 0, correct: 0 });
      const { loss, correct } = network.trainStep(normaliseDigits(cnn, message.pixels), message.labels, message.count);
      return reply({ type: 'gradients', gradients: network.gradients(gradient), loss, correct });
    }
    default:
      throw new TypeError(`unknown message type '${message.type}'`);
  }
}

const receive = (message) =>
  handle(message).catch((error) => reply({ type: 'error', message: `failed: ${error.message}` }));
if (port.on) port.on('message', receive);
else port.onmessage = ({ data }) => receive(data);
