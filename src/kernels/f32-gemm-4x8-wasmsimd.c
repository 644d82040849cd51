/* f32-gemm-4x8-wasmsimd.c — the 4×8 GEMM microkernels in WebAssembly SIMD128 (see gemm.h).
   Eight f32x4 accumulators: row i keeps columns 0–3 in vacc{i}x0123 and 4–7 in
   vacc{i}x4567. Each step broadcasts one packed A value per row (there is no
   FMA in SIMD128: a multiply then an add). */
#include <wasm_simd128.h>
#include <stddef.h>
#include "microkernels.h"

/* b_offsets NULL: packed panel; init NULL: sums start from 0. Inlined into both entry
   points, so the tests fold away. */
static inline __attribute__((always_inline)) void gemm_4x8(int k, const float *a_packed, const float *b,
                                                           const int32_t *b_offsets, const float *init, float *c,
                                                           int ldc, int m, int n, int accumulate) {
    v128_t vacc0x0123 = init ? wasm_v128_load32_splat(init) : wasm_f32x4_splat(0.0f), vacc0x4567 = vacc0x0123;
    v128_t vacc1x0123 = init ? wasm_v128_load32_splat(init + 1) : vacc0x0123, vacc1x4567 = vacc1x0123;
    v128_t vacc2x0123 = init ? wasm_v128_load32_splat(init + 2) : vacc0x0123, vacc2x4567 = vacc2x0123;
    v128_t vacc3x0123 = init ? wasm_v128_load32_splat(init + 3) : vacc0x0123, vacc3x4567 = vacc3x0123;
    for (int p = 0; p < k; p++) {
        const float *b_row = b_offsets ? b + b_offsets[p] : b + p * CNN_GEMM_NR;
        const v128_t vb0123 = wasm_v128_load(b_row), vb4567 = wasm_v128_load(b_row + 4);
        const v128_t va0 = wasm_v128_load32_splat(a_packed);
        const v128_t va1 = wasm_v128_load32_splat(a_packed + 1);
        const v128_t va2 = wasm_v128_load32_splat(a_packed + 2);
        const v128_t va3 = wasm_v128_load32_splat(a_packed + 3);
        vacc0x0123 = wasm_f32x4_add(vacc0x0123, wasm_f32x4_mul(va0, vb0123));
        vacc0x4567 = wasm_f32x4_add(vacc0x4567, wasm_f32x4_mul(va0, vb4567));
        vacc1x0123 = wasm_f32x4_add(vacc1x0123, wasm_f32x4_mul(va1, vb0123));
        vacc1x4567 = wasm_f32x4_add(vacc1x4567, wasm_f32x4_mul(va1, vb4567));
        vacc2x0123 = wasm_f32x4_add(vacc2x0123, wasm_f32x4_mul(va2, vb0123));
        vacc2x4567 = wasm_f32x4_add(vacc2x4567, wasm_f32x4_mul(va2, vb4567));
        vacc3x0123 = wasm_f32x4_add(vacc3x0123, wasm_f32x4_mul(va3, vb0123));
        vacc3x4567 = wasm_f32x4_add(vacc3x4567, wasm_f32x4_mul(va3, vb4567));
        a_packed += CNN_GEMM_MR;
    }
    const v128_t rows[CNN_GEMM_MR][2] = {
        {vacc0x0123, vacc0x4567}, {vacc1x0123, vacc1x4567}, {vacc2x0123, vacc2x4567}, {vacc3x0123, vacc3x4567}};
    if (n == CNN_GEMM_NR) {
        for (int i = 0; i < m; i++) {
            float *row = c + i * ldc;
            v128_t lo = rows[i][0], hi = rows[i][1];
            if (accumulate) {
                lo = wasm_f32x4_add(lo, wasm_v128_load(row));
                hi = wasm_f32x4_add(hi, wasm_v128_load(row + 4));
            }
            wasm_v128_store(row, lo);
            wasm_v128_store(row + 4, hi);
        }
        return;
    }
    /* Column tail: spill the tile and copy the valid part. */
    float tile[CNN_GEMM_NR];
    for (int i = 0; i < m; i++) {
        wasm_v128_store(tile, rows[i][0]);
        wasm_v128_store(tile + 4, rows[i][1]);
        float *row = c + i * ldc;
        for (int j = 0; j < n; j++) row[j] = (accumulate ? row[j] : 0.0f) + tile[j];
    }
}

void cnn_f32_gemm_4x8__wasmsimd(int k, const float *a_packed, const float *b_packed, float *c, int ldc, int m, int n,
                                int accumulate) {
    gemm_4x8(k, a_packed, b_packed, NULL, NULL, c, ldc, m, n, accumulate);
}

void cnn_f32_igemm_4x8__wasmsimd(int k, const float *a_packed, const float *b, const int32_t *b_offsets,
                                 const float *init, float *c, int ldc, int m, int n, int accumulate) {
    gemm_4x8(k, a_packed, b, b_offsets, init, c, ldc, m, n, accumulate);
}
