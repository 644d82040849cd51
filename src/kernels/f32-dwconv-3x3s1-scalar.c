/* f32-dwconv-3x3s1-scalar.c — depthwise 3×3 stride-1 convolution of one padded
   plane, any dilation, the nine weights held in locals; the scalar twin of
   f32-dwconv-3x3s1-wasmsimd.c, same sum order as every dwconv kernel (dwconv.h). */
#include "microkernels.h"

void cnn_f32_dwconv_3x3s1__scalar(float *out, const float *padded, const float *weight, float bias,
                                  const cnn_geometry *g, int padded_w) {
    const float w00 = weight[0], w01 = weight[1], w02 = weight[2];
    const float w10 = weight[3], w11 = weight[4], w12 = weight[5];
    const float w20 = weight[6], w21 = weight[7], w22 = weight[8];
    const int d = g->dilation_w;
    const long row_step = (long)g->dilation_h * padded_w;
    for (int oh = 0; oh < g->out_height; oh++) {
        const float *in0 = padded + (long)oh * padded_w, *in1 = in0 + row_step, *in2 = in1 + row_step;
        float *out_row = out + (long)oh * g->out_width;
        for (int ow = 0; ow < g->out_width; ow++) {
            float sum = bias;
            sum += w00 * in0[ow], sum += w01 * in0[ow + d], sum += w02 * in0[ow + 2 * d];
            sum += w10 * in1[ow], sum += w11 * in1[ow + d], sum += w12 * in1[ow + 2 * d];
            sum += w20 * in2[ow], sum += w21 * in2[ow + d], sum += w22 * in2[ow + 2 * d];
            out_row[ow] = sum;
        }
    }
}
