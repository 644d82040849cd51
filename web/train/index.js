// The training engine in one import (the package's "cnn-see/train"): the lab's model from its
// knobs, mini-batch training (in this thread or data-parallel over workers) and evaluation,
// the MNIST file format, safetensors checkpoints.
//   import { load } from 'cnn-see';
//   import { checkKnobs, loadMnist, Trainer } from 'cnn-see/train';
export { checkKnobs, DEFAULT_KNOBS, defaultWorkers, KNOBS, parseKnob, WORKERS_KNOB } from './knobs.js';
export { buildModel, CLASSES, describeModel, MNIST_INPUT } from './model.js';
export { evaluate, Trainer } from './trainer.js';
export { ParallelTrainer, startTrainer } from './parallel.js';
export { loadMnist, MNIST_URL, parseMnist } from './dataset.js';
export { loadModel, saveModel, stateDict } from './checkpoint.js';
