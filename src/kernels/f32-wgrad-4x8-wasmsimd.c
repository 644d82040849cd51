/* f32-wgrad-4x8-wasmsimd.c — 4×8 weight-gradient microkernel in SIMD128 (see wgrad.h).
   Eight f32x4 accumulators as in the GEMM microkernel: each pixel broadcasts one
   image value per tap row and multiplies the pixel's eight packed grad_out values. */
#include <wasm_simd128.h>
#include "microkernels.h"

void cnn_f32_wgrad_4x8__wasmsimd(int out_rows, int out_cols, const float *a, const int32_t *tap_offsets, int row_step,
                                 const float *b_packed, float *c, int ldc, int m) {
    v128_t vacc0x0123 = wasm_f32x4_splat(0.0f), vacc0x4567 = vacc0x0123;
    v128_t vacc1x0123 = vacc0x0123, vacc1x4567 = vacc0x0123;
    v128_t vacc2x0123 = vacc0x0123, vacc2x4567 = vacc0x0123;
    v128_t vacc3x0123 = vacc0x0123, vacc3x4567 = vacc0x0123;
    for (int oh = 0; oh < out_rows; oh++) {
        const float *a0 = a + (long)oh * row_step + tap_offsets[0], *a1 = a + (long)oh * row_step + tap_offsets[1];
        const float *a2 = a + (long)oh * row_step + tap_offsets[2], *a3 = a + (long)oh * row_step + tap_offsets[3];
        for (int ow = 0; ow < out_cols; ow++) {
            const v128_t vb0123 = wasm_v128_load(b_packed), vb4567 = wasm_v128_load(b_packed + 4);
            const v128_t va0 = wasm_v128_load32_splat(a0 + ow), va1 = wasm_v128_load32_splat(a1 + ow);
            const v128_t va2 = wasm_v128_load32_splat(a2 + ow), va3 = wasm_v128_load32_splat(a3 + ow);
            vacc0x0123 = wasm_f32x4_add(vacc0x0123, wasm_f32x4_mul(va0, vb0123));
            vacc0x4567 = wasm_f32x4_add(vacc0x4567, wasm_f32x4_mul(va0, vb4567));
            vacc1x0123 = wasm_f32x4_add(vacc1x0123, wasm_f32x4_mul(va1, vb0123));
            vacc1x4567 = wasm_f32x4_add(vacc1x4567, wasm_f32x4_mul(va1, vb4567));
            vacc2x0123 = wasm_f32x4_add(vacc2x0123, wasm_f32x4_mul(va2, vb0123));
            vacc2x4567 = wasm_f32x4_add(vacc2x4567, wasm_f32x4_mul(va2, vb4567));
            vacc3x0123 = wasm_f32x4_add(vacc3x0123, wasm_f32x4_mul(va3, vb0123));
            vacc3x4567 = wasm_f32x4_add(vacc3x4567, wasm_f32x4_mul(va3, vb4567));
            b_packed += CNN_GEMM_NR;
        }
    }
    const v128_t rows[CNN_GEMM_MR][2] = {
        {vacc0x0123, vacc0x4567}, {vacc1x0123, vacc1x4567}, {vacc2x0123, vacc2x4567}, {vacc3x0123, vacc3x4567}};
    for (int i = 0; i < m; i++) {
        float *row = c + i * ldc;
        wasm_v128_store(row, wasm_f32x4_add(wasm_v128_load(row), rows[i][0]));
        wasm_v128_store(row + 4, wasm_f32x4_add(wasm_v128_load(row + 4), rows[i][1]));
    }
}
