/* f32-dwconv-3x3s2-wasmsimd.c — depthwise 3×3 stride-2 undilated convolution
   of one padded plane in SIMD128 (the MobileNet downsampling layers): the nine
   weights broadcast once into registers, four output columns at a time. Four
   outputs read input columns 0…8 of a row: two loads split into the even
   columns (tap 0) and the odd ones (tap 1), and the evens shifted by one with
   column 8 give tap 2; column 8 alone is loaded, as the padded width ends
   there for the last group. Same sum order as the scalar twin (dwconv.h). */
#include <wasm_simd128.h>
#include "microkernels.h"

/* vacc + w0·row[0, 2, 4, 6] + w1·row[1, 3, 5, 7] + w2·row[2, 4, 6, 8], in that order. */
static inline v128_t accumulate_row(v128_t vacc, const float *row, v128_t vw0, v128_t vw1, v128_t vw2) {
    const v128_t vx0123 = wasm_v128_load(row), vx4567 = wasm_v128_load(row + 4), vx8 = wasm_v128_load32_zero(row + 8);
    const v128_t vx_even = wasm_i32x4_shuffle(vx0123, vx4567, 0, 2, 4, 6);
    const v128_t vx_odd = wasm_i32x4_shuffle(vx0123, vx4567, 1, 3, 5, 7);
    const v128_t vx_even_next = wasm_i32x4_shuffle(vx_even, vx8, 1, 2, 3, 4);
    vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw0, vx_even));
    vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw1, vx_odd));
    return wasm_f32x4_add(vacc, wasm_f32x4_mul(vw2, vx_even_next));
}

void cnn_f32_dwconv_3x3s2__wasmsimd(float *out, const float *padded, const float *weight, float bias,
                                    const cnn_geometry *g, int padded_w) {
    const v128_t vw00 = wasm_f32x4_splat(weight[0]), vw01 = wasm_f32x4_splat(weight[1]),
                 vw02 = wasm_f32x4_splat(weight[2]);
    const v128_t vw10 = wasm_f32x4_splat(weight[3]), vw11 = wasm_f32x4_splat(weight[4]),
                 vw12 = wasm_f32x4_splat(weight[5]);
    const v128_t vw20 = wasm_f32x4_splat(weight[6]), vw21 = wasm_f32x4_splat(weight[7]),
                 vw22 = wasm_f32x4_splat(weight[8]);
    const v128_t vbias = wasm_f32x4_splat(bias);
    const int out_width = g->out_width;
    for (int oh = 0; oh < g->out_height; oh++) {
        const float *in0 = padded + (long)oh * 2 * padded_w, *in1 = in0 + padded_w, *in2 = in1 + padded_w;
        float *out_row = out + (long)oh * out_width;
        for (int ow = 0; ow < out_width; ow += 4) {
            v128_t vacc = accumulate_row(vbias, in0 + 2 * ow, vw00, vw01, vw02);
            vacc = accumulate_row(vacc, in1 + 2 * ow, vw10, vw11, vw12);
            vacc = accumulate_row(vacc, in2 + 2 * ow, vw20, vw21, vw22);
            cnn_dwconv_store_first_lanes(out_row + ow, vacc, out_width - ow);
        }
    }
}
