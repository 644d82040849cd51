/* f32-winograd-output-scalar.c — Winograd F(2×2, 3×3) output transform, the scalar twin (see winograd.h).
     Aᵀ = | 1  1  1  0 |      Y = Aᵀ m A
          | 0  1 −1 −1 | */
#include "microkernels.h"

void cnn_winograd_output_tile(float *plane, int out_h, int out_w, int th, int tw, const float *m, long stride,
                              float bias) {
    float am[2][4]; /* Aᵀ m */
    for (int j = 0; j < 4; j++) {
        const float m0 = m[j * stride], m1 = m[(4 + j) * stride];
        const float m2 = m[(8 + j) * stride], m3 = m[(12 + j) * stride];
        am[0][j] = m0 + m1 + m2;
        am[1][j] = m1 - m2 - m3;
    }
    for (int i = 0; i < 2 && 2 * th + i < out_h; i++) { /* (Aᵀ m) A */
        float *row = plane + (long)(2 * th + i) * out_w + 2 * tw;
        row[0] = am[i][0] + am[i][1] + am[i][2] + bias;
        if (2 * tw + 1 < out_w) row[1] = am[i][1] - am[i][2] - am[i][3] + bias;
    }
}

void cnn_f32_winograd_output__scalar(float *plane, const float *m, long stride, int tiles_h, int tiles_w, int out_h,
                                     int out_w, float bias) {
    for (int th = 0; th < tiles_h; th++)
        for (int tw = 0; tw < tiles_w; tw++)
            cnn_winograd_output_tile(plane, out_h, out_w, th, tw, m + th * tiles_w + tw, stride, bias);
}
