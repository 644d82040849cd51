/* cnn.h — a small CNN core in C11 with PyTorch's semantics.

   Manual
   ------
   Every tensor is float32 in NCHW order (batch N, channels C, height H, width W),
   contiguous, owned by the caller. Every op is a pair of free functions:

       cnn_<op>_forward(outputs..., inputs..., saved..., geometry or sizes)
       cnn_<op>_backward(gradients..., upstream gradient, inputs..., saved..., sizes)

   Backward ACCUMULATES into the gradients it is given (+=); pass NULL for a
   gradient you do not need; zero them yourself between steps.

   Convolution and pooling describe their shapes with one struct, cnn_geometry.
   Fill the input side and the hyper-parameters, then call the matching
   cnn_*_geometry() function: it checks every rule, fills the output size and
   returns CNN_OK, or returns an error with a readable reason in
   cnn_last_error(). The forward and backward functions run the same check, so
   an invalid call never writes out of bounds.

   Worked example (the seed article's 2×2 max pool on a 4×4 map):

       float x[16] = {1,2,3,4, 5,6,7,8, 9,10,11,12, 13,14,15,16}, y[4];
       int32_t argmax[4];
       cnn_geometry g = cnn_geometry_default();
       g.batch = 1; g.in_channels = 1; g.in_height = 4; g.in_width = 4;
       g.kernel_h = g.kernel_w = 2; g.stride_h = g.stride_w = 2;
       if (cnn_max_pool2d_forward(y, argmax, x, &g) != CNN_OK) puts(cnn_last_error());
       // y = {6, 8, 14, 16}, argmax = {5, 7, 13, 15} (flat h·W+w in the plane)

   Errors never abort: the module stays usable after any failure. */
#ifndef CNN_H
#define CNN_H

#include <stdint.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define CNN_API EMSCRIPTEN_KEEPALIVE
#else
#define CNN_API
#endif

typedef enum {
    CNN_OK = 0,
    CNN_INVALID_ARGUMENT = 1, /* a size, shape or hyper-parameter breaks a rule */
    CNN_OUT_OF_MEMORY = 2     /* scratch space could not be allocated */
} cnn_status;

/* The reason for the last failure: names the op, the argument and the rule. */
CNN_API const char *cnn_last_error(void);

/* The layout of the structs and constants a binding mirrors (cnn_geometry's fields,
   cnn_trace_term's, the network's layer kinds and record size, the error buffer), as JSON
   with byte offsets, so a test can check the mirrors against the compiled core (layout.c). */
CNN_API const char *cnn_layout(void);

/* ---------------------------------------------------------------------------
   Geometry of a sliding-window op (conv2d, conv_transpose2d, max/avg pool).
   Padding is given per side, so PyTorch's padding='same' with an even
   kernel (more padding at the bottom/right) is expressible. */
typedef struct {
    int32_t batch, in_channels, in_height, in_width;
    int32_t out_channels;          /* conv only; pooling keeps in_channels */
    int32_t out_height, out_width; /* filled by cnn_*_geometry() */
    int32_t kernel_h, kernel_w;
    int32_t stride_h, stride_w;
    int32_t pad_top, pad_left, pad_bottom, pad_right;
    int32_t dilation_h, dilation_w;
    int32_t groups;                             /* conv only */
    int32_t output_padding_h, output_padding_w; /* conv_transpose2d only */
    int32_t ceil_mode;                          /* pooling only: 0 floor, 1 ceil */
    int32_t count_include_pad;                  /* avg_pool2d only */
} cnn_geometry;

/* Number of int32 fields in cnn_geometry: the JS binding writes them in order. */
#define CNN_GEOMETRY_FIELDS 22

/* stride 1, dilation 1, groups 1, count_include_pad 1, everything else 0. */
cnn_geometry cnn_geometry_default(void);

CNN_API cnn_status cnn_conv2d_geometry(cnn_geometry *g);
CNN_API cnn_status cnn_conv_transpose2d_geometry(cnn_geometry *g);
CNN_API cnn_status cnn_max_pool2d_geometry(cnn_geometry *g);
CNN_API cnn_status cnn_avg_pool2d_geometry(cnn_geometry *g);

/* ---------------------------------------------------------------------------
   Arithmetic the page shows. Counts are doubles: exact up to 2^53, and one
   plain number on the JS side. */

/* conv:  out = floor((in + pad_total − dilation·(kernel−1) − 1) / stride) + 1.
   Returns the size, or −1 with the reason in cnn_last_error(). */
CNN_API int32_t cnn_conv_out_size(int32_t in, int32_t kernel, int32_t stride, int32_t pad_total, int32_t dilation);
/* transposed: out = (in − 1)·stride − pad_total + dilation·(kernel − 1) + output_padding + 1 */
CNN_API int32_t cnn_conv_transpose_out_size(int32_t in, int32_t kernel, int32_t stride, int32_t pad_total,
                                            int32_t dilation, int32_t output_padding);
/* pooling: like conv, with ceil instead of floor when ceil_mode, and the last
   window dropped if it would start in the right padding. */
CNN_API int32_t cnn_pool_out_size(int32_t in, int32_t kernel, int32_t stride, int32_t pad, int32_t dilation,
                                  int32_t ceil_mode);
/* ceil_mode's terms, for pages that print the formula: ceil((in + 2·pad − dilation·(kernel − 1)
   − 1) / stride) + 1 before the last-window rule; cnn_pool_out_size(…, 1) is one less exactly
   when that window would start at (size − 1)·stride ≥ in + pad, in the right padding. −1 if invalid. */
CNN_API int32_t cnn_pool_ceil_size_before_rule(int32_t in, int32_t kernel, int32_t stride, int32_t pad,
                                               int32_t dilation);

/* conv params = out_channels · (in_channels / groups) · kernel_h · kernel_w (+ out_channels if bias) */
CNN_API double cnn_conv2d_params(int32_t in_channels, int32_t out_channels, int32_t kernel_h, int32_t kernel_w,
                                 int32_t groups, int32_t bias);
/* transposed params = in_channels · (out_channels / groups) · kernel_h · kernel_w (+ out_channels if bias) */
CNN_API double cnn_conv_transpose2d_params(int32_t in_channels, int32_t out_channels, int32_t kernel_h,
                                           int32_t kernel_w, int32_t groups, int32_t bias);
/* conv MACs = batch · out_channels · out_h · out_w · (in_channels / groups) · kernel_h · kernel_w */
CNN_API double cnn_conv2d_macs(const cnn_geometry *g);
/* transposed conv MACs = batch · in_channels · in_h · in_w · (out_channels / groups) · kernel_h · kernel_w */
CNN_API double cnn_conv_transpose2d_macs(const cnn_geometry *g);
/* FLOPs = 2 · MACs: each multiply-accumulate is one multiply and one add. */
CNN_API double cnn_macs_to_flops(double macs);
/* linear MACs = batch · in_features · out_features */
CNN_API double cnn_linear_macs(int32_t batch, int32_t in_features, int32_t out_features);
/* padding='same' (stride 1 only): total = dilation·(kernel − 1) per axis,
   top/left = total / 2 (floor), bottom/right = total − top; PyTorch puts the
   odd extra row and column at the bottom/right. Sets g's four pads. */
CNN_API cnn_status cnn_conv2d_pad_same(cnn_geometry *g);
/* The stride-1 convolution equivalent to a transposed one: the input with
   stride − 1 zeros inserted between cells, size (in − 1)·stride + 1, padded by
     begin = dilation·(kernel − 1) − pad_begin,
     end   = dilation·(kernel − 1) − pad_end + output_padding   (negative = cropped),
   convolved with the kernel flipped in both axes.
   result: {zero_inserted_h, zero_inserted_w, pad_top, pad_left, pad_bottom, pad_right}. */
CNN_API cnn_status cnn_conv_transpose2d_equivalent(int32_t *result, const cnn_geometry *g);
/* linear params = out·in (+ out), batch-norm params = 2·channels (weight and bias).
   Batch norm refuses more than CNN_MAX_BATCH_NORM_CHANNELS channels: its four per-channel
   arrays would not fit one block of the module (so a constructor can ask before allocating). */
#define CNN_MAX_BATCH_NORM_CHANNELS (1 << 26)
CNN_API double cnn_linear_params(int32_t in_features, int32_t out_features, int32_t bias);
CNN_API double cnn_batch_norm2d_params(int32_t channels, int32_t affine);

/* Receptive field of a stack of layers along one axis (Araujo, Norris & Sim,
   "Computing Receptive Fields of Convolutional Neural Networks", Distill 2019).
   layers: count × 4 ints {kernel, stride, pad_begin, dilation}.
   result: count × 4 doubles per layer l, for the output of layer l:
     rf     r_l = r_{l−1} + (dilation·(kernel−1)) · j_{l−1},  r_0 = 1
     jump   j_l = j_{l−1} · stride,                            j_0 = 1
     start  s_l = s_{l−1} − pad_begin · j_{l−1},               s_0 = 0
            (input coordinate of the first pixel the output pixel 0 sees)
     center c_l = s_l + (r_l − 1) / 2
   The RF of output pixel i spans [s + i·j, s + i·j + r − 1]. */
CNN_API cnn_status cnn_receptive_field(double *result, const int32_t *layers, int32_t count);
/* That span for output pixel index of the last layer: span = {first, last}. */
CNN_API cnn_status cnn_receptive_field_span(double *span, const int32_t *layers, int32_t count, int32_t index);

/* ---------------------------------------------------------------------------
   Ops. Shapes: input [N, C, H, W]; conv weight [OC, C/groups, KH, KW];
   transposed weight [C, OC/groups, KH, KW]; bias [OC] or NULL. */

CNN_API cnn_status cnn_conv2d_forward(float *out, const float *in, const float *weight, const float *bias,
                                      const cnn_geometry *g);
CNN_API cnn_status cnn_conv2d_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                                       const float *in, const float *weight, const cnn_geometry *g);

CNN_API cnn_status cnn_conv_transpose2d_forward(float *out, const float *in, const float *weight, const float *bias,
                                                const cnn_geometry *g);
CNN_API cnn_status cnn_conv_transpose2d_backward(float *grad_in, float *grad_weight, float *grad_bias,
                                                 const float *grad_out, const float *in, const float *weight,
                                                 const cnn_geometry *g);

/* argmax: [N, C, OH, OW] flat index h·W + w of the winner in its input plane;
   NULL when not needed (inference), which takes a faster path. */
CNN_API cnn_status cnn_max_pool2d_forward(float *out, int32_t *argmax, const float *in, const cnn_geometry *g);
CNN_API cnn_status cnn_max_pool2d_backward(float *grad_in, const float *grad_out, const int32_t *argmax,
                                           const cnn_geometry *g);

CNN_API cnn_status cnn_avg_pool2d_forward(float *out, const float *in, const cnn_geometry *g);
CNN_API cnn_status cnn_avg_pool2d_backward(float *grad_in, const float *grad_out, const cnn_geometry *g);

/* Output cell i averages input [floor(i·H/OH), ceil((i+1)·H/OH)). */
CNN_API cnn_status cnn_adaptive_avg_pool2d_forward(float *out, const float *in, int32_t batch, int32_t channels,
                                                   int32_t in_h, int32_t in_w, int32_t out_h, int32_t out_w);
CNN_API cnn_status cnn_adaptive_avg_pool2d_backward(float *grad_in, const float *grad_out, int32_t batch,
                                                    int32_t channels, int32_t in_h, int32_t in_w, int32_t out_h,
                                                    int32_t out_w);

/* training: y = (x − mean_batch) / sqrt(var_batch + eps) · weight + bias,
   running = (1 − momentum) · running + momentum · stat (unbiased variance);
   eval: the running statistics instead. weight/bias may be NULL (affine=False).
   save_mean / save_invstd [C] are written for backward. */
CNN_API cnn_status cnn_batch_norm2d_forward(float *out, float *save_mean, float *save_invstd, float *running_mean,
                                            float *running_var, const float *in, const float *weight, const float *bias,
                                            int32_t training, float momentum, float eps, int32_t batch,
                                            int32_t channels, int32_t height, int32_t width);
CNN_API cnn_status cnn_batch_norm2d_backward(float *grad_in, float *grad_weight, float *grad_bias,
                                             const float *grad_out, const float *in, const float *weight,
                                             const float *save_mean, const float *save_invstd, int32_t training,
                                             int32_t batch, int32_t channels, int32_t height, int32_t width);

CNN_API cnn_status cnn_relu_forward(float *out, const float *in, int32_t count);
CNN_API cnn_status cnn_relu_backward(float *grad_in, const float *grad_out, const float *in, int32_t count);

/* y[N, OUT] = x[N, IN] · weightᵀ + bias, weight [OUT, IN] */
CNN_API cnn_status cnn_linear_forward(float *out, const float *in, const float *weight, const float *bias,
                                      int32_t batch, int32_t in_features, int32_t out_features);
CNN_API cnn_status cnn_linear_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                                       const float *in, const float *weight, int32_t batch, int32_t in_features,
                                       int32_t out_features);

/* probs[n] = softmax(logits[n]) = exp(logits[n] − max) / Σ exp(logits[n] − max), rows of K. */
CNN_API cnn_status cnn_softmax_forward(float *probs, const float *logits, int32_t batch, int32_t classes);

/* loss = mean over N of −log softmax(logits)[target]; probs [N, K] saved for backward.
   Targets outside [0, K) are an error. */
CNN_API cnn_status cnn_cross_entropy_forward(float *loss, float *probs, const float *logits, const int32_t *targets,
                                             int32_t batch, int32_t classes);
/* grad_logits += grad_loss · (probs − onehot(target)) / N */
CNN_API cnn_status cnn_cross_entropy_backward(float *grad_logits, float grad_loss, const float *probs,
                                              const int32_t *targets, int32_t batch, int32_t classes);

/* ---------------------------------------------------------------------------
   Seeded random fills (xorshift32; normal by Box–Muller): same seed, same values. */
CNN_API cnn_status cnn_random_uniform(float *out, int32_t count, float low, float high, uint32_t seed);
CNN_API cnn_status cnn_random_normal(float *out, int32_t count, float mean, float std, uint32_t seed);
/* PyTorch's default Conv2d/Linear initialisation: weight, bias ~ U(−1/√fan_in, 1/√fan_in).
   bias may be NULL. */
CNN_API cnn_status cnn_init_default(float *weight, float *bias, int32_t weight_count, int32_t bias_count,
                                    int32_t fan_in, uint32_t seed);

/* ---------------------------------------------------------------------------
   Traces for teaching: what one output cell saw. */

/* One term of a window: the input cell at (channel, row, col) in unpadded
   input coordinates (outside [0, H) × [0, W) means padding, value 0) and in
   padded coordinates, the kernel tap (kh, kw), the input value, the weight
   and their product. Pooling traces have weight 1 (max) or 1/divisor (avg). */
typedef struct {
    int32_t channel, row, col, padded_row, padded_col, kernel_row, kernel_col, in_bounds;
    float value, weight, product;
} cnn_trace_term;

#define CNN_TRACE_TERM_INTS   8
#define CNN_TRACE_TERM_FLOATS 3

/* terms: room for max_terms (in_channels/groups · KH · KW is always enough).
   result[0] = the output value (sum + bias), result[1] = bias. Returns the
   number of terms written, or −1 on error. */
CNN_API int32_t cnn_conv2d_trace(cnn_trace_term *terms, int32_t max_terms, float *result, const float *in,
                                 const float *weight, const float *bias, const cnn_geometry *g, int32_t n,
                                 int32_t out_channel, int32_t out_row, int32_t out_col);
/* Transposed conv, gather view: one term per (input cell, kernel tap) that
   lands on the output cell: out_row = row·stride − pad_top + kernel_row·dilation.
   channel/row/col is the input cell, kernel_row/col the tap of the weight
   [C, OC/G, KH, KW], padded_row/col its place in the zero-inserted padded
   input of the equivalent stride-1 conv (cnn_conv_transpose2d_equivalent).
   result as for conv2d. max_terms ≥ C/G · KH · KW is always enough. */
CNN_API int32_t cnn_conv_transpose2d_trace(cnn_trace_term *terms, int32_t max_terms, float *result, const float *in,
                                           const float *weight, const float *bias, const cnn_geometry *g, int32_t n,
                                           int32_t out_channel, int32_t out_row, int32_t out_col);
/* kind 0 = max (result[1] = index of the winning term), 1 = avg (result[1] = divisor). */
CNN_API int32_t cnn_pool2d_trace(cnn_trace_term *terms, int32_t max_terms, float *result, const float *in,
                                 const cnn_geometry *g, int32_t kind, int32_t n, int32_t channel, int32_t out_row,
                                 int32_t out_col);

/* Training (optimizers, input preparation) and the compiled sequential network. */
#include "cnn_train.h"
#include "cnn_network.h"

#endif
