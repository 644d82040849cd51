/* conv2d.c — 2-D convolution, forward and backward, as im2col + GEMM.
   https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html

   Shapes: in [N, C, H, W], weight [OC, C/G, KH, KW], bias [OC], out [N, OC, OH, OW].
   For each batch n and group g (C/G input and OC/G output channels):
     col      = im2col(in[n, g])                      [C/G·KH·KW, OH·OW]
     out[n,g] = weight[g] · col + bias                [OC/G, OH·OW]
   Faster routes take over where they apply: direct kernels for depthwise (groups =
   C = OC), forward and backward (depthwise_conv2d.c); Winograd F(2×2, 3×3) for 3×3 stride-1
   layers with enough channels (winograd.c) and F(4, 5) or F(2, 7) along rows for 5- or 7-wide ones
   (winograd_rows.c), both also for grad_weight; an implicit GEMM that reads the padded image
   in place of col (conv_implicit.c), also for grad_weight; and grad_in as a forward
   convolution (conv2d_grad_input.c).
   Backward (accumulating):
     grad_in[n, g] += col2im(weight[g]ᵀ · grad_out[n, g])
     grad_weight[g] += grad_out[n, g] · colᵀ
     grad_bias      += Σ_{n,oh,ow} grad_out */
#include <stdlib.h>
#include "internal.h"

/* A 1×1, stride-1, unpadded window view is the identity: col is the image itself. */
static int is_pointwise(const cnn_window_view *v) {
    return v->kernel_h == 1 && v->kernel_w == 1 && v->stride_h == 1 && v->stride_w == 1 &&
           v->pad_top == 0 && v->pad_left == 0 && v->image_h == v->cols_h && v->image_w == v->cols_w;
}

void cnn_fill_bias(float *out, const float *bias, int channels, long plane) {
    for (int c = 0; c < channels; c++)
        for (long i = 0; i < plane; i++) out[c * plane + i] = bias ? bias[c] : 0.0f;
}

void cnn_accumulate_bias_grad(float *grad_bias, const float *grad_out, int batch, int channels,
                              long plane) {
    for (int c = 0; c < channels; c++) {
        double sum = 0.0;
        for (int n = 0; n < batch; n++) sum += cnn_plane_sum(grad_out + ((long)n * channels + c) * plane, plane);
        grad_bias[c] += (float)sum;
    }
}

/* The implicit GEMM reads the image in place of im2col; it lost to the packed GEMM only
   where no im2col is needed (1×1) and on strided layers with many taps (measured:
   64→128 3×3 stride 2 ran 11% slower, the 3-channel 7×7 stride-2 stem 19% faster). */
enum { IMPLICIT_MAX_STRIDED_TAPS = 256 };

static int implicit_forward_pays(const cnn_geometry *g, const cnn_window_view *v) {
    const long taps = (long)v->channels * g->kernel_h * g->kernel_w;
    return !is_pointwise(v) && (g->stride_w == 1 || taps <= IMPLICIT_MAX_STRIDED_TAPS) && cnn_conv_implicit_applies(g);
}

/* Winograd transforms mix a tile's inputs before multiplying, so a NaN or ±∞ would reach
   outputs whose window does not hold it (and ∞ − ∞ give NaN where PyTorch has ±∞):
   unless every tensor involved is finite, the exact routes run. */
static int winograd_exact(const float *x, long x_count, const float *y, long y_count, const float *z, long z_count) {
    return cnn_all_finite(x, x_count) && cnn_all_finite(y, y_count) && (!z || cnn_all_finite(z, z_count));
}

cnn_status cnn_conv2d_forward(float *out, const float *in, const float *weight, const float *bias,
                              const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_conv2d_geometry(&g);
    if (status) return status;
    const long in_plane = (long)g.in_height * g.in_width;
    if (g.groups == g.in_channels && g.out_channels == g.in_channels)
        return cnn_depthwise_conv2d_forward(out, in, weight, bias, &g);
    const long in_count = (long)g.batch * g.in_channels * in_plane;
    const long weight_count = (long)g.out_channels * (g.in_channels / g.groups) * g.kernel_h * g.kernel_w;
    const int winograd = cnn_winograd_applies(&g), winograd_rows = !winograd && cnn_winograd_rows_applies(&g);
    if ((winograd || winograd_rows) && winograd_exact(in, in_count, weight, weight_count, NULL, 0))
        return winograd ? cnn_conv2d_winograd(out, in, weight, bias, &g) : cnn_conv2d_winograd_rows(out, in, weight, bias, &g);
    const cnn_window_view v = cnn_conv_window_view(&g, 0);
    if (implicit_forward_pays(&g, &v)) return cnn_conv2d_implicit(out, in, weight, bias, &g, 0);
    const int group_out = g.out_channels / g.groups;
    const int rows = v.channels * g.kernel_h * g.kernel_w, cols = g.out_height * g.out_width;
    float *col = is_pointwise(&v) ? NULL : cnn_alloc_floats("conv2d", (long long)rows * cols);
    if (!is_pointwise(&v) && !col) return CNN_OUT_OF_MEMORY;
    for (int n = 0; n < g.batch && !status; n++) {
        float *out_n = out + (long)n * g.out_channels * cols;
        cnn_fill_bias(out_n, bias, g.out_channels, cols);
        for (int group = 0; group < g.groups && !status; group++) {
            const float *image = in + ((long)n * g.in_channels + (long)group * v.channels) * in_plane;
            if (col) cnn_im2col(col, image, &v);
            status = cnn_gemm("conv2d", out_n + (long)group * group_out * cols, cols,
                              weight + (long)group * group_out * rows, rows, 1, col ? col : image,
                              cols, 1, group_out, cols, rows, 1);
        }
    }
    free(col);
    return status;
}

cnn_status cnn_conv2d_backward(float *grad_in, float *grad_weight, float *grad_bias,
                               const float *grad_out, const float *in, const float *weight,
                               const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_conv2d_geometry(&g);
    if (status) return status;
    if (g.groups == g.in_channels && g.out_channels == g.in_channels)
        return cnn_depthwise_conv2d_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, &g);
    const cnn_window_view v = cnn_conv_window_view(&g, 0);
    const int group_out = g.out_channels / g.groups;
    const int rows = v.channels * g.kernel_h * g.kernel_w, cols = g.out_height * g.out_width;
    const long in_plane = (long)g.in_height * g.in_width;
    if (grad_bias) cnn_accumulate_bias_grad(grad_bias, grad_out, g.batch, g.out_channels, cols);
    /* each route's applies() once: the weight gradient's Winograd shape, grad_input's forward route */
    const int winograd_3x3 = grad_weight && cnn_winograd_applies(&g);
    const int winograd_rows = grad_weight && !winograd_3x3 && cnn_winograd_rows_applies(&g);
    const int grad_input_route = grad_in ? cnn_conv2d_grad_input_as_forward_applies(&g, 1) : 0;
    const int winograd_shaped = winograd_3x3 || winograd_rows || grad_input_route == CNN_GRAD_INPUT_WINOGRAD;
    const int winograd = winograd_shaped && winograd_exact(grad_out, (long)g.batch * g.out_channels * cols, in,
                                                           g.batch * g.in_channels * in_plane, weight,
                                                           (long)g.out_channels * rows);
    /* without Winograd (a NaN or ∞ somewhere), grad_input's route is asked again, for the implicit GEMM */
    if (grad_in && (winograd || grad_input_route != CNN_GRAD_INPUT_WINOGRAD ? grad_input_route
                                                                              : cnn_conv2d_grad_input_as_forward_applies(&g, 0))) {
        if ((status = cnn_conv2d_grad_input_as_forward(grad_in, grad_out, weight, &g, winograd))) return status;
        grad_in = NULL;
    }
    if (grad_weight && winograd && winograd_3x3) {
        if ((status = cnn_conv2d_winograd_grad_weight(grad_weight, grad_out, in, &g))) return status;
        grad_weight = NULL;
    }
    if (grad_weight && winograd && winograd_rows) {
        if ((status = cnn_conv2d_winograd_rows_grad_weight(grad_weight, grad_out, in, &g))) return status;
        grad_weight = NULL;
    }
    if (grad_weight && !is_pointwise(&v) && cnn_conv_implicit_applies(&g)) {
        if ((status = cnn_conv2d_implicit_grad_weight(grad_weight, grad_out, in, &g))) return status;
        grad_weight = NULL;
    }
    if (!grad_in && !grad_weight) return CNN_OK;
    const int pointwise = is_pointwise(&v);
    float *col = pointwise && !grad_in ? NULL : cnn_alloc_floats("conv2d backward", (long long)rows * cols);
    if (!col && !(pointwise && !grad_in)) return CNN_OUT_OF_MEMORY;
    for (int n = 0; n < g.batch && !status; n++)
        for (int group = 0; group < g.groups && !status; group++) {
            const long in_offset = ((long)n * g.in_channels + (long)group * v.channels) * in_plane;
            const float *grad_out_ng = grad_out + ((long)n * g.out_channels + (long)group * group_out) * cols;
            const float *weight_g = weight + (long)group * group_out * rows;
            if (grad_weight) {
                const float *unfolded = in + in_offset;
                if (!pointwise) {
                    cnn_im2col(col, in + in_offset, &v);
                    unfolded = col;
                }
                status = cnn_gemm("conv2d", grad_weight + (long)group * group_out * rows, rows, grad_out_ng, cols,
                                  1, unfolded, 1, cols, group_out, rows, cols, 1);
            }
            if (grad_in && !status) {
                status = cnn_gemm("conv2d", col, cols, weight_g, 1, rows, grad_out_ng, cols, 1, rows, cols,
                                  group_out, 0);
                cnn_col2im(grad_in + in_offset, col, &v);
            }
        }
    free(col);
    return status;
}
