/* f32-avgpool-wasmsimd.c — average pooling of one plane in SIMD128, four
   output columns at a time where the window is inside the input width (there
   the divisor depends on the row only); border columns use the scalar cell.
   Sums in the scalar twin's order, so results are identical. */
#include <wasm_simd128.h>
#include "pool.h"
#include "strided-load-wasmsimd.h"

void cnn_f32_avgpool__wasmsimd(float *out, const float *in, const cnn_geometry *g) {
    int interior_begin, interior_end;
    cnn_window_interior_cols(g, &interior_begin, &interior_end);
    for (int oh = 0; oh < g->out_height; oh++) {
        float *out_row = out + oh * g->out_width;
        int ow = 0;
        for (; ow < interior_begin; ow++) out_row[ow] = cnn_avg_pool_cell(in, g, oh, ow);
        if (ow + 4 <= interior_end) {
            const cnn_avg_window window = cnn_avg_pool_window(g, oh, ow);
            const v128_t vdivisor = wasm_f32x4_splat(window.divisor);
            for (; ow + 4 <= interior_end; ow += 4) {
                const int col0 = ow * g->stride_w - g->pad_left;
                v128_t vsum = wasm_f32x4_splat(0.0f);
                for (int h = window.row_begin; h < window.row_end; h++)
                    for (int kw = 0; kw < g->kernel_w; kw++)
                        vsum = wasm_f32x4_add(
                            vsum, cnn_load_strided_f32x4(in + h * g->in_width + col0 + kw, g->stride_w));
                wasm_v128_store(out_row + ow, wasm_f32x4_div(vsum, vdivisor));
            }
        }
        for (; ow < g->out_width; ow++) out_row[ow] = cnn_avg_pool_cell(in, g, oh, ow);
    }
}
