/* conv2d_grad_input.c — conv2d's grad_input as a forward convolution, for stride 1.

   With stride 1, grad_in[c][h][w] = Σ_{oc, kh, kw} W[oc][c][kh][kw] · grad_out[oc][h + pad_top − kh·dh][w + pad_left − kw·dw].
   Substituting kh' = KH − 1 − kh (and kw' likewise) makes it a correlation:
     grad_in = conv2d(grad_out, W', padding dh·(KH − 1) − pad_top, …, same dilation and groups)
     W'[group·C/G + c][oc][kh'][kw'] = W[group·OC/G + oc][c][KH − 1 − kh'][KW − 1 − kw']
   whose padding must not be negative (pad ≤ dilation·(kernel − 1)). That forward runs as
   Winograd when 3×3 (winograd.c) or 5 or 7 wide (winograd_rows.c), else as the implicit GEMM
   (conv_implicit.c), and is added to grad_in. */
#include <stdlib.h>
#include "internal.h"

/* The forward convolution whose output is grad_in (see the top), if it exists. */
static int grad_input_geometry(const cnn_geometry *g, cnn_geometry *t) {
    const int reach_h = g->dilation_h * (g->kernel_h - 1), reach_w = g->dilation_w * (g->kernel_w - 1);
    if (g->stride_h != 1 || g->stride_w != 1 || g->pad_top > reach_h || g->pad_bottom > reach_h ||
        g->pad_left > reach_w || g->pad_right > reach_w)
        return 0;
    *t = *g;
    t->in_channels = g->out_channels, t->in_height = g->out_height, t->in_width = g->out_width;
    t->out_channels = g->in_channels;
    t->pad_top = reach_h - g->pad_top, t->pad_bottom = reach_h - g->pad_bottom;
    t->pad_left = reach_w - g->pad_left, t->pad_right = reach_w - g->pad_right;
    return cnn_conv2d_geometry(t) == CNN_OK && t->out_height == g->in_height && t->out_width == g->in_width;
}

typedef cnn_status (*forward_pass)(float *out, const float *in, const float *weight, const float *bias,
                                   const cnn_geometry *g);

/* grad_in as a forward pass pays off when it is Winograd-shaped, or when it has enough
   output channels to fill the microkernel's rows and a window to slide (measured: 1 and
   3 channels, and 1×1 kernels, whose col2im is a plain GEMM, ran slower). */
enum { GRAD_INPUT_MIN_CHANNELS = 8 };

/* The Winograd route the forward pass of t takes, if any and allowed. */
static forward_pass winograd_route(const cnn_geometry *t, int winograd) {
    if (!winograd) return NULL;
    if (cnn_winograd_applies(t)) return cnn_conv2d_winograd;
    return cnn_winograd_rows_applies(t) ? cnn_conv2d_winograd_rows : NULL;
}

int cnn_conv2d_grad_input_as_forward_applies(const cnn_geometry *g, int winograd) {
    cnn_geometry t;
    if (!grad_input_geometry(g, &t)) return 0;
    if (winograd_route(&t, winograd)) return CNN_GRAD_INPUT_WINOGRAD;
    return t.out_channels / t.groups >= GRAD_INPUT_MIN_CHANNELS && g->kernel_h * g->kernel_w > 1 &&
           cnn_conv_implicit_applies(&t);
}

/* grad_in += a Winograd forward of grad_out with W', through a scratch output. */
static cnn_status grad_input_winograd(float *grad_in, const float *grad_out, const float *flipped,
                                      const cnn_geometry *t, forward_pass winograd) {
    const long count = (long)t->batch * t->out_channels * t->out_height * t->out_width;
    float *result = cnn_alloc_floats("conv2d backward", count);
    if (!result) return CNN_OUT_OF_MEMORY;
    const cnn_status status = winograd(result, grad_out, flipped, NULL, t);
    for (long i = 0; !status && i < count; i++) grad_in[i] += result[i];
    free(result);
    return status;
}

cnn_status cnn_conv2d_grad_input_as_forward(float *grad_in, const float *grad_out, const float *weight,
                                            const cnn_geometry *g, int winograd) {
    cnn_geometry t;
    if (!grad_input_geometry(g, &t)) return cnn_fail(CNN_INVALID_ARGUMENT, "conv2d", "no stride-1 grad_input view");
    const int channels = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    const int window = g->kernel_h * g->kernel_w;
    float *flipped = cnn_alloc_floats("conv2d backward", (long long)g->in_channels * group_out * window);
    if (!flipped) return CNN_OUT_OF_MEMORY;
    /* W'[group·C/G + c][oc][kh][kw] = W[group·OC/G + oc][c][KH−1−kh][KW−1−kw] */
    for (int group = 0; group < g->groups; group++)
        for (int c = 0; c < channels; c++)
            for (int oc = 0; oc < group_out; oc++)
                for (int k = 0; k < window; k++)
                    flipped[(((long)group * channels + c) * group_out + oc) * window + k] =
                        weight[(((long)group * group_out + oc) * channels + c) * window + window - 1 - k];
    const forward_pass route = winograd_route(&t, winograd);
    const cnn_status status = route ? grad_input_winograd(grad_in, grad_out, flipped, &t, route)
                                    : cnn_conv2d_implicit(grad_in, grad_out, flipped, NULL, &t, 1);
    free(flipped);
    return status;
}
