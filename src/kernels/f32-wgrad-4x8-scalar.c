/* f32-wgrad-4x8-scalar.c — the scalar twin of the 4×8 weight-gradient microkernel (see wgrad.h). */
#include "microkernels.h"

void cnn_f32_wgrad_4x8__scalar(int out_rows, int out_cols, const float *a, const int32_t *tap_offsets, int row_step,
                               const float *b_packed, float *c, int ldc, int m) {
    float acc[CNN_GEMM_MR][CNN_GEMM_NR] = {{0}};
    for (int oh = 0; oh < out_rows; oh++) {
        const float *a_row = a + (long)oh * row_step;
        for (int ow = 0; ow < out_cols; ow++, b_packed += CNN_GEMM_NR)
            for (int i = 0; i < CNN_GEMM_MR; i++)
                for (int j = 0; j < CNN_GEMM_NR; j++) acc[i][j] += a_row[tap_offsets[i] + ow] * b_packed[j];
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < CNN_GEMM_NR; j++) c[i * ldc + j] += acc[i][j];
}
