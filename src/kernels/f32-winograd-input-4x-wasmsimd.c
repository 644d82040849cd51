/* f32-winograd-input-4x-wasmsimd.c — Winograd F(2×2, 3×3) input transform in SIMD128
   (see winograd.h): four horizontally adjacent tiles at once, one per lane. Their
   inputs d[i][j] are every other column of the padded row (a stride-2 load), and their
   16 outputs are adjacent in V, so each position is one v128 store. Same operations
   in the same order as the scalar twin, which takes the tiles left over at the edge. */
#include <wasm_simd128.h>
#include "microkernels.h"
#include "strided-load-wasmsimd.h"

void cnn_f32_winograd_input_4x__wasmsimd(float *v, long stride, const float *padded, int padded_w, int tiles_h,
                                         int tiles_w) {
    for (int th = 0; th < tiles_h; th++) {
        const float *row0 = padded + 2L * th * padded_w;
        float *v_row = v + th * tiles_w;
        int tw = 0;
        for (; tw + 4 <= tiles_w; tw += 4) {
            v128_t vbd[4][4]; /* Bᵀ d, lane = tile */
            for (int j = 0; j < 4; j++) {
                const float *column = row0 + 2 * tw + j;
                const v128_t vd0 = cnn_load_strided_f32x4(column, 2);
                const v128_t vd1 = cnn_load_strided_f32x4(column + padded_w, 2);
                const v128_t vd2 = cnn_load_strided_f32x4(column + 2 * padded_w, 2);
                const v128_t vd3 = cnn_load_strided_f32x4(column + 3 * padded_w, 2);
                vbd[0][j] = wasm_f32x4_sub(vd0, vd2);
                vbd[1][j] = wasm_f32x4_add(vd1, vd2);
                vbd[2][j] = wasm_f32x4_sub(vd2, vd1);
                vbd[3][j] = wasm_f32x4_sub(vd1, vd3);
            }
            for (int i = 0; i < 4; i++) {
                wasm_v128_store(v_row + tw + (i * 4 + 0) * stride, wasm_f32x4_sub(vbd[i][0], vbd[i][2]));
                wasm_v128_store(v_row + tw + (i * 4 + 1) * stride, wasm_f32x4_add(vbd[i][1], vbd[i][2]));
                wasm_v128_store(v_row + tw + (i * 4 + 2) * stride, wasm_f32x4_sub(vbd[i][2], vbd[i][1]));
                wasm_v128_store(v_row + tw + (i * 4 + 3) * stride, wasm_f32x4_sub(vbd[i][1], vbd[i][3]));
            }
        }
        for (; tw < tiles_w; tw++) cnn_winograd_input_tile(v_row + tw, stride, row0 + 2 * tw, padded_w);
    }
}
