/* f32-maxpool-values-wasmsimd.c — max pooling of one plane without the argmax in SIMD128:
   four output cells per f32x4 (a block, see pool.h).
     max = f32x4.pmax(max, tap) = max < tap ? tap : max
   is the twin's rule (cnn_max_pool_takes) but for NaN: a later tap wins only if larger, so
   equal taps keep the first, −0/+0 included. Taps are taken in the twin's column-major
   order (or any bracketing of it whose earlier operand holds the earlier taps). (f32x4.max
   propagates NaN itself, but V8 lowers it to eight x86 instructions, pmax to one maxps.)

   Two paths:
   - separable, for the usual square windows (2×2 stride 2, 3×3 stride 2, 3×3 stride 1)
     on blocks inside the input: the max down each input column first, contiguous loads,
     then across the window's columns, split into even and odd columns at stride 2. It
     ignores NaN but sums the rows it reads first (a NaN or ±∞ makes the sum non-finite);
     if the sum is not finite, the output row is computed again by the other path.
   - block by block, for every other window, block and row: each tap loaded as four lanes
     (cnn_pool_taps_f32x4), taps outside the input row as −∞; a NaN tap's lanes are ORed
     into the result (all ones is a NaN). */
#include <wasm_simd128.h>
#include "pool.h"

#define INLINE __attribute__((always_inline)) static inline

/* ---- Block by block, with NaN --------------------------------------------- */

/* The block's four maxima over `rows` window rows, the first at row (its col0 column),
   the next row_step floats further. Taps outside the input row are −∞ (never larger, so
   never taken: the twin skips them). */
INLINE v128_t block_max(const float *row, long row_step, int rows, int col0, int width, int kernel_w, int stride,
                        int dilation, cnn_pool_block kind) {
    const v128_t vlowest = wasm_f32x4_splat(-INFINITY);
    v128_t vmax = vlowest, vnan = wasm_i32x4_splat(0);
    for (int kw = 0; kw < kernel_w; kw++) {
        const int offset = kw * dilation;
        const v128_t vinside = kind == CNN_POOL_BLOCK_MASKED ? cnn_pool_lanes_inside(col0 + offset, stride, width)
                                                             : vlowest;
        const float *tap_row = row;
        for (int r = 0; r < rows; r++, tap_row += row_step) {
            v128_t vtap = cnn_pool_taps_f32x4(tap_row, offset, stride);
            if (kind == CNN_POOL_BLOCK_MASKED) vtap = wasm_v128_bitselect(vtap, vlowest, vinside);
            vmax = wasm_f32x4_pmax(vmax, vtap);
            vnan = wasm_v128_or(vnan, wasm_f32x4_ne(vtap, vtap));
        }
    }
    return wasm_v128_or(vmax, vnan);
}

/* One output row: blocks ow = 0, 4, … (the last one ends at the row's end, overlapping
   the one before) whose index is in [block_begin, block_end); the windows cover input
   rows first_row, first_row + dilation_h, … (`rows` of them). */
static void blocks_with_nan(float *out_row, const float *in, const cnn_geometry *g, const cnn_pool_blocks *blocks,
                            int oh, int first_row, int rows, int block_begin, int block_end) {
    const int out_width = g->out_width, width = g->in_width;
    const long row_step = (long)g->dilation_h * width;
    const float *window_rows = in + (long)first_row * width;
    for (int ow = block_begin; ow < block_end; ow += 4) {
        const int block = ow + 4 > out_width && out_width >= 4 ? out_width - 4 : ow;
        const int lanes = out_width - block < 4 ? out_width - block : 4;
        const int col0 = (int)((long long)block * g->stride_w - g->pad_left); /* in range unless CELLS */
        v128_t vmax;
        if (block >= blocks->first && block <= blocks->last)
            vmax = block_max(window_rows + col0, row_step, rows, col0, width, g->kernel_w, g->stride_w,
                             g->dilation_w, CNN_POOL_BLOCK_INSIDE);
        else if (cnn_pool_edge_block(g, blocks, block, first_row, first_row + (rows - 1) * g->dilation_h) ==
                 CNN_POOL_BLOCK_MASKED)
            vmax = block_max(window_rows + col0, row_step, rows, col0, width, g->kernel_w, g->stride_w,
                             g->dilation_w, CNN_POOL_BLOCK_MASKED);
        else {
            for (int j = 0; j < lanes; j++) out_row[block + j] = cnn_max_pool_value_cell(in, g, oh, block + j);
            continue;
        }
        if (lanes == 4) wasm_v128_store(out_row + block, vmax);
        else cnn_pool_store_lanes(out_row + block, vmax, lanes);
    }
}

/* ---- Separable, without NaN ------------------------------------------------ */

/* The max over the window's `kernel` rows of top[0 … 3] (row_step apart); the rows
   from `checked` on are also added to *vsum, in one add (the adds of one accumulator wait
   for each other: each call site of a block has its own). */
INLINE v128_t column_max(const float *top, long row_step, int kernel, int checked, v128_t *vsum) {
    v128_t vmax = wasm_v128_load(top), vchecked = vmax;
    for (int r = 1; r < kernel; r++) {
        const v128_t vrow = wasm_v128_load(top + r * row_step);
        vmax = wasm_f32x4_pmax(vmax, vrow);
        if (r == checked) vchecked = vrow;
        else if (r > checked) vchecked = wasm_f32x4_add(vchecked, vrow);
    }
    *vsum = wasm_f32x4_add(*vsum, vchecked);
    return vmax;
}

/* One block of the separable path, from the column maxima *vleft of its columns
   column[0 … 3] (kernel rows, row_step apart): the next four column
   maxima vright (the last block of stride 1 takes column[2 … 5] instead, so as not to
   read past its taps), and for 3×3 stride 2 vnext, the next four (the last block:
   column[5 … 8]). *vleft becomes the next block's. kernel, stride, checked and last
   are constants in each copy. */
INLINE v128_t separable_block(const float *column, long row_step, v128_t *vleft, int kernel,
                              int stride, int checked, int last, v128_t *vsum_right, v128_t *vsum_next) {
    if (stride == 1) { /* 3×3: columns j, j + 1, j + 2 */
        const v128_t vright = column_max(column + (last ? 2 : 4), row_step, kernel, checked, vsum_right);
        const v128_t vtap1 = last ? wasm_i32x4_shuffle(*vleft, vright, 1, 2, 3, 6)
                                  : wasm_i32x4_shuffle(*vleft, vright, 1, 2, 3, 4);
        const v128_t vtap2 = last ? vright : wasm_i32x4_shuffle(*vleft, vright, 2, 3, 4, 5);
        const v128_t vout = wasm_f32x4_pmax(wasm_f32x4_pmax(*vleft, vtap1), vtap2);
        *vleft = vright;
        return vout;
    }
    /* stride 2: columns 2j, 2j + 1 (and 2j + 2) */
    const v128_t vright = column_max(column + 4, row_step, kernel, checked, vsum_right);
    const v128_t veven = wasm_i32x4_shuffle(*vleft, vright, 0, 2, 4, 6);
    const v128_t vout = wasm_f32x4_pmax(veven, wasm_i32x4_shuffle(*vleft, vright, 1, 3, 5, 7));
    if (kernel == 2) {
        if (!last) *vleft = column_max(column + 8, row_step, kernel, checked, vsum_next);
        return vout;
    }
    const v128_t vnext = column_max(column + (last ? 5 : 8), row_step, kernel, checked, vsum_next);
    *vleft = vnext;
    return wasm_f32x4_pmax(vout, last ? wasm_i32x4_shuffle(veven, vnext, 1, 2, 3, 7)
                                      : wasm_i32x4_shuffle(veven, vnext, 1, 2, 3, 4));
}

/* The blocks ow = ow_begin, ow_begin + 4, … < ow_end of one output row whose window rows
   start at window_rows (column 0), row_step apart: INSIDE, but for a first block that may
   start left of the input (col0 < 0, where the floats before the row are the row above's):
   those lanes of its first column maxima become −∞. Rows from `checked` on (those the
   previous output row did not read) are summed; returns whether the sum is finite. */
INLINE int separable_blocks(float *out_row, const float *window_rows, long row_step, int ow_begin, int ow_end,
                            int pad_left, int kernel, int stride, int checked) {
    v128_t vsum = wasm_f32x4_splat(0.0f), vsum_right = vsum, vsum_next = vsum;
    const int col0 = ow_begin * stride - pad_left;
    int ow = ow_begin;
    v128_t vleft = column_max(window_rows + col0, row_step, kernel, checked, &vsum);
    if (col0 < 0) vleft = wasm_v128_bitselect(vleft, wasm_f32x4_splat(-INFINITY), cnn_pool_lanes_inside(col0, 1, 4));
    const float *column = window_rows + col0;
    for (; ow + 4 < ow_end; ow += 4, column += 4 * stride)
        wasm_v128_store(out_row + ow, separable_block(column, row_step, &vleft, kernel, stride, checked, 0, &vsum_right,
                                                      &vsum_next));
    wasm_v128_store(out_row + ow, separable_block(column, row_step, &vleft, kernel, stride, checked, 1, &vsum_right,
                                                  &vsum_next));
    vsum = wasm_f32x4_add(vsum, wasm_f32x4_add(vsum_right, vsum_next));
    vsum = wasm_f32x4_sub(vsum, vsum); /* 0 where finite, NaN where ±∞ or NaN */
    return wasm_i32x4_all_true(wasm_f32x4_eq(vsum, vsum));
}

/* The square windows the separable path takes: 2×2 stride 2, 3×3 stride 2 or 1, no dilation.
   Returns the kernel size, or 0. */
static int separable_kernel(const cnn_geometry *g) {
    if (g->kernel_h != g->kernel_w || g->stride_h != g->stride_w || g->dilation_h != 1 || g->dilation_w != 1)
        return 0;
    if (g->kernel_w == 2 && g->stride_w == 2) return 2;
    if (g->kernel_w == 3 && (g->stride_w == 2 || g->stride_w == 1)) return 3;
    return 0;
}

static int separable_row(float *out_row, const float *window_rows, const cnn_geometry *g, int ow_begin,
                         int ow_end) {
    const long width = g->in_width;
    if (g->kernel_w == 2) return separable_blocks(out_row, window_rows, width, ow_begin, ow_end, g->pad_left, 2, 2, 0);
    if (g->stride_w == 2) return separable_blocks(out_row, window_rows, width, ow_begin, ow_end, g->pad_left, 3, 2, 1);
    return separable_blocks(out_row, window_rows, width, ow_begin, ow_end, g->pad_left, 3, 1, 2);
}

/* Whether rows [row_begin, row_end) of the plane hold a NaN (x ≠ x). */
static int rows_have_nan(const float *in, int width, int row_begin, int row_end) {
    const float *p = in + (long)row_begin * width, *end = in + (long)row_end * width;
    v128_t vnan = wasm_i32x4_splat(0);
    for (; p + 4 <= end; p += 4) {
        const v128_t v = wasm_v128_load(p);
        vnan = wasm_v128_or(vnan, wasm_f32x4_ne(v, v));
    }
    int found = wasm_v128_any_true(vnan);
    for (; p < end; p++) found |= isnan(*p);
    return found;
}

void cnn_f32_maxpool_values__wasmsimd(float *out, const float *in, const cnn_geometry *g) {
    const cnn_pool_blocks blocks = cnn_pool_blocks_of(g, g->kernel_w, g->stride_w, g->dilation_w);
    const int kernel = separable_kernel(g), out_width = g->out_width;
    /* The separable blocks: multiples of 4 inside the input, then the last block if inside;
       block 0 too if it only starts left of the input (a row above it to read). */
    const int inside_begin = (blocks.first + 3) & ~3;
    const int first_block_left = inside_begin > 0 && g->pad_left <= 3 && blocks.last >= 0 && out_width >= 4;
    int separable_end = inside_begin;
    while (separable_end + 4 <= out_width && separable_end <= blocks.last) separable_end += 4;
    const int tail = out_width % 4 && out_width >= 4 && out_width - 4 <= blocks.last && out_width - 4 >= blocks.first;
    /* The previous output row's window rows hold no NaN in blocks checked_begin, … (a row
       whose windows start the plane cannot take block 0, the rows after it can). */
    int checked_begin = out_width;
    for (int oh = 0; oh < g->out_height; oh++) {
        const int row0 = oh * g->stride_h - g->pad_top;
        int kh_begin, kh_end;
        cnn_pool_kernel_rows(g, row0, &kh_begin, &kh_end);
        const int rows = kh_end - kh_begin, first_row = rows > 0 ? row0 + kh_begin * g->dilation_h : 0;
        float *out_row = out + (long)oh * out_width;
        const float *window_rows = in + (long)first_row * g->in_width;
        const int shared_rows = kernel > g->stride_h ? kernel - g->stride_h : 0;
        const int separable_begin = first_block_left && (long)first_row * g->in_width >= g->pad_left ? 0 : inside_begin;
        int separable = kernel && rows == kernel && separable_end > separable_begin;
        if (separable && checked_begin > separable_begin && shared_rows)
            separable = !rows_have_nan(in, g->in_width, first_row, first_row + shared_rows);
        if (separable) {
            separable = separable_row(out_row, window_rows, g, separable_begin, separable_end);
            if (tail) separable &= separable_row(out_row, window_rows, g, out_width - 4, out_width);
        }
        checked_begin = separable ? separable_begin : out_width;
        if (separable) {
            blocks_with_nan(out_row, in, g, &blocks, oh, first_row, rows, 0, separable_begin);
            if (!tail) blocks_with_nan(out_row, in, g, &blocks, oh, first_row, rows, separable_end, out_width);
        } else {
            blocks_with_nan(out_row, in, g, &blocks, oh, first_row, rows, 0, out_width);
        }
    }
}
