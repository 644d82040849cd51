/* parts.c — the pieces of our convolutions, exported one by one so that
   bench/profile.mjs can time them apart. A bench-only module: src/ is only
   read. It includes src/gemm.c to reach the static packing functions, so the
   loop nest below runs the very code the core runs.

   prof_gemm_parts repeats cnn_gemm's loop nest (same block sizes, from the
   included file) with each part switchable: parts & 1 packs B, & 2 packs A,
   & 4 runs the microkernels. The packed buffers are the caller's, so a part
   left out reuses what the last full call packed (real values, no denormals).
   profile.mjs checks that all parts together take as long as cnn_gemm. */
#include <emscripten/emscripten.h>
#include "../../src/gemm.c"

enum { PACK_B = 1, PACK_A = 2, MICROKERNELS = 4 };

EMSCRIPTEN_KEEPALIVE cnn_status prof_gemm(float *c, int ldc, const float *a, int a_row, int a_col, const float *b,
                                          int b_row, int b_col, int m, int n, int k, int accumulate) {
    return cnn_gemm("profile", c, ldc, a, a_row, a_col, b, b_row, b_col, m, n, k, accumulate);
}

/* Floats each packed buffer needs for one block. */
EMSCRIPTEN_KEEPALIVE int prof_packed_a_floats(int m, int k) {
    const int mc = m < GEMM_MC ? m : GEMM_MC, kc = k < GEMM_KC ? k : GEMM_KC;
    return kc * round_up(mc, CNN_GEMM_MR);
}
EMSCRIPTEN_KEEPALIVE int prof_packed_b_floats(int n, int k) {
    const int nc = n < GEMM_NC ? n : GEMM_NC, kc = k < GEMM_KC ? k : GEMM_KC;
    return kc * round_up(nc, CNN_GEMM_NR);
}

EMSCRIPTEN_KEEPALIVE void prof_gemm_parts(float *c, int ldc, const float *a, int a_row, int a_col, const float *b,
                                          int b_row, int b_col, int m, int n, int k, int accumulate, float *a_packed,
                                          float *b_packed, int parts) {
    for (int jc = 0; jc < n; jc += GEMM_NC) {
        const int nc = n - jc < GEMM_NC ? n - jc : GEMM_NC;
        for (int pc = 0; pc < k; pc += GEMM_KC) {
            const int kc = k - pc < GEMM_KC ? k - pc : GEMM_KC;
            if (parts & PACK_B) pack_b(b_packed, b + (long)pc * b_row + (long)jc * b_col, b_row, b_col, kc, nc);
            for (int ic = 0; ic < m; ic += GEMM_MC) {
                const int mc = m - ic < GEMM_MC ? m - ic : GEMM_MC;
                if (parts & PACK_A) pack_a(a_packed, a + (long)ic * a_row + (long)pc * a_col, a_row, a_col, mc, kc);
                if (parts & MICROKERNELS)
                    for (int jr = 0; jr < nc; jr += CNN_GEMM_NR)
                        for (int ir = 0; ir < mc; ir += CNN_GEMM_MR)
                            cnn_gemm_microkernel(kc, a_packed + (long)ir * kc, b_packed + (long)jr * kc,
                                                 c + (long)(ic + ir) * ldc + jc + jr, ldc,
                                                 mc - ir < CNN_GEMM_MR ? mc - ir : CNN_GEMM_MR,
                                                 nc - jr < CNN_GEMM_NR ? nc - jr : CNN_GEMM_NR, accumulate || pc > 0);
            }
        }
    }
}

EMSCRIPTEN_KEEPALIVE void prof_im2col(float *col, const float *image, const cnn_geometry *g) {
    const cnn_window_view v = cnn_conv_window_view(g, 0);
    cnn_im2col(col, image, &v);
}

EMSCRIPTEN_KEEPALIVE void prof_col2im(float *image, const float *col, const cnn_geometry *g) {
    const cnn_window_view v = cnn_conv_window_view(g, 0);
    cnn_col2im(image, col, &v);
}
