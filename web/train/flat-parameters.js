// A model's parameters as one flat vector, the layout of cnn.Network's parameters() and
// gradients(): layer by layer, weight then bias (torch.nn.Module.parameters() order).
// Data-parallel training (parallel.js) moves gradients between workers in this form, and each
// worker's FlatOptimizer applies the summed gradient to its copy of the parameters.
//
// The binding lets an optimizer update only a Network's own parameters from that Network's
// own gradients, which backward computes. ParameterVector gives the optimizer a gradient
// computed elsewhere: its Network is Flatten → Linear(1 → P, no bias) on the input 1, whose
// weight is the P parameters; backward from grad_output g sets the weight's gradient to
// g · 1 = g exactly (tests/train-golden.test.mjs drives cnn.optim the same way). The core's
// SGD and Adam act element by element on the same layout, so a step on the vector is the
// step the model's own Network would take from the same gradient, bit for bit.
import { Tensor } from '../cnn.js';
import { optimizerFor } from './trainer.js';

export class ParameterVector {
  /** cnn: the loaded core; values: the P starting parameters. */
  constructor(cnn, values) {
    const model = new cnn.nn.Sequential(new cnn.nn.Flatten(), new cnn.nn.Linear(1, values.length, { bias: false }));
    model.parameters()[0].value.data.set(values);
    this.count = values.length;
    this.network = new cnn.Network(model, [1, 1, 1], { capacity: 1 });
    this.network.forward(Float32Array.of(1), 1); // the input 1 that backward multiplies g by
  }

  /** Makes `gradient` (P values) the gradient the optimizer's next step reads. */
  setGradient(gradient) {
    this.network.zeroGrad();
    this.network.inputGradient(new Tensor(gradient, [1, this.count]));
  }

  /** The parameters, copied out. */
  values() {
    return this.network.parameters();
  }

  dispose() {
    this.network.dispose();
  }
}

/**
 * Sets a Network's parameters to `flat` through its model (the binding's only way in),
 * keeping the network's batch-norm running statistics.
 */
export function loadFlatParameters(network, model, flat) {
  network.storeParameters();
  let offset = 0;
  for (const { value } of model.parameters()) {
    value.data.set(flat.subarray(offset, offset + value.size));
    offset += value.size;
  }
  if (offset !== flat.length)
    throw new RangeError(`loadFlatParameters: the model holds ${offset} parameters, got ${flat.length}`);
  network.loadParameters();
}

/**
 * The knobs' optimizer (SGD or Adam) over a model's flat parameters, stepped with a gradient
 * computed elsewhere; after each step the parameters are copied into the model's Network.
 * Replicas that start from the same parameters and take the same steps hold the same bits.
 */
export class FlatOptimizer {
  constructor(cnn, knobs, network, model) {
    this.vector = new ParameterVector(cnn, network.parameters());
    this.optimizer = optimizerFor(cnn, this.vector.network, knobs);
    this.network = network;
    this.model = model;
  }

  step(gradient, lr) {
    this.vector.setGradient(gradient);
    this.optimizer.lr = lr;
    this.optimizer.step();
    loadFlatParameters(this.network, this.model, this.vector.values());
  }

  dispose() {
    this.vector.dispose();
  }
}
