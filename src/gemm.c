/* gemm.c — packed GEMM driver: C[m×n] (+)= A[m×k] · B[k×n] (see internal.h).

   Loops, outer to inner (Goto / BLIS): columns of C in blocks of GEMM_NC,
   depth in blocks of GEMM_KC (B block packed once, reused by every row block),
   rows in blocks of GEMM_MC (A block packed), then MR × NR register tiles,
   each computed by the microkernel from the packed panels. Packing takes the
   strides, so any transpose of A or B costs nothing extra. */
#include <stdlib.h>
#include "internal.h"
#include "kernels/microkernels.h"

enum { GEMM_MC = 64, GEMM_KC = 256, GEMM_NC = 2048 };

/* a_packed: row panels of MR rows; panel r holds, for each p, A(r·MR + i, p) for i < MR (0 past m). */
static void pack_a(float *a_packed, const float *a, int a_row, int a_col, int m, int k) {
    for (int r = 0; r < m; r += CNN_GEMM_MR)
        for (int p = 0; p < k; p++)
            for (int i = 0; i < CNN_GEMM_MR; i++)
                *a_packed++ = r + i < m ? a[(long)(r + i) * a_row + (long)p * a_col] : 0.0f;
}

/* b_packed: column panels of NR columns; panel c holds, for each p, B(p, c·NR + j) for j < NR (0 past n). */
static void pack_b(float *b_packed, const float *b, int b_row, int b_col, int k, int n) {
    for (int c = 0; c < n; c += CNN_GEMM_NR)
        for (int p = 0; p < k; p++) {
            const float *b_row_p = b + (long)p * b_row;
            if (c + CNN_GEMM_NR <= n && b_col == 1) {
                for (int j = 0; j < CNN_GEMM_NR; j++) *b_packed++ = b_row_p[c + j];
            } else {
                for (int j = 0; j < CNN_GEMM_NR; j++) *b_packed++ = c + j < n ? b_row_p[(long)(c + j) * b_col] : 0.0f;
            }
        }
}

static int round_up(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

/* Packed panels of one block: B's kc × nc first, then A's kc × mc (rounded up to whole panels). */
static long long packed_b_floats(int n, int k) {
    const int nc_max = n < GEMM_NC ? n : GEMM_NC, kc_max = k < GEMM_KC ? k : GEMM_KC;
    return (long long)kc_max * round_up(nc_max, CNN_GEMM_NR);
}

long long cnn_gemm_packing_floats(int m, int n, int k) {
    if (m <= 0 || n <= 0 || k <= 0) return 0;
    const int mc_max = m < GEMM_MC ? m : GEMM_MC, kc_max = k < GEMM_KC ? k : GEMM_KC;
    return packed_b_floats(n, k) + (long long)kc_max * round_up(mc_max, CNN_GEMM_MR);
}

void cnn_gemm_packed(float *c, int ldc, const float *a, int a_row, int a_col, const float *b, int b_row, int b_col,
                     int m, int n, int k, int accumulate, float *packing) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (!accumulate)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) c[(long)i * ldc + j] = 0.0f;
        return;
    }
    float *b_packed = packing, *a_packed = packing + packed_b_floats(n, k);
    for (int jc = 0; jc < n; jc += GEMM_NC) {
        const int nc = n - jc < GEMM_NC ? n - jc : GEMM_NC;
        for (int pc = 0; pc < k; pc += GEMM_KC) {
            const int kc = k - pc < GEMM_KC ? k - pc : GEMM_KC;
            const int accumulate_block = accumulate || pc > 0;
            pack_b(b_packed, b + (long)pc * b_row + (long)jc * b_col, b_row, b_col, kc, nc);
            for (int ic = 0; ic < m; ic += GEMM_MC) {
                const int mc = m - ic < GEMM_MC ? m - ic : GEMM_MC;
                pack_a(a_packed, a + (long)ic * a_row + (long)pc * a_col, a_row, a_col, mc, kc);
                for (int jr = 0; jr < nc; jr += CNN_GEMM_NR)
                    for (int ir = 0; ir < mc; ir += CNN_GEMM_MR)
                        cnn_gemm_microkernel(kc, a_packed + (long)ir * kc, b_packed + (long)jr * kc,
                                             c + (long)(ic + ir) * ldc + jc + jr, ldc,
                                             mc - ir < CNN_GEMM_MR ? mc - ir : CNN_GEMM_MR,
                                             nc - jr < CNN_GEMM_NR ? nc - jr : CNN_GEMM_NR, accumulate_block);
            }
        }
    }
}

cnn_status cnn_gemm(const char *op, float *c, int ldc, const float *a, int a_row, int a_col, const float *b, int b_row,
                    int b_col, int m, int n, int k, int accumulate) {
    const long long floats = cnn_gemm_packing_floats(m, n, k);
    float *packing = floats ? cnn_alloc_floats(op, floats) : NULL;
    if (floats && !packing) return CNN_OUT_OF_MEMORY;
    cnn_gemm_packed(c, ldc, a, a_row, a_col, b, b_row, b_col, m, n, k, accumulate, packing);
    free(packing);
    return CNN_OK;
}
