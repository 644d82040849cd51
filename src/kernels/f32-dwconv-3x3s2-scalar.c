/* f32-dwconv-3x3s2-scalar.c — depthwise 3×3 stride-2 undilated convolution of
   one padded plane, the nine weights held in locals; the scalar twin of
   f32-dwconv-3x3s2-wasmsimd.c, same sum order as every dwconv kernel (dwconv.h). */
#include "microkernels.h"

void cnn_f32_dwconv_3x3s2__scalar(float *out, const float *padded, const float *weight, float bias,
                                  const cnn_geometry *g, int padded_w) {
    const float w00 = weight[0], w01 = weight[1], w02 = weight[2];
    const float w10 = weight[3], w11 = weight[4], w12 = weight[5];
    const float w20 = weight[6], w21 = weight[7], w22 = weight[8];
    for (int oh = 0; oh < g->out_height; oh++) {
        const float *in0 = padded + (long)oh * 2 * padded_w, *in1 = in0 + padded_w, *in2 = in1 + padded_w;
        float *out_row = out + (long)oh * g->out_width;
        for (int ow = 0; ow < g->out_width; ow++) {
            const int col = 2 * ow;
            float sum = bias;
            sum += w00 * in0[col], sum += w01 * in0[col + 1], sum += w02 * in0[col + 2];
            sum += w10 * in1[col], sum += w11 * in1[col + 1], sum += w12 * in1[col + 2];
            sum += w20 * in2[col], sum += w21 * in2[col + 1], sum += w22 * in2[col + 2];
            out_row[ow] = sum;
        }
    }
}
