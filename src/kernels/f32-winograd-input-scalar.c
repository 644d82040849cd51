/* f32-winograd-input-scalar.c — Winograd F(2×2, 3×3) input transform, the scalar twin (see winograd.h).
     Bᵀ = | 1  0 −1  0 |      V = Bᵀ d B
          | 0  1  1  0 |
          | 0 −1  1  0 |
          | 0  1  0 −1 | */
#include "microkernels.h"

void cnn_winograd_input_tile(float *v, long stride, const float *tile, int padded_w) {
    float bd[4][4]; /* Bᵀ d */
    for (int j = 0; j < 4; j++) {
        const float d0 = tile[j], d1 = tile[padded_w + j], d2 = tile[2 * padded_w + j], d3 = tile[3 * padded_w + j];
        bd[0][j] = d0 - d2;
        bd[1][j] = d1 + d2;
        bd[2][j] = d2 - d1;
        bd[3][j] = d1 - d3;
    }
    for (int i = 0; i < 4; i++) { /* (Bᵀ d) B */
        v[(i * 4 + 0) * stride] = bd[i][0] - bd[i][2];
        v[(i * 4 + 1) * stride] = bd[i][1] + bd[i][2];
        v[(i * 4 + 2) * stride] = bd[i][2] - bd[i][1];
        v[(i * 4 + 3) * stride] = bd[i][1] - bd[i][3];
    }
}

void cnn_f32_winograd_input__scalar(float *v, long stride, const float *padded, int padded_w, int tiles_h,
                                    int tiles_w) {
    for (int th = 0; th < tiles_h; th++)
        for (int tw = 0; tw < tiles_w; tw++)
            cnn_winograd_input_tile(v + th * tiles_w + tw, stride, padded + 2L * th * padded_w + 2 * tw, padded_w);
}
