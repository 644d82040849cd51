/* f32-dwconv-scalar.c — depthwise convolution of one plane, the scalar twin (see dwconv.h). */
#include "dwconv.h"

float cnn_dwconv_cell(const float *in, const float *weight, float bias, const cnn_geometry *g,
                      int out_row, int out_col) {
    const int row0 = out_row * g->stride_h - g->pad_top, col0 = out_col * g->stride_w - g->pad_left;
    float sum = 0.0f;
    for (int kh = 0; kh < g->kernel_h; kh++) {
        const int h = row0 + kh * g->dilation_h;
        if (h < 0 || h >= g->in_height) continue;
        for (int kw = 0; kw < g->kernel_w; kw++) {
            const int w = col0 + kw * g->dilation_w;
            if (w < 0 || w >= g->in_width) continue;
            sum += weight[kh * g->kernel_w + kw] * in[h * g->in_width + w];
        }
    }
    return sum + bias;
}

void cnn_f32_dwconv__scalar(float *out, const float *in, const float *weight, float bias,
                            const cnn_geometry *g) {
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow++)
            out[oh * g->out_width + ow] = cnn_dwconv_cell(in, weight, bias, g, oh, ow);
}
