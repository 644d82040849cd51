/* f32-dwconv-wasmsimd.c — depthwise convolution of one padded plane in SIMD128,
   any kernel, stride and dilation: eight (then four) output columns at a time,
   each tap a broadcast weight times a (strided) load. The padded width holds
   the last group of four whole, so a short last group is computed in full and
   stored in part. Same sum order as the scalar twin (see dwconv.h). */
#include <wasm_simd128.h>
#include "microkernels.h"
#include "strided-load-wasmsimd.h"

void cnn_f32_dwconv__wasmsimd(float *out, const float *padded, const float *weight, float bias, const cnn_geometry *g,
                              int padded_w) {
    const v128_t vbias = wasm_f32x4_splat(bias);
    const long row_step = (long)g->dilation_h * padded_w;
    for (int oh = 0; oh < g->out_height; oh++) {
        const float *padded_row = padded + (long)oh * g->stride_h * padded_w;
        float *out_row = out + (long)oh * g->out_width;
        int ow = 0;
        /* Eight columns in two accumulators, so two chains of adds overlap; then four. */
        for (; ow + 8 <= g->out_width; ow += 8) {
            const float *window = padded_row + (long)ow * g->stride_w;
            v128_t vacc0123 = vbias, vacc4567 = vbias;
            for (int kh = 0; kh < g->kernel_h; kh++)
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    const v128_t vweight = wasm_v128_load32_splat(weight + kh * g->kernel_w + kw);
                    const float *tap = window + kh * row_step + (long)kw * g->dilation_w;
                    vacc0123 =
                        wasm_f32x4_add(vacc0123, wasm_f32x4_mul(vweight, cnn_load_strided_f32x4(tap, g->stride_w)));
                    vacc4567 = wasm_f32x4_add(
                        vacc4567, wasm_f32x4_mul(vweight, cnn_load_strided_f32x4(tap + 4 * g->stride_w, g->stride_w)));
                }
            wasm_v128_store(out_row + ow, vacc0123);
            wasm_v128_store(out_row + ow + 4, vacc4567);
        }
        for (; ow < g->out_width; ow += 4) {
            const float *window = padded_row + (long)ow * g->stride_w;
            v128_t vacc = vbias;
            for (int kh = 0; kh < g->kernel_h; kh++)
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    const v128_t vweight = wasm_v128_load32_splat(weight + kh * g->kernel_w + kw);
                    const float *tap = window + kh * row_step + (long)kw * g->dilation_w;
                    vacc = wasm_f32x4_add(vacc, wasm_f32x4_mul(vweight, cnn_load_strided_f32x4(tap, g->stride_w)));
                }
            cnn_dwconv_store_first_lanes(out_row + ow, vacc, g->out_width - ow);
        }
    }
}
