// torch.nn.functional over the core, and its gradients: the ops live in ops/*.js, forward and
// backward together, each taking the core first; cnn.js binds these tables as cnn.F and cnn.grad.
// Each op copies its tensors into WASM memory, calls one exported function, and copies the result out.
import { relu, relu_backward, softmax } from './ops/activation.js';
import { conv2d, conv2d_backward, conv_transpose2d, conv_transpose2d_backward } from './ops/convolution.js';
import { flatten, linear, linear_backward } from './ops/linear.js';
import { cross_entropy, cross_entropy_backward } from './ops/loss.js';
import { batch_norm, batch_norm_backward } from './ops/normalization.js';
import {
  adaptive_avg_pool2d,
  adaptive_avg_pool2d_backward,
  avg_pool2d,
  avg_pool2d_backward,
  max_pool2d,
  max_pool2d_backward,
  max_pool2d_with_indices,
} from './ops/pooling.js';

/** cnn.F, before cnn.js binds it to a core. */
export const functional = {
  conv2d,
  conv_transpose2d,
  max_pool2d_with_indices,
  max_pool2d,
  avg_pool2d,
  adaptive_avg_pool2d,
  batch_norm,
  relu,
  linear,
  flatten,
  softmax,
  cross_entropy,
};

// The public gradients take the forward op's arguments, upstream gradient first, and start from
// zeros: the backward functions' trailing `into` and `needInput` (the layers' own) are not passed on.
/** cnn.grad, before cnn.js binds it to a core. */
export const gradients = {
  conv2d: (core, gy, x, w, b = null, o = {}) => conv2d_backward(core, gy, x, w, b, o),
  conv_transpose2d: (core, gy, x, w, b = null, o = {}) => conv_transpose2d_backward(core, gy, x, w, b, o),
  max_pool2d: (core, gy, x, k, o = {}) => max_pool2d_backward(core, gy, x, k, o),
  avg_pool2d: (core, gy, x, k, o = {}) => avg_pool2d_backward(core, gy, x, k, o),
  adaptive_avg_pool2d: (core, gy, x, size) => adaptive_avg_pool2d_backward(core, gy, x, size),
  batch_norm: (core, gy, x, mean, variance, o = {}) => batch_norm_backward(core, gy, x, mean, variance, o),
  relu: (core, gy, x) => relu_backward(core, gy, x),
  linear: (core, gy, x, w, b = null) => linear_backward(core, gy, x, w, b),
  cross_entropy: (core, gy, x, t) => cross_entropy_backward(core, gy, x, t),
};
