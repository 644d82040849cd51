/* f32-dwconv-grad-weight-scalar.c — weight gradient of a depthwise convolution
   over one padded plane, any kernel, stride and dilation, in the 16 lanes of
   f32-dwconv-grad-weight-wasmsimd.c, whose scalar twin it is (see dwconv.h). */
#include "microkernels.h"

enum { LANES = 16 };

void cnn_f32_dwconv_grad_weight__scalar(float *grad_weight, const float *grad_out, const float *padded,
                                        const cnn_geometry *g, int padded_w) {
    for (int kh = 0; kh < g->kernel_h; kh++)
        for (int kw = 0; kw < g->kernel_w; kw++) {
            float lane[LANES] = {0};
            for (int oh = 0; oh < g->out_height; oh++) {
                const float *grad_row = grad_out + (long)oh * g->out_width;
                const float *tap_row =
                    padded + ((long)oh * g->stride_h + (long)kh * g->dilation_h) * padded_w + (long)kw * g->dilation_w;
                for (int ow = 0; ow < g->out_width; ow++)
                    lane[ow % LANES] += grad_row[ow] * tap_row[(long)ow * g->stride_w];
            }
            float quarter[4];
            for (int j = 0; j < 4; j++) quarter[j] = (lane[j] + lane[4 + j]) + (lane[8 + j] + lane[12 + j]);
            grad_weight[kh * g->kernel_w + kw] += (quarter[0] + quarter[1]) + (quarter[2] + quarter[3]);
        }
}
