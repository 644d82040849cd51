/* f32-maxpool-scalar.c — max pooling of one plane with the argmax, the scalar twin
   (see max_pool2d.c): PyTorch's rule (cnn_max_pool_takes), the first tap always taken. */
#include "microkernels.h"

void cnn_max_pool_cell(float *out, int32_t *argmax, const float *in, const cnn_geometry *g, int out_row, int out_col) {
    const int row0 = out_row * g->stride_h - g->pad_top, col0 = out_col * g->stride_w - g->pad_left;
    float best = -INFINITY;
    int32_t best_index = -1;
    int kh_begin, kh_end, kw_begin, kw_end; /* the taps inside the input */
    cnn_pool_kernel_taps(row0, g->dilation_h, g->in_height, g->kernel_h, &kh_begin, &kh_end);
    cnn_pool_kernel_taps(col0, g->dilation_w, g->in_width, g->kernel_w, &kw_begin, &kw_end);
    for (int kh = kh_begin; kh < kh_end; kh++) {
        const int h = row0 + kh * g->dilation_h;
        for (int kw = kw_begin; kw < kw_end; kw++) {
            const int w = col0 + kw * g->dilation_w;
            const int32_t index = h * g->in_width + w;
            const float value = in[index];
            if (best_index < 0 || cnn_max_pool_takes(value, best)) {
                best = value;
                best_index = index;
            }
        }
    }
    *out = best;
    *argmax = best_index;
}

void cnn_f32_maxpool__scalar(float *out, int32_t *argmax, const float *in, const cnn_geometry *g) {
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow++) {
            const int i = oh * g->out_width + ow;
            cnn_max_pool_cell(out + i, argmax + i, in, g, oh, ow);
        }
}
