/* f32-igemm-pixels-4x8-wasmsimd.c — the pixel-tile microkernel in SIMD128 (see gemm.h).
   Row i of the register tile is pixel i: vacc{i}x0123 its channels 0–3, vacc{i}x4567 its
   channels 4–7. Each step broadcasts one image value per pixel against a packed row of
   eight weights; at the end two 4×4 transposes turn pixels into lanes, one vector per
   channel, stored into that channel's plane. */
#include <wasm_simd128.h>
#include "microkernels.h"

/* Columns of four rows: r[0 … 3] become their transposes. */
static inline void transpose_4x4(v128_t r[4]) {
    const v128_t v01_low = wasm_i32x4_shuffle(r[0], r[1], 0, 4, 1, 5),
                 v23_low = wasm_i32x4_shuffle(r[2], r[3], 0, 4, 1, 5);
    const v128_t v01_high = wasm_i32x4_shuffle(r[0], r[1], 2, 6, 3, 7),
                 v23_high = wasm_i32x4_shuffle(r[2], r[3], 2, 6, 3, 7);
    r[0] = wasm_i32x4_shuffle(v01_low, v23_low, 0, 1, 4, 5);
    r[1] = wasm_i32x4_shuffle(v01_low, v23_low, 2, 3, 6, 7);
    r[2] = wasm_i32x4_shuffle(v01_high, v23_high, 0, 1, 4, 5);
    r[3] = wasm_i32x4_shuffle(v01_high, v23_high, 2, 3, 6, 7);
}

void cnn_f32_igemm_pixels_4x8__wasmsimd(int k, const float *const *pixels, const int32_t *tap_offsets,
                                        const float *b_packed, const float *init, float *out, long out_plane, int m,
                                        int n, int accumulate) {
    const float *a0 = pixels[0], *a1 = pixels[1], *a2 = pixels[2], *a3 = pixels[3];
    v128_t vacc0x0123 = wasm_v128_load(init), vacc0x4567 = wasm_v128_load(init + 4);
    v128_t vacc1x0123 = vacc0x0123, vacc1x4567 = vacc0x4567;
    v128_t vacc2x0123 = vacc0x0123, vacc2x4567 = vacc0x4567;
    v128_t vacc3x0123 = vacc0x0123, vacc3x4567 = vacc0x4567;
    for (int p = 0; p < k; p++, b_packed += CNN_GEMM_NR) {
        const int32_t offset = tap_offsets[p];
        const v128_t vb0123 = wasm_v128_load(b_packed), vb4567 = wasm_v128_load(b_packed + 4);
        const v128_t va0 = wasm_v128_load32_splat(a0 + offset), va1 = wasm_v128_load32_splat(a1 + offset);
        const v128_t va2 = wasm_v128_load32_splat(a2 + offset), va3 = wasm_v128_load32_splat(a3 + offset);
        vacc0x0123 = wasm_f32x4_add(vacc0x0123, wasm_f32x4_mul(va0, vb0123));
        vacc0x4567 = wasm_f32x4_add(vacc0x4567, wasm_f32x4_mul(va0, vb4567));
        vacc1x0123 = wasm_f32x4_add(vacc1x0123, wasm_f32x4_mul(va1, vb0123));
        vacc1x4567 = wasm_f32x4_add(vacc1x4567, wasm_f32x4_mul(va1, vb4567));
        vacc2x0123 = wasm_f32x4_add(vacc2x0123, wasm_f32x4_mul(va2, vb0123));
        vacc2x4567 = wasm_f32x4_add(vacc2x4567, wasm_f32x4_mul(va2, vb4567));
        vacc3x0123 = wasm_f32x4_add(vacc3x0123, wasm_f32x4_mul(va3, vb0123));
        vacc3x4567 = wasm_f32x4_add(vacc3x4567, wasm_f32x4_mul(va3, vb4567));
    }
    v128_t channels[CNN_GEMM_NR] = {vacc0x0123, vacc1x0123, vacc2x0123, vacc3x0123,
                                    vacc0x4567, vacc1x4567, vacc2x4567, vacc3x4567};
    transpose_4x4(channels);
    transpose_4x4(channels + 4);
    for (int j = 0; j < n; j++) {
        float *plane = out + j * out_plane;
        if (m == CNN_GEMM_MR) {
            wasm_v128_store(plane, accumulate ? wasm_f32x4_add(wasm_v128_load(plane), channels[j]) : channels[j]);
            continue;
        }
        float lanes[CNN_GEMM_MR];
        wasm_v128_store(lanes, channels[j]);
        for (int i = 0; i < m; i++) plane[i] = (accumulate ? plane[i] : 0.0f) + lanes[i];
    }
}
