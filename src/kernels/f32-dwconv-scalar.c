/* f32-dwconv-scalar.c — depthwise convolution of one padded plane, any kernel,
   stride and dilation; the scalar twin of f32-dwconv-wasmsimd.c (see dwconv.h). */
#include "microkernels.h"

void cnn_f32_dwconv__scalar(float *out, const float *padded, const float *weight, float bias, const cnn_geometry *g,
                            int padded_w) {
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow++) {
            const float *window = padded + (long)oh * g->stride_h * padded_w + (long)ow * g->stride_w;
            float sum = bias;
            for (int kh = 0; kh < g->kernel_h; kh++) {
                const float *row = window + (long)kh * g->dilation_h * padded_w;
                for (int kw = 0; kw < g->kernel_w; kw++)
                    sum += weight[kh * g->kernel_w + kw] * row[(long)kw * g->dilation_w];
            }
            out[(long)oh * g->out_width + ow] = sum;
        }
}
