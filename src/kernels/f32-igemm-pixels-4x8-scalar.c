/* f32-igemm-pixels-4x8-scalar.c — the scalar twin of the pixel-tile microkernel (see gemm.h). */
#include "microkernels.h"

void cnn_f32_igemm_pixels_4x8__scalar(int k, const float *const *pixels, const int32_t *tap_offsets,
                                      const float *b_packed, const float *init, float *out, long out_plane, int m,
                                      int n, int accumulate) {
    float acc[CNN_GEMM_MR][CNN_GEMM_NR];
    for (int i = 0; i < CNN_GEMM_MR; i++)
        for (int j = 0; j < CNN_GEMM_NR; j++) acc[i][j] = init[j];
    for (int p = 0; p < k; p++, b_packed += CNN_GEMM_NR)
        for (int i = 0; i < CNN_GEMM_MR; i++)
            for (int j = 0; j < CNN_GEMM_NR; j++) acc[i][j] += pixels[i][tap_offsets[p]] * b_packed[j];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) out[j * out_plane + i] = (accumulate ? out[j * out_plane + i] : 0.0f) + acc[i][j];
}
