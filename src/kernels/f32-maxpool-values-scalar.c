/* f32-maxpool-values-scalar.c — max pooling of one plane without the argmax, the scalar
   twin (see pool.h): each window's max by PyTorch's rule, cnn_max_pool_takes, but with the
   taps in column-major order (kw, then kh), the order the SIMD twin's separable path takes
   them in. Only the sign of a zero max can tell: a window whose max is 0 keeps its first
   zero down the columns, where PyTorch keeps its first along the rows. */
#include "microkernels.h"

float cnn_max_pool_value_cell(const float *in, const cnn_geometry *g, int out_row, int out_col) {
    const int row0 = out_row * g->stride_h - g->pad_top, col0 = out_col * g->stride_w - g->pad_left;
    float best = -INFINITY;
    int kh_begin, kh_end, kw_begin, kw_end; /* the taps inside the input */
    cnn_pool_kernel_taps(row0, g->dilation_h, g->in_height, g->kernel_h, &kh_begin, &kh_end);
    cnn_pool_kernel_taps(col0, g->dilation_w, g->in_width, g->kernel_w, &kw_begin, &kw_end);
    for (int kw = kw_begin; kw < kw_end; kw++) {
        const int w = col0 + kw * g->dilation_w;
        for (int kh = kh_begin; kh < kh_end; kh++) {
            const int h = row0 + kh * g->dilation_h;
            const float value = in[h * g->in_width + w];
            if (cnn_max_pool_takes(value, best)) best = value;
        }
    }
    return best;
}

void cnn_f32_maxpool_values__scalar(float *out, const float *in, const cnn_geometry *g) {
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow++) out[oh * g->out_width + ow] = cnn_max_pool_value_cell(in, g, oh, ow);
}
