/* cnn_network.h — a sequential model that lives in WebAssembly memory.

   A network is a list of layers created once for a batch capacity. Its
   parameters, gradients, activations and the state backward needs are
   allocated at creation; a training step moves no tensor across the JS
   boundary except the input batch the caller writes into
   cnn_network_input(). Parameters are one flat array, layer by layer, weight
   then bias, the order of torch.nn.Module.parameters(); gradients share that
   layout, so an optimizer updates the model in one call over both arrays.

   Layer records: CNN_LAYER_FIELDS int32 each, {kind, has_bias, cnn_geometry}.
   Only the hyper-parameters of the geometry are read (kernel, stride, pads,
   dilation, groups, out_channels, ceil_mode, count_include_pad; out_height and
   out_width for adaptive pooling); the input side of each layer is the output
   of the one before, checked by the same geometry functions as the ops. A
   linear layer takes every feature of its input (flatten is implied), with
   out_channels output features; batch norm's has_bias means affine. */
#ifndef CNN_NETWORK_H
#define CNN_NETWORK_H

#include "cnn.h"

typedef enum {
    CNN_LAYER_CONV2D = 1,
    CNN_LAYER_MAX_POOL2D = 2,
    CNN_LAYER_AVG_POOL2D = 3,
    CNN_LAYER_ADAPTIVE_AVG_POOL2D = 4,
    CNN_LAYER_BATCH_NORM2D = 5,
    CNN_LAYER_RELU = 6,
    CNN_LAYER_FLATTEN = 7,
    CNN_LAYER_LINEAR = 8
} cnn_layer_kind;

#define CNN_LAYER_FIELDS (2 + CNN_GEOMETRY_FIELDS)

typedef struct cnn_network cnn_network;

/* NULL on failure, with the reason (which layer, which rule) in cnn_last_error(). */
CNN_API cnn_network *cnn_network_create(const int32_t *layers, int32_t count, int32_t capacity, int32_t channels,
                                        int32_t height, int32_t width);
CNN_API void cnn_network_destroy(cnn_network *net);

CNN_API float *cnn_network_parameters(cnn_network *net);
CNN_API float *cnn_network_gradients(cnn_network *net);
CNN_API int32_t cnn_network_parameter_count(const cnn_network *net);
/* [capacity, C, H, W]: the caller writes the batch here. */
CNN_API float *cnn_network_input(cnn_network *net);
/* The gradient of the loss with respect to the input, after a backward pass
   that asked for it: [batch, C, H, W]. */
CNN_API float *cnn_network_input_gradient(cnn_network *net);
/* Layer l's output [batch, C, H, W] (l = count − 1 is the network's output),
   its shape per sample into shape[3] (C, H, W). */
CNN_API float *cnn_network_activation(cnn_network *net, int32_t layer, int32_t *shape);
/* Batch-norm layer l's running statistics: [C] means then [C] variances. */
CNN_API float *cnn_network_running_stats(cnn_network *net, int32_t layer);

/* Batch-norm layer l's momentum (in [0, 1]) and eps (positive): torch.nn.BatchNorm2d's
   0.1 and 1e-5 until set. */
CNN_API cnn_status cnn_network_set_batch_norm(cnn_network *net, int32_t layer, float momentum, float eps);

/* Forward pass over the first batch samples of the input; training selects
   batch statistics in batch norm. */
CNN_API cnn_status cnn_network_forward(cnn_network *net, int32_t batch, int32_t training);
/* Backward from grad_output (shaped like the last activation), accumulating
   into the gradients; with input_gradient the gradient of the input too. batch must be
   the last forward pass's: backward reads the activations it left. */
CNN_API cnn_status cnn_network_backward(cnn_network *net, const float *grad_output, int32_t batch,
                                        int32_t input_gradient);
CNN_API void cnn_network_zero_grad(cnn_network *net);

/* One supervised step on the batch in the input: zero the gradients, forward
   in training mode, mean cross entropy against targets, backward. Writes the
   loss and how many samples' largest logit was their target. */
CNN_API cnn_status cnn_network_train_step(cnn_network *net, float *loss, int32_t *correct, const int32_t *targets,
                                          int32_t batch);

#endif
