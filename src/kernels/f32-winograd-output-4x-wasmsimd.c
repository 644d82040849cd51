/* f32-winograd-output-4x-wasmsimd.c — Winograd F(2×2, 3×3) output transform in SIMD128
   (see winograd.h): four horizontally adjacent tiles at once, one per lane, read with one
   v128 load per position. Each output row of the four tiles is eight adjacent pixels:
   the even columns (first column of each tile) and odd columns are interleaved into two
   stores. Same operations in the same order as the scalar twin, which takes the tiles
   that touch the bottom or right edge. */
#include <wasm_simd128.h>
#include "microkernels.h"

void cnn_f32_winograd_output_4x__wasmsimd(float *plane, const float *m, long stride, int tiles_h, int tiles_w,
                                          int out_h, int out_w, float bias) {
    const v128_t vbias = wasm_f32x4_splat(bias);
    for (int th = 0; th < tiles_h; th++) {
        const float *m_row = m + th * tiles_w;
        int tw = 0;
        if (2 * th + 1 < out_h)
            for (; tw + 4 <= tiles_w && 2 * (tw + 4) <= out_w; tw += 4) {
                v128_t vam[2][4]; /* Aᵀ m, lane = tile */
                for (int j = 0; j < 4; j++) {
                    const v128_t vm0 = wasm_v128_load(m_row + tw + j * stride);
                    const v128_t vm1 = wasm_v128_load(m_row + tw + (4 + j) * stride);
                    const v128_t vm2 = wasm_v128_load(m_row + tw + (8 + j) * stride);
                    const v128_t vm3 = wasm_v128_load(m_row + tw + (12 + j) * stride);
                    vam[0][j] = wasm_f32x4_add(wasm_f32x4_add(vm0, vm1), vm2);
                    vam[1][j] = wasm_f32x4_sub(wasm_f32x4_sub(vm1, vm2), vm3);
                }
                for (int i = 0; i < 2; i++) {
                    const v128_t veven =
                        wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(vam[i][0], vam[i][1]), vam[i][2]), vbias);
                    const v128_t vodd =
                        wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_sub(vam[i][1], vam[i][2]), vam[i][3]), vbias);
                    float *row = plane + (long)(2 * th + i) * out_w + 2 * tw;
                    wasm_v128_store(row, wasm_i32x4_shuffle(veven, vodd, 0, 4, 1, 5));
                    wasm_v128_store(row + 4, wasm_i32x4_shuffle(veven, vodd, 2, 6, 3, 7));
                }
            }
        for (; tw < tiles_w; tw++) cnn_winograd_output_tile(plane, out_h, out_w, th, tw, m_row + tw, stride, bias);
    }
}
