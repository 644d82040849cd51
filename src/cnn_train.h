/* cnn_train.h — what training adds to the core: optimizer updates and input preparation.

   Optimizers (optim.c) update one parameter buffer in place from its gradient,
   with PyTorch's exact formulas (torch.optim.SGD and torch.optim.Adam, 1.13,
   single-tensor path). The caller keeps the state buffers (zeros before the
   first step) and counts the steps: step = 1 on the first update of a buffer.
   Hyper-parameters are doubles, like Python floats; where PyTorch turns one
   into a float32 scalar of a tensor op, so does the C.

   Input preparation (augment.c) turns pixel bytes into network inputs
   (normalisation) and shifts images at random with a seed (augmentation).

   Worked example (one SGD step with momentum on a 3-element parameter):

       float w[3] = {1, 2, 3}, g[3] = {0.5f, -1, 0}, buf[3];
       cnn_sgd_step(w, buf, g, 0.1, 0.9, 0.0, 0.0, 0, 1, 3);
       // step 1: buf = g, w = {0.95, 2.1, 3} */
#ifndef CNN_TRAIN_H
#define CNN_TRAIN_H

#include "cnn.h"

/* torch.optim.SGD, per element, with d = grad + weight_decay·param:
     momentum = 0:  param −= lr·d                               (momentum_buffer unused, may be NULL)
     momentum > 0:  buf = d on step 1, else buf = momentum·buf + (1 − dampening)·d;
                    param −= lr·(nesterov ? d + momentum·buf : buf)
   Rules as PyTorch's: lr, momentum, weight_decay ≥ 0; nesterov needs momentum > 0
   and dampening = 0. */
CNN_API cnn_status cnn_sgd_step(float *param, float *momentum_buffer, const float *grad, double lr, double momentum,
                                double dampening, double weight_decay, int32_t nesterov, int32_t step, int32_t count);

/* torch.optim.Adam, per element, with d = grad + weight_decay·param and t = step:
     m = β1·m + (1 − β1)·d,   v = β2·v + (1 − β2)·d²
     amsgrad (max_exp_avg_sq not NULL): v_max = max(v_max, v), used for v below
     param −= lr / (1 − β1^t) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
   Rules: lr, eps, weight_decay ≥ 0; 0 ≤ β1, β2 < 1; step ≥ 1. */
CNN_API cnn_status cnn_adam_step(float *param, float *exp_avg, float *exp_avg_sq, float *max_exp_avg_sq,
                                 const float *grad, double lr, double beta1, double beta2, double eps,
                                 double weight_decay, int32_t step, int32_t count);

/* out[i] = (pixels[i] / 255 − mean) / std: bytes 0–255 (given as floats, exactly)
   to the normalised inputs of torchvision's ToTensor() then Normalize(mean, std).
   MNIST's usual constants: mean 0.1307, std 0.3081. std must be positive. */
CNN_API cnn_status cnn_normalize_pixels(float *out, const float *pixels, int32_t count, float mean, float std);

/* Shifts each image of in [N, C, H, W] by (dy, dx), drawn uniformly from
   {−max_shift, …, max_shift}² per image with the core's seeded generator
   (cnn_random_uniform): out[n, c, h, w] = in[n, c, h − dy, w − dx], fill where
   that falls outside the image. shifts [N, 2] receives (dy, dx) per image, or
   NULL. Same seed, same shifts. out and in must not overlap. */
CNN_API cnn_status cnn_random_shift(float *out, int32_t *shifts, const float *in, float fill, int32_t max_shift,
                                    uint32_t seed, int32_t batch, int32_t channels, int32_t height, int32_t width);

#endif
