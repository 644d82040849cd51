/* f32-gemm-4x8-scalar.c — the scalar twins of the 4×8 GEMM microkernels (see gemm.h). */
#include <stddef.h>
#include "microkernels.h"

/* b_offsets NULL: packed panel; init NULL: sums start from 0. */
static inline __attribute__((always_inline)) void gemm_4x8(int k, const float *a_packed, const float *b,
                                                           const int32_t *b_offsets, const float *init, float *c,
                                                           int ldc, int m, int n, int accumulate) {
    float acc[CNN_GEMM_MR][CNN_GEMM_NR];
    for (int i = 0; i < CNN_GEMM_MR; i++)
        for (int j = 0; j < CNN_GEMM_NR; j++) acc[i][j] = init ? init[i] : 0.0f;
    for (int p = 0; p < k; p++) {
        const float *a = a_packed + p * CNN_GEMM_MR;
        const float *b_row = b_offsets ? b + b_offsets[p] : b + p * CNN_GEMM_NR;
        for (int i = 0; i < CNN_GEMM_MR; i++)
            for (int j = 0; j < CNN_GEMM_NR; j++) acc[i][j] += a[i] * b_row[j];
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.0f) + acc[i][j];
}

void cnn_f32_gemm_4x8__scalar(int k, const float *a_packed, const float *b_packed, float *c, int ldc, int m, int n,
                              int accumulate) {
    gemm_4x8(k, a_packed, b_packed, NULL, NULL, c, ldc, m, n, accumulate);
}

void cnn_f32_igemm_4x8__scalar(int k, const float *a_packed, const float *b, const int32_t *b_offsets,
                               const float *init, float *c, int ldc, int m, int n, int accumulate) {
    gemm_4x8(k, a_packed, b, b_offsets, init, c, ldc, m, n, accumulate);
}
