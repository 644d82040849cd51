/* f32-dwconv-3x3s1-wasmsimd.c — depthwise 3×3 stride-1 convolution of one
   padded plane in SIMD128, any dilation: the nine weights broadcast once into
   registers, then eight (then four) output columns at a time, each tap one
   unaligned load. A short last group is computed in full (the padded width
   holds it) and stored in part. Same sum order as the scalar twin (dwconv.h). */
#include <wasm_simd128.h>
#include "dwconv.h"

void cnn_f32_dwconv_3x3s1__wasmsimd(float *out, const float *padded, const float *weight, float bias,
                                    const cnn_geometry *g, int padded_w) {
    const v128_t vw00 = wasm_f32x4_splat(weight[0]), vw01 = wasm_f32x4_splat(weight[1]), vw02 = wasm_f32x4_splat(weight[2]);
    const v128_t vw10 = wasm_f32x4_splat(weight[3]), vw11 = wasm_f32x4_splat(weight[4]), vw12 = wasm_f32x4_splat(weight[5]);
    const v128_t vw20 = wasm_f32x4_splat(weight[6]), vw21 = wasm_f32x4_splat(weight[7]), vw22 = wasm_f32x4_splat(weight[8]);
    const v128_t vbias = wasm_f32x4_splat(bias);
    const int d = g->dilation_w, out_width = g->out_width;
    const long row_step = (long)g->dilation_h * padded_w;
    for (int oh = 0; oh < g->out_height; oh++) {
        const float *in0 = padded + (long)oh * padded_w, *in1 = in0 + row_step, *in2 = in1 + row_step;
        float *out_row = out + (long)oh * out_width;
        int ow = 0;
        for (; ow + 8 <= out_width; ow += 8) {
            v128_t vacc0123 = vbias, vacc4567 = vbias;
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw00, wasm_v128_load(in0 + ow)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw00, wasm_v128_load(in0 + ow + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw01, wasm_v128_load(in0 + ow + d)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw01, wasm_v128_load(in0 + ow + d + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw02, wasm_v128_load(in0 + ow + 2 * d)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw02, wasm_v128_load(in0 + ow + 2 * d + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw10, wasm_v128_load(in1 + ow)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw10, wasm_v128_load(in1 + ow + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw11, wasm_v128_load(in1 + ow + d)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw11, wasm_v128_load(in1 + ow + d + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw12, wasm_v128_load(in1 + ow + 2 * d)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw12, wasm_v128_load(in1 + ow + 2 * d + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw20, wasm_v128_load(in2 + ow)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw20, wasm_v128_load(in2 + ow + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw21, wasm_v128_load(in2 + ow + d)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw21, wasm_v128_load(in2 + ow + d + 4)));
            vacc0123 = wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vw22, wasm_v128_load(in2 + ow + 2 * d)));
            vacc4567 = wasm_f32x4_add(vacc4567, wasm_f32x4_mul(vw22, wasm_v128_load(in2 + ow + 2 * d + 4)));
            wasm_v128_store(out_row + ow, vacc0123);
            wasm_v128_store(out_row + ow + 4, vacc4567);
        }
        for (; ow < out_width; ow += 4) {
            v128_t vacc = vbias;
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw00, wasm_v128_load(in0 + ow)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw01, wasm_v128_load(in0 + ow + d)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw02, wasm_v128_load(in0 + ow + 2 * d)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw10, wasm_v128_load(in1 + ow)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw11, wasm_v128_load(in1 + ow + d)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw12, wasm_v128_load(in1 + ow + 2 * d)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw20, wasm_v128_load(in2 + ow)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw21, wasm_v128_load(in2 + ow + d)));
            vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vw22, wasm_v128_load(in2 + ow + 2 * d)));
            cnn_dwconv_store_first_lanes(out_row + ow, vacc, out_width - ow);
        }
    }
}
