/* f32-maxpool-wasmsimd.c — max pooling of one plane with the argmax in SIMD128: four output
   cells per f32x4 (a block, see pool.h) where the whole window is inside the input; the
   scalar cell elsewhere. Taps in the scalar twin's row-major order under the same rule
   (cnn_max_pool_takes: `value > max || isnan(value)`), the first tap always taken, so
   values and argmax are identical:
     takes = (tap > max) | (tap ≠ tap),  max = takes ? tap : max,  index = takes ? tap's : index.
   The last block of a row ends at the row's end, overlapping the one before, so that a
   width that is no multiple of 4 costs one more block, not up to three scalar cells. */
#include <wasm_simd128.h>
#include "microkernels.h"

#define INLINE __attribute__((always_inline)) static inline

/* One block: window rows [kh_begin, kh_end) from row0, taps at col0 + kw·dilation_w + j·stride.
   kernel_w and stride (= stride_w) are constants in the common copies (the taps of a row
   then share loads). */
INLINE void block(float *out, int32_t *argmax, const float *in, const cnn_geometry *g, int row0, int kh_begin,
                  int kh_end, int col0, int kernel_w, int stride) {
    const int width = g->in_width, dilation_w = g->dilation_w;
    const v128_t vlane_offsets = wasm_i32x4_make(0, stride, 2 * stride, 3 * stride);
    v128_t vmax = wasm_f32x4_splat(0.0f), vindex = vmax;
    for (int kh = kh_begin; kh < kh_end; kh++) {
        const int h = row0 + kh * g->dilation_h;
        const float *row = in + (long)h * width + col0;
        const v128_t vrow_index = wasm_i32x4_add(wasm_i32x4_splat(h * width + col0), vlane_offsets);
        for (int kw = 0; kw < kernel_w; kw++) {
            const int offset = kw * dilation_w;
            const v128_t vtap = cnn_pool_taps_f32x4(row, offset, stride);
            const v128_t vtap_index = wasm_i32x4_add(vrow_index, wasm_i32x4_splat(offset));
            if (kh == kh_begin && kw == 0) {
                vmax = vtap, vindex = vtap_index;
                continue;
            }
            const v128_t vtakes = wasm_v128_or(wasm_f32x4_gt(vtap, vmax), wasm_f32x4_ne(vtap, vtap));
            vmax = wasm_v128_bitselect(vtap, vmax, vtakes);
            vindex = wasm_v128_bitselect(vtap_index, vindex, vtakes);
        }
    }
    wasm_v128_store(out, vmax);
    wasm_v128_store(argmax, vindex);
}

/* The same for a 2×2 window at stride 2, rows row (input row h) and row + W: each row's
   max of its even tap e and odd tap o (o takes over e), then of the two rows; the index
   from the masks that chose: h·W + col0 + 2j, + 1 if o won in the winning row, + W if
   the second row won. */
INLINE void block_2x2_stride_2(float *out, int32_t *argmax, const float *row, int width, int row_index) {
    const v128_t va0 = wasm_v128_load(row), vb0 = wasm_v128_load(row + 4);
    const v128_t va1 = wasm_v128_load(row + width), vb1 = wasm_v128_load(row + width + 4);
    const v128_t veven0 = wasm_i32x4_shuffle(va0, vb0, 0, 2, 4, 6), vodd0 = wasm_i32x4_shuffle(va0, vb0, 1, 3, 5, 7);
    const v128_t veven1 = wasm_i32x4_shuffle(va1, vb1, 0, 2, 4, 6), vodd1 = wasm_i32x4_shuffle(va1, vb1, 1, 3, 5, 7);
    const v128_t vodd_takes0 = wasm_v128_or(wasm_f32x4_gt(vodd0, veven0), wasm_f32x4_ne(vodd0, vodd0));
    const v128_t vodd_takes1 = wasm_v128_or(wasm_f32x4_gt(vodd1, veven1), wasm_f32x4_ne(vodd1, vodd1));
    const v128_t vmax0 = wasm_v128_bitselect(vodd0, veven0, vodd_takes0);
    const v128_t vmax1 = wasm_v128_bitselect(vodd1, veven1, vodd_takes1);
    const v128_t vrow1_takes = wasm_v128_or(wasm_f32x4_gt(vmax1, vmax0), wasm_f32x4_ne(vmax1, vmax1));
    wasm_v128_store(out, wasm_v128_bitselect(vmax1, vmax0, vrow1_takes));
    const v128_t vodd_won = wasm_v128_bitselect(vodd_takes1, vodd_takes0, vrow1_takes); /* −1 or 0 */
    const v128_t vindex = wasm_i32x4_add(wasm_i32x4_make(row_index, row_index + 2, row_index + 4, row_index + 6),
                                         wasm_v128_and(vrow1_takes, wasm_i32x4_splat(width)));
    wasm_v128_store(argmax, wasm_i32x4_sub(vindex, vodd_won));
}

INLINE void plane(float *out, int32_t *argmax, const float *in, const cnn_geometry *g, int kernel_w, int stride) {
    const cnn_pool_blocks blocks = cnn_pool_blocks_of(g, kernel_w, stride, g->dilation_w);
    const int out_width = g->out_width;
    for (int oh = 0; oh < g->out_height; oh++) {
        const int row0 = oh * g->stride_h - g->pad_top;
        int kh_begin, kh_end;
        cnn_pool_kernel_rows(g, row0, &kh_begin, &kh_end);
        const int two_rows = kernel_w == 2 && stride == 2 && g->dilation_w == 1 && g->kernel_h == 2 &&
                             g->dilation_h == 1 && kh_begin == 0 && kh_end == 2;
        float *out_row = out + (long)oh * out_width;
        int32_t *argmax_row = argmax + (long)oh * out_width;
        for (int ow = 0; ow < out_width; ow += 4) {
            const int first = ow + 4 > out_width && out_width >= 4 ? out_width - 4 : ow;
            if (first >= blocks.first && first <= blocks.last && two_rows) {
                const int col0 = first * stride - g->pad_left;
                block_2x2_stride_2(out_row + first, argmax_row + first, in + (long)row0 * g->in_width + col0,
                                   g->in_width, row0 * g->in_width + col0);
            } else if (first >= blocks.first && first <= blocks.last && kh_end > kh_begin) {
                block(out_row + first, argmax_row + first, in, g, row0, kh_begin, kh_end, first * stride - g->pad_left,
                      kernel_w, stride);
            } else {
                const int lanes = out_width - first < 4 ? out_width - first : 4;
                for (int j = first; j < first + lanes; j++)
                    cnn_max_pool_cell(out_row + j, argmax_row + j, in, g, oh, j);
            }
        }
    }
}

void cnn_f32_maxpool__wasmsimd(float *out, int32_t *argmax, const float *in, const cnn_geometry *g) {
    if (g->stride_w == 2 && g->dilation_w == 1 && g->kernel_w == 2)
        plane(out, argmax, in, g, 2, 2);
    else if (g->stride_w == 2 && g->dilation_w == 1 && g->kernel_w == 3)
        plane(out, argmax, in, g, 3, 2);
    else
        plane(out, argmax, in, g, g->kernel_w, g->stride_w);
}
