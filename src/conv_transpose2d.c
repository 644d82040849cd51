/* conv_transpose2d.c — transposed convolution, forward and backward.
   https://pytorch.org/docs/stable/generated/torch.nn.ConvTranspose2d.html

   Shapes: in [N, C, H, W], weight [C, OC/G, KH, KW], bias [OC], out [N, OC, OH, OW],
   OH = (H − 1)·stride − pad_total + dilation·(KH − 1) + output_padding + 1.
   It is the adjoint of conv2d: each input cell stamps its value times the
   kernel into the output, at stride spacing. Seen from the output, the output
   is the "image" of a conv window view whose columns are the input cells:
     col       = weight[g]ᵀ · in[n, g]               [OC/G·KH·KW, H·W]
     out[n, g] = bias + col2im(col)
   Backward (accumulating):
     col             = im2col(grad_out[n, g])
     grad_in[n, g]  += weight[g] · col
     grad_weight[g] += in[n, g] · colᵀ
     grad_bias      += Σ_{n,oh,ow} grad_out */
#include <stdlib.h>
#include "internal.h"

cnn_status cnn_conv_transpose2d_forward(float *out, const float *in, const float *weight, const float *bias,
                                        const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_conv_transpose2d_geometry(&g);
    if (status) return status;
    const cnn_window_view v = cnn_conv_window_view(&g, 1);
    const int group_in = g.in_channels / g.groups;
    const int rows = v.channels * g.kernel_h * g.kernel_w, cols = g.in_height * g.in_width;
    const long out_plane = (long)g.out_height * g.out_width;
    float *col = cnn_alloc_floats("conv_transpose2d", (long long)rows * cols);
    if (!col) return CNN_OUT_OF_MEMORY;
    for (int n = 0; n < g.batch && !status; n++) {
        float *out_n = out + (long)n * g.out_channels * out_plane;
        cnn_fill_bias(out_n, bias, g.out_channels, out_plane);
        for (int group = 0; group < g.groups && !status; group++) {
            const float *in_ng = in + ((long)n * g.in_channels + (long)group * group_in) * cols;
            status = cnn_gemm("conv_transpose2d", col, cols, weight + (long)group * group_in * rows, 1, rows, in_ng,
                              cols, 1, rows, cols, group_in, 0);
            cnn_col2im(out_n + (long)group * v.channels * out_plane, col, &v);
        }
    }
    free(col);
    return status;
}

cnn_status cnn_conv_transpose2d_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                                         const float *in, const float *weight, const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status status = cnn_conv_transpose2d_geometry(&g);
    if (status) return status;
    const cnn_window_view v = cnn_conv_window_view(&g, 1);
    const int group_in = g.in_channels / g.groups;
    const int rows = v.channels * g.kernel_h * g.kernel_w, cols = g.in_height * g.in_width;
    const long out_plane = (long)g.out_height * g.out_width;
    if (grad_bias) cnn_accumulate_bias_grad(grad_bias, grad_out, g.batch, g.out_channels, out_plane);
    if (!grad_in && !grad_weight) return CNN_OK;
    float *col = cnn_alloc_floats("conv_transpose2d backward", (long long)rows * cols);
    if (!col) return CNN_OUT_OF_MEMORY;
    for (int n = 0; n < g.batch && !status; n++)
        for (int group = 0; group < g.groups && !status; group++) {
            const long in_offset = ((long)n * g.in_channels + (long)group * group_in) * cols;
            const float *weight_g = weight + (long)group * group_in * rows;
            cnn_im2col(col, grad_out + ((long)n * g.out_channels + (long)group * v.channels) * out_plane, &v);
            if (grad_in)
                status = cnn_gemm("conv_transpose2d", grad_in + in_offset, cols, weight_g, rows, 1, col, cols, 1,
                                  group_in, cols, rows, 1);
            if (grad_weight && !status)
                status = cnn_gemm("conv_transpose2d", grad_weight + (long)group * group_in * rows, rows, in + in_offset,
                                  cols, 1, col, 1, cols, group_in, rows, cols, 1);
        }
    free(col);
    return status;
}
