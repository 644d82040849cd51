/* depthwise_conv2d.c — 2-D convolution with groups = in_channels = out_channels
   (each channel its own kernel), forward and backward; conv2d.c routes here.
   https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html

   Shapes: in [N, C, H, W], weight [C, 1, KH, KW], bias [C], out [N, C, OH, OW];
   in(h, w) = in[n][c][h][w] inside the input, 0 outside (the padding):
     out[n][c][oh][ow] = bias[c] + Σ_kh Σ_kw weight[c][kh][kw] · in(oh·stride_h − pad_top + kh·dilation_h,
                                                                    ow·stride_w − pad_left + kw·dilation_w)
   Backward (accumulating):
     grad_weight[c][kh][kw] += Σ_n Σ_oh Σ_ow grad_out[n][c][oh][ow] · in(same rows and columns)
     grad_in[n][c][h][w]    += Σ_kh Σ_kw weight[c][kh][kw] · grad_out[n][c][oh][ow]
                               over the taps with oh·stride_h = h + pad_top − kh·dilation_h, ow alike
     grad_bias[c]           += Σ_n Σ_oh Σ_ow grad_out[n][c][oh][ow]
   At stride 1, grad_in is itself a depthwise convolution: of grad_out, with the
   kernel flipped and padding (K − 1)·dilation − pad on the top and left,
     grad_in[h][w] += Σ_a Σ_b weight[KH−1−a][KW−1−b] · grad_out(h + pad_top − (KH−1)·dilation_h + a·dilation_h, …)
   and runs through the forward kernels.

   Each plane is copied into a zero-padded buffer, so the kernels
   (kernels/dwconv.h) read every tap without a bounds check. When that buffer
   would be larger than the input and the multiplications together (strides,
   dilations or padding near 2^31), per-cell loops with bounds checks do the
   same sums instead. */
#include <stdlib.h>
#include "internal.h"
#include "kernels/dwconv.h"

typedef void (*plane_kernel)(float *out, const float *padded, const float *weight, float bias,
                             const cnn_geometry *g, int padded_w);

/* The 3×3 stride-1 kernel where it applies, the general one elsewhere. */
static plane_kernel forward_kernel(const cnn_geometry *g) {
    const int is_3x3s1 = g->kernel_h == 3 && g->kernel_w == 3 && g->stride_h == 1 && g->stride_w == 1;
    return is_3x3s1 ? CNN_DWCONV_3X3S1_PLANE : CNN_DWCONV_PLANE;
}

/* The zero-padded buffer the kernels read for g's output, window and stride:
   every row of every window, and whole groups of CNN_DWCONV_TILE_COLS columns:
     height = (OH − 1)·stride_h + (KH − 1)·dilation_h + 1
     width  = (round_up(OW, tile) − 1)·stride_w + (KW − 1)·dilation_w + 1 */
static void padded_size(const cnn_geometry *g, long long *height, long long *width) {
    const long long tile = CNN_DWCONV_TILE_COLS;
    const long long tiled_w = (g->out_width + tile - 1) / tile * tile;
    *height = (long long)(g->out_height - 1) * g->stride_h + (long long)(g->kernel_h - 1) * g->dilation_h + 1;
    *width = (tiled_w - 1) * g->stride_w + (long long)(g->kernel_w - 1) * g->dilation_w + 1;
}

/* The copy pays when the buffer is no larger than the plane it holds plus the
   multiplications it saves checking (doubles: the product can pass 2^63). */
static int padding_pays(long long height, long long width, long long plane, const cnn_geometry *g) {
    const double multiplications = (double)g->out_height * g->out_width * g->kernel_h * g->kernel_w;
    const long long padded = height * width;
    return padded <= CNN_MAX_ELEMENTS && (double)padded <= (double)plane + multiplications;
}

/* padded[r][c] = plane[r − top][c − left] for the cells inside the plane; the
   rest of the buffer (the padding) is left as it is, zero. */
static void copy_into_padded(float *padded, long long padded_h, long long padded_w, const float *plane,
                             int plane_h, int plane_w, long long top, long long left) {
    const long long row_begin = top > 0 ? top : 0, col_begin = left > 0 ? left : 0;
    const long long row_end = top + plane_h < padded_h ? top + plane_h : padded_h;
    const long long col_end = left + plane_w < padded_w ? left + plane_w : padded_w;
    for (long long r = row_begin; r < row_end; r++) {
        const float *src = plane + (r - top) * plane_w;
        float *dst = padded + r * padded_w;
        for (long long c = col_begin; c < col_end; c++) dst[c] = src[c - left];
    }
}

static float *alloc_zeros(const char *op, long long count) {
    float *buffer = cnn_alloc_floats(op, count);
    for (long long i = 0; buffer && i < count; i++) buffer[i] = 0.0f;
    return buffer;
}

/* in(h, w) of one plane, 0 outside; 64-bit coordinates. */
static float value_at(const float *plane, const cnn_geometry *g, long long h, long long w) {
    return h >= 0 && h < g->in_height && w >= 0 && w < g->in_width ? plane[h * g->in_width + w] : 0.0f;
}

/* One output cell in the kernels' order (bias, then taps in order), bounds checked. */
static float forward_cell(const float *plane, const float *weight, float bias, const cnn_geometry *g, int oh,
                          int ow) {
    const long long row0 = (long long)oh * g->stride_h - g->pad_top, col0 = (long long)ow * g->stride_w - g->pad_left;
    float sum = bias;
    for (int kh = 0; kh < g->kernel_h; kh++)
        for (int kw = 0; kw < g->kernel_w; kw++)
            sum += weight[kh * g->kernel_w + kw] *
                   value_at(plane, g, row0 + (long long)kh * g->dilation_h, col0 + (long long)kw * g->dilation_w);
    return sum;
}

cnn_status cnn_depthwise_conv2d_forward(float *out, const float *in, const float *weight, const float *bias,
                                        const cnn_geometry *g) {
    const long in_plane = (long)g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    const long taps = (long)g->kernel_h * g->kernel_w, planes = (long)g->batch * g->in_channels;
    long long padded_h, padded_w;
    padded_size(g, &padded_h, &padded_w);
    if (!padding_pays(padded_h, padded_w, in_plane, g)) {
        for (long p = 0; p < planes; p++) {
            const int c = (int)(p % g->in_channels);
            for (int oh = 0; oh < g->out_height; oh++)
                for (int ow = 0; ow < g->out_width; ow++)
                    out[p * out_plane + (long)oh * g->out_width + ow] =
                        forward_cell(in + p * in_plane, weight + c * taps, bias ? bias[c] : 0.0f, g, oh, ow);
        }
        return CNN_OK;
    }
    float *padded = alloc_zeros("conv2d", padded_h * padded_w);
    if (!padded) return CNN_OUT_OF_MEMORY;
    const plane_kernel kernel = forward_kernel(g);
    for (long p = 0; p < planes; p++) {
        const int c = (int)(p % g->in_channels);
        copy_into_padded(padded, padded_h, padded_w, in + p * in_plane, g->in_height, g->in_width, g->pad_top,
                         g->pad_left);
        kernel(out + p * out_plane, padded, weight + c * taps, bias ? bias[c] : 0.0f, g, (int)padded_w);
    }
    free(padded);
    return CNN_OK;
}

static cnn_status accumulate_grad_weight(float *grad_weight, const float *grad_out, const float *in,
                                         const cnn_geometry *g) {
    const long in_plane = (long)g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    const long taps = (long)g->kernel_h * g->kernel_w, planes = (long)g->batch * g->in_channels;
    long long padded_h, padded_w;
    padded_size(g, &padded_h, &padded_w);
    if (!padding_pays(padded_h, padded_w, in_plane, g)) {
        for (long p = 0; p < planes; p++) {
            const float *plane = in + p * in_plane, *grad_plane = grad_out + p * out_plane;
            for (int kh = 0; kh < g->kernel_h; kh++)
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    float sum = 0.0f;
                    for (int oh = 0; oh < g->out_height; oh++)
                        for (int ow = 0; ow < g->out_width; ow++)
                            sum += grad_plane[(long)oh * g->out_width + ow] *
                                   value_at(plane, g, (long long)oh * g->stride_h - g->pad_top + (long long)kh * g->dilation_h,
                                            (long long)ow * g->stride_w - g->pad_left + (long long)kw * g->dilation_w);
                    grad_weight[p % g->in_channels * taps + kh * g->kernel_w + kw] += sum;
                }
        }
        return CNN_OK;
    }
    float *padded = alloc_zeros("conv2d", padded_h * padded_w);
    if (!padded) return CNN_OUT_OF_MEMORY;
    for (long p = 0; p < planes; p++) {
        copy_into_padded(padded, padded_h, padded_w, in + p * in_plane, g->in_height, g->in_width, g->pad_top,
                         g->pad_left);
        CNN_DWCONV_GRAD_WEIGHT_PLANE(grad_weight + p % g->in_channels * taps, grad_out + p * out_plane, padded, g,
                                     (int)padded_w);
    }
    free(padded);
    return CNN_OK;
}

/* grad_in of one cell, gathered: the taps in reverse order, as the flipped
   kernel of the stride-1 route sums them, an aligned tap that lands outside
   grad_out adding weight · 0 as there. */
static float grad_input_cell(const float *grad_plane, const float *weight, const cnn_geometry *g, int h, int w) {
    float sum = 0.0f;
    for (int kh = g->kernel_h - 1; kh >= 0; kh--) {
        const long long row = (long long)h + g->pad_top - (long long)kh * g->dilation_h;
        if (row % g->stride_h) continue;
        const long long oh = row / g->stride_h;
        for (int kw = g->kernel_w - 1; kw >= 0; kw--) {
            const long long col = (long long)w + g->pad_left - (long long)kw * g->dilation_w;
            if (col % g->stride_w) continue;
            const long long ow = col / g->stride_w;
            const int inside = oh >= 0 && oh < g->out_height && ow >= 0 && ow < g->out_width;
            sum += weight[kh * g->kernel_w + kw] * (inside ? grad_plane[oh * g->out_width + ow] : 0.0f);
        }
    }
    return sum;
}

/* Stride 1: the flipped-kernel convolution of grad_out into a scratch plane, added to grad_in. */
static cnn_status accumulate_grad_input_stride1(float *grad_in, const float *grad_out, const float *weight,
                                                const cnn_geometry *g, const cnn_geometry *flipped,
                                                long long padded_h, long long padded_w) {
    const long in_plane = (long)g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    const long taps = (long)g->kernel_h * g->kernel_w, planes = (long)g->batch * g->in_channels;
    float *padded = alloc_zeros("conv2d", padded_h * padded_w);
    float *result = cnn_alloc_floats("conv2d", in_plane);
    float *flipped_weight = padded && result ? cnn_alloc_floats("conv2d", (long long)taps * g->in_channels) : NULL;
    if (!flipped_weight) {
        free(padded), free(result);
        return CNN_OUT_OF_MEMORY;
    }
    for (long c = 0; c < g->in_channels; c++)
        for (long t = 0; t < taps; t++) flipped_weight[c * taps + t] = weight[c * taps + taps - 1 - t];
    const long long top = (long long)(g->kernel_h - 1) * g->dilation_h - g->pad_top;
    const long long left = (long long)(g->kernel_w - 1) * g->dilation_w - g->pad_left;
    const plane_kernel kernel = forward_kernel(flipped);
    for (long p = 0; p < planes; p++) {
        copy_into_padded(padded, padded_h, padded_w, grad_out + p * out_plane, g->out_height, g->out_width, top, left);
        kernel(result, padded, flipped_weight + p % g->in_channels * taps, 0.0f, flipped, (int)padded_w);
        float *grad_plane = grad_in + p * in_plane;
        for (long i = 0; i < in_plane; i++) grad_plane[i] += result[i];
    }
    free(padded), free(result), free(flipped_weight);
    return CNN_OK;
}

static cnn_status accumulate_grad_input(float *grad_in, const float *grad_out, const float *weight,
                                        const cnn_geometry *g) {
    /* The stride-1 route's convolution: grad_out in, grad_in [H, W] out, same kernel and dilation. */
    cnn_geometry flipped = *g;
    flipped.out_height = g->in_height, flipped.out_width = g->in_width;
    long long padded_h, padded_w;
    padded_size(&flipped, &padded_h, &padded_w);
    const long out_plane = (long)g->out_height * g->out_width;
    if (g->stride_h == 1 && g->stride_w == 1 && padding_pays(padded_h, padded_w, out_plane, &flipped))
        return accumulate_grad_input_stride1(grad_in, grad_out, weight, g, &flipped, padded_h, padded_w);
    const long in_plane = (long)g->in_height * g->in_width, taps = (long)g->kernel_h * g->kernel_w;
    for (long p = 0; p < (long)g->batch * g->in_channels; p++)
        for (int h = 0; h < g->in_height; h++)
            for (int w = 0; w < g->in_width; w++)
                grad_in[p * in_plane + (long)h * g->in_width + w] +=
                    grad_input_cell(grad_out + p * out_plane, weight + p % g->in_channels * taps, g, h, w);
    return CNN_OK;
}

cnn_status cnn_depthwise_conv2d_backward(float *grad_in, float *grad_weight, float *grad_bias,
                                         const float *grad_out, const float *in, const float *weight,
                                         const cnn_geometry *g) {
    const long out_plane = (long)g->out_height * g->out_width;
    if (grad_bias) cnn_accumulate_bias_grad(grad_bias, grad_out, g->batch, g->out_channels, out_plane);
    cnn_status status = grad_weight ? accumulate_grad_weight(grad_weight, grad_out, in, g) : CNN_OK;
    if (grad_in && !status) status = accumulate_grad_input(grad_in, grad_out, weight, g);
    return status;
}
