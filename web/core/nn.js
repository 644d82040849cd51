// Layers like torch.nn, over the functional ops (one file per family in nn/). forward() keeps
// what backward() needs; backward() accumulates parameter gradients (the core adds into the
// buffers it is given) and returns the gradient of the input.
//
// The classes are module-level; a layer calls the core its class was bound to: layersFor(core)
// gives each class a subclass bound to that core (bind.js; cnn.nn of one load()). nn.Module, which calls
// nothing, is shared, so every layer is an instanceof it.
import { onCore } from './bind.js';
import { Conv2d, ConvTranspose2d } from './nn/convolution.js';
import { Flatten, Linear } from './nn/linear.js';
import { Module } from './nn/module.js';
import { BatchNorm2d, Identity, ReLU } from './nn/pointwise.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './nn/pooling.js';
import { Sequential } from './nn/sequential.js';

export {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm2d,
  Conv2d,
  ConvTranspose2d,
  Flatten,
  Identity,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
};

/** cnn.nn for one core. */
export function layersFor(core) {
  const layers = {
    Conv2d,
    ConvTranspose2d,
    MaxPool2d,
    AvgPool2d,
    AdaptiveAvgPool2d,
    BatchNorm2d,
    ReLU,
    Identity,
    Flatten,
    Linear,
    Sequential,
  };
  return { Module, ...Object.fromEntries(Object.entries(layers).map(([name, Layer]) => [name, onCore(core, Layer)])) };
}
