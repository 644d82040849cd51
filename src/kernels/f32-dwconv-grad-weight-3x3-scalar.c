/* f32-dwconv-grad-weight-3x3-scalar.c — weight gradient of a depthwise 3×3
   convolution over one padded plane, any stride and dilation, in the 4 lanes
   of f32-dwconv-grad-weight-3x3-wasmsimd.c, whose scalar twin it is (dwconv.h). */
#include "microkernels.h"

void cnn_f32_dwconv_grad_weight_3x3__scalar(float *grad_weight, const float *grad_out, const float *padded,
                                            const cnn_geometry *g, int padded_w) {
    float lane[9][4] = {{0}};
    const long row_step = (long)g->dilation_h * padded_w;
    for (int oh = 0; oh < g->out_height; oh++) {
        const float *grad_row = grad_out + (long)oh * g->out_width;
        const float *padded_row = padded + (long)oh * g->stride_h * padded_w;
        for (int ow = 0; ow < g->out_width; ow++) {
            const float *window = padded_row + (long)ow * g->stride_w;
            for (int kh = 0; kh < 3; kh++)
                for (int kw = 0; kw < 3; kw++)
                    lane[kh * 3 + kw][ow % 4] += grad_row[ow] * window[kh * row_step + kw * g->dilation_w];
        }
    }
    for (int t = 0; t < 9; t++) grad_weight[t] += (lane[t][0] + lane[t][1]) + (lane[t][2] + lane[t][3]);
}
