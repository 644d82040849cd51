/* f32-maxpool-wasmsimd.c — max pooling of one plane in SIMD128, four output
   columns at a time where the whole window row is inside the input; border
   columns use the scalar cell. Same tap order and NaN rule as the scalar twin,
   so results and argmax are identical. */
#include <wasm_simd128.h>
#include "pool.h"
#include "strided-load-wasmsimd.h"

void cnn_f32_maxpool__wasmsimd(float *out, int32_t *argmax, const float *in, const cnn_geometry *g) {
    int interior_begin, interior_end;
    cnn_window_interior_cols(g, &interior_begin, &interior_end);
    const v128_t vlane_offsets = wasm_i32x4_make(0, g->stride_w, 2 * g->stride_w, 3 * g->stride_w);
    for (int oh = 0; oh < g->out_height; oh++) {
        const int row0 = oh * g->stride_h - g->pad_top;
        float *out_row = out + oh * g->out_width;
        int32_t *argmax_row = argmax + oh * g->out_width;
        int ow = 0;
        for (; ow < interior_begin; ow++) cnn_max_pool_cell(out_row + ow, argmax_row + ow, in, g, oh, ow);
        for (; ow + 4 <= interior_end; ow += 4) {
            const int col0 = ow * g->stride_w - g->pad_left;
            v128_t vbest = wasm_f32x4_splat(0.0f), vbest_index = wasm_i32x4_splat(-1);
            int first = 1;
            for (int kh = 0; kh < g->kernel_h; kh++) {
                const int h = row0 + kh * g->dilation_h;
                if (h < 0 || h >= g->in_height) continue;
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    const int index0 = h * g->in_width + col0 + kw * g->dilation_w;
                    const v128_t vvalue = cnn_load_strided_f32x4(in + index0, g->stride_w);
                    const v128_t vindex = wasm_i32x4_add(wasm_i32x4_splat(index0), vlane_offsets);
                    const v128_t vwins = first ? wasm_i32x4_splat(-1)
                                               : wasm_v128_or(wasm_f32x4_gt(vvalue, vbest),
                                                              wasm_f32x4_ne(vvalue, vvalue));
                    vbest = wasm_v128_bitselect(vvalue, vbest, vwins);
                    vbest_index = wasm_v128_bitselect(vindex, vbest_index, vwins);
                    first = 0;
                }
            }
            wasm_v128_store(out_row + ow, vbest);
            wasm_v128_store(argmax_row + ow, vbest_index);
        }
        for (; ow < g->out_width; ow++) cnn_max_pool_cell(out_row + ow, argmax_row + ow, in, g, oh, ow);
    }
}
