/* f32-gemm-4x8-scalar.c — the scalar twin of the 4×8 GEMM microkernel (see gemm.h). */
#include "gemm.h"

void cnn_f32_gemm_4x8__scalar(int k, const float *a_packed, const float *b_packed, float *c,
                              int ldc, int m, int n, int accumulate) {
    float acc[CNN_GEMM_MR][CNN_GEMM_NR] = {{0}};
    for (int p = 0; p < k; p++) {
        const float *a = a_packed + p * CNN_GEMM_MR, *b = b_packed + p * CNN_GEMM_NR;
        for (int i = 0; i < CNN_GEMM_MR; i++)
            for (int j = 0; j < CNN_GEMM_NR; j++) acc[i][j] += a[i] * b[j];
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.0f) + acc[i][j];
}
