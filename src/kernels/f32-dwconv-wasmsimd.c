/* f32-dwconv-wasmsimd.c — depthwise convolution of one plane in SIMD128: eight
   (then four) output columns at a time where the window row lies inside the input, each
   tap a broadcast weight times a (strided) load; border columns use the
   scalar cell. Same tap order as the scalar twin. */
#include <wasm_simd128.h>
#include "dwconv.h"
#include "strided-load-wasmsimd.h"

void cnn_f32_dwconv__wasmsimd(float *out, const float *in, const float *weight, float bias,
                              const cnn_geometry *g) {
    int interior_begin, interior_end;
    cnn_window_interior_cols(g, &interior_begin, &interior_end);
    const v128_t vbias = wasm_f32x4_splat(bias);
    for (int oh = 0; oh < g->out_height; oh++) {
        const int row0 = oh * g->stride_h - g->pad_top;
        float *out_row = out + oh * g->out_width;
        int ow = 0;
        for (; ow < interior_begin; ow++) out_row[ow] = cnn_dwconv_cell(in, weight, bias, g, oh, ow);
        /* Eight columns in two accumulators, so two chains of adds overlap; then four. */
        for (; ow + 8 <= interior_end; ow += 8) {
            const float *in_col0 = in + ow * g->stride_w - g->pad_left;
            v128_t vsum0123 = wasm_f32x4_splat(0.0f), vsum4567 = vsum0123;
            for (int kh = 0; kh < g->kernel_h; kh++) {
                const int h = row0 + kh * g->dilation_h;
                if (h < 0 || h >= g->in_height) continue;
                const float *in_row = in_col0 + h * g->in_width;
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    const v128_t vweight = wasm_v128_load32_splat(weight + kh * g->kernel_w + kw);
                    const float *tap = in_row + kw * g->dilation_w;
                    vsum0123 = wasm_f32x4_add(vsum0123, wasm_f32x4_mul(vweight, cnn_load_strided_f32x4(tap, g->stride_w)));
                    vsum4567 = wasm_f32x4_add(vsum4567, wasm_f32x4_mul(vweight, cnn_load_strided_f32x4(tap + 4 * g->stride_w, g->stride_w)));
                }
            }
            wasm_v128_store(out_row + ow, wasm_f32x4_add(vsum0123, vbias));
            wasm_v128_store(out_row + ow + 4, wasm_f32x4_add(vsum4567, vbias));
        }
        for (; ow + 4 <= interior_end; ow += 4) {
            const float *in_col0 = in + ow * g->stride_w - g->pad_left;
            v128_t vsum = wasm_f32x4_splat(0.0f);
            for (int kh = 0; kh < g->kernel_h; kh++) {
                const int h = row0 + kh * g->dilation_h;
                if (h < 0 || h >= g->in_height) continue;
                const float *in_row = in_col0 + h * g->in_width;
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    const v128_t vweight = wasm_f32x4_splat(weight[kh * g->kernel_w + kw]);
                    const v128_t vinput = cnn_load_strided_f32x4(in_row + kw * g->dilation_w, g->stride_w);
                    vsum = wasm_f32x4_add(vsum, wasm_f32x4_mul(vweight, vinput));
                }
            }
            wasm_v128_store(out_row + ow, wasm_f32x4_add(vsum, vbias));
        }
        for (; ow < g->out_width; ow++) out_row[ow] = cnn_dwconv_cell(in, weight, bias, g, oh, ow);
    }
}
