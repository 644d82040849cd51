/* f32-maxpool-values-wasmsimd.c — max pooling of one plane without the argmax in SIMD128:
   four output cells per f32x4 (a block, see pool.h).
     max = f32x4.pmax(max, tap) = max < tap ? tap : max
   is the twin's rule (cnn_max_pool_takes) but for NaN: a later tap wins only if larger, so
   equal taps keep the first, −0/+0 included. Taps are taken in the twin's column-major
   order (or any bracketing of it whose earlier operand holds the earlier taps). (f32x4.max
   propagates NaN itself, but V8 lowers it to eight x86 instructions, pmax to one maxps.)

   Two paths:
   - separable, for the usual square windows (2×2 stride 2, 3×3 stride 2, 3×3 stride 1)
     on blocks inside the input, for the output rows whose windows lie inside the input's
     rows, two at a time (a pass; the input rows both windows hold are loaded once): the
     max down each input column first, contiguous loads, then across the window's
     columns, split into even and odd columns at stride 2. It ignores NaN but sums the
     rows it reads first (a NaN or ±∞ makes the sum non-finite); if the sum is not
     finite, the pass's two output rows are computed again by the other path.
   - block by block, for every other window, block and row: each tap loaded as four lanes
     (cnn_pool_taps_f32x4), taps outside the input row as −∞; a NaN tap's lanes are ORed
     into the result (all ones is a NaN). */
#include <wasm_simd128.h>
#include "microkernels.h"

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
        const v128_t vinside =
            kind == CNN_POOL_BLOCK_MASKED ? cnn_pool_lanes_inside(col0 + offset, stride, width) : vlowest;
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
            vmax = block_max(window_rows + col0, row_step, rows, col0, width, g->kernel_w, g->stride_w, g->dilation_w,
                             CNN_POOL_BLOCK_INSIDE);
        else if (cnn_pool_edge_block(g, blocks, block, first_row, first_row + (rows - 1) * g->dilation_h) ==
                 CNN_POOL_BLOCK_MASKED)
            vmax = block_max(window_rows + col0, row_step, rows, col0, width, g->kernel_w, g->stride_w, g->dilation_w,
                             CNN_POOL_BLOCK_MASKED);
        else {
            for (int j = 0; j < lanes; j++) out_row[block + j] = cnn_max_pool_value_cell(in, g, oh, block + j);
            continue;
        }
        if (lanes == 4)
            wasm_v128_store(out_row + block, vmax);
        else
            cnn_pool_store_lanes(out_row + block, vmax, lanes);
    }
}

/* ---- Separable, without NaN ------------------------------------------------ */

/* A pass computes two output rows, upper and lower, whose windows start `stride` input
   rows apart: kernel + stride input rows, rows both windows hold loaded once. */

/* The column maxima at top[0 … 3] (the pass's first row, rows row_step apart) of the upper
   window, returned, and of the lower one, *vlower. The rows from `checked` on (2 or 4: those
   the pass before did not read) are added to *vsum as (r0 + r1) + (r2 + r3), in one add
   into the accumulator (the adds of one accumulator wait for each other: each call site of
   a block has its own). */
INLINE v128_t column_max(const float *top, long row_step, int kernel, int stride, int checked, v128_t *vlower,
                         v128_t *vsum) {
    v128_t vrow[5];
    for (int r = 0; r < kernel + stride; r++) vrow[r] = wasm_v128_load(top + r * row_step);
    v128_t vupper = vrow[0];
    *vlower = vrow[stride];
    for (int r = 1; r < kernel; r++) {
        vupper = wasm_f32x4_pmax(vupper, vrow[r]);
        *vlower = wasm_f32x4_pmax(*vlower, vrow[stride + r]);
    }
    const v128_t *vnew = vrow + checked;
    v128_t vnew_sum = wasm_f32x4_add(vnew[0], vnew[1]);
    if (kernel + stride - checked == 4) vnew_sum = wasm_f32x4_add(vnew_sum, wasm_f32x4_add(vnew[2], vnew[3]));
    *vsum = wasm_f32x4_add(*vsum, vnew_sum);
    return vupper;
}

/* One output block from the column maxima of its window: vleft of columns column[0 … 3],
   vright of the next four, and for 3×3 stride 2 vnext of the four after (the last block
   of a row takes vright of column[2 … 5] at stride 1, vnext of column[5 … 8] at stride 2,
   so as not to read past its taps). */
INLINE v128_t across_columns(v128_t vleft, v128_t vright, v128_t vnext, int kernel, int stride, int last) {
    if (stride == 1) { /* 3×3: columns j, j + 1, j + 2 */
        const v128_t vtap1 =
            last ? wasm_i32x4_shuffle(vleft, vright, 1, 2, 3, 6) : wasm_i32x4_shuffle(vleft, vright, 1, 2, 3, 4);
        const v128_t vtap2 = last ? vright : wasm_i32x4_shuffle(vleft, vright, 2, 3, 4, 5);
        return wasm_f32x4_pmax(wasm_f32x4_pmax(vleft, vtap1), vtap2);
    }
    /* stride 2: columns 2j, 2j + 1 (and 2j + 2) */
    const v128_t veven = wasm_i32x4_shuffle(vleft, vright, 0, 2, 4, 6);
    const v128_t vout = wasm_f32x4_pmax(veven, wasm_i32x4_shuffle(vleft, vright, 1, 3, 5, 7));
    if (kernel == 2) return vout;
    return wasm_f32x4_pmax(vout, last ? wasm_i32x4_shuffle(veven, vnext, 1, 2, 3, 7)
                                      : wasm_i32x4_shuffle(veven, vnext, 1, 2, 3, 4));
}

/* The column maxima of a pass's two windows, upper and lower. */
typedef struct {
    v128_t upper, lower;
} column_maxima;

/* One block of a pass at input column `column` (row_step floats per row), from *vleft, the
   column maxima of its first four columns, which become the next block's. kernel, stride,
   checked and last are constants in each copy. */
INLINE void separable_block(float *out_upper, float *out_lower, const float *column, long row_step,
                            column_maxima *vleft, int kernel, int stride, int checked, int last, v128_t *vsum_right,
                            v128_t *vsum_next) {
    column_maxima vright, vnext = *vleft;
    const int right = stride == 1 && last ? 2 : 4;
    vright.upper = column_max(column + right, row_step, kernel, stride, checked, &vright.lower, vsum_right);
    if (stride == 2 && !(kernel == 2 && last)) {
        const int next = kernel == 3 && last ? 5 : 8;
        vnext.upper = column_max(column + next, row_step, kernel, stride, checked, &vnext.lower, vsum_next);
    }
    wasm_v128_store(out_upper, across_columns(vleft->upper, vright.upper, vnext.upper, kernel, stride, last));
    wasm_v128_store(out_lower, across_columns(vleft->lower, vright.lower, vnext.lower, kernel, stride, last));
    *vleft = stride == 1 ? vright : vnext;
}

/* The blocks ow = ow_begin, ow_begin + 4, … < ow_end of a pass whose first input row is
   `top` (column 0), row_step floats per row, into out_upper and out_lower (column 0): INSIDE,
   but for a first block that may start left of the input (col0 < 0, where the floats
   before the row are the row above's): those lanes of its first column maxima become −∞.
   Rows from `checked` on are summed; returns whether the sum is finite. */
INLINE int separable_blocks(float *out_upper, float *out_lower, const float *top, long row_step, int ow_begin,
                            int ow_end, int pad_left, int kernel, int stride, int checked) {
    v128_t vsum = wasm_f32x4_splat(0.0f), vsum_right = vsum, vsum_next = vsum;
    const int col0 = ow_begin * stride - pad_left;
    column_maxima vleft;
    vleft.upper = column_max(top + col0, row_step, kernel, stride, checked, &vleft.lower, &vsum);
    if (col0 < 0) {
        const v128_t vinside = cnn_pool_lanes_inside(col0, 1, 4), vlowest = wasm_f32x4_splat(-INFINITY);
        vleft.upper = wasm_v128_bitselect(vleft.upper, vlowest, vinside);
        vleft.lower = wasm_v128_bitselect(vleft.lower, vlowest, vinside);
    }
    const float *column = top + col0;
    int ow = ow_begin;
    for (; ow + 4 < ow_end; ow += 4, column += 4 * stride)
        separable_block(out_upper + ow, out_lower + ow, column, row_step, &vleft, kernel, stride, checked, 0,
                        &vsum_right, &vsum_next);
    separable_block(out_upper + ow, out_lower + ow, column, row_step, &vleft, kernel, stride, checked, 1, &vsum_right,
                    &vsum_next);
    vsum = wasm_f32x4_add(vsum, wasm_f32x4_add(vsum_right, vsum_next));
    vsum = wasm_f32x4_sub(vsum, vsum); /* 0 where finite, NaN where ±∞ or NaN */
    return wasm_i32x4_all_true(wasm_f32x4_eq(vsum, vsum));
}

/* The square windows the separable path takes: 2×2 stride 2, 3×3 stride 2 or 1, no dilation.
   Returns the kernel size, or 0. */
static int separable_kernel(const cnn_geometry *g) {
    if (g->kernel_h != g->kernel_w || g->stride_h != g->stride_w || g->dilation_h != 1 || g->dilation_w != 1) return 0;
    if (g->kernel_w == 2 && g->stride_w == 2) return 2;
    if (g->kernel_w == 3 && (g->stride_w == 2 || g->stride_w == 1)) return 3;
    return 0;
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

/* One output row, all its blocks with NaN. */
static void row_with_nan(float *out, const float *in, const cnn_geometry *g, const cnn_pool_blocks *blocks, int oh) {
    const int row0 = oh * g->stride_h - g->pad_top;
    int kh_begin, kh_end;
    cnn_pool_kernel_rows(g, row0, &kh_begin, &kh_end);
    const int rows = kh_end - kh_begin, first_row = rows > 0 ? row0 + kh_begin * g->dilation_h : 0;
    blocks_with_nan(out + (long)oh * g->out_width, in, g, blocks, oh, first_row, rows, 0, g->out_width);
}

/* The blocks of a row the separable path takes: multiples of 4 from inside_begin to end
   (exclusive) inside the input; block 0 too if it only starts left of the input
   (first_block_left: it then reads the row above); and the row's last block (tail) when
   the row's width is not a multiple of 4 and it is inside. */
typedef struct {
    int inside_begin, end, first_block_left, tail;
} separable_columns;

static separable_columns separable_columns_of(const cnn_geometry *g, const cnn_pool_blocks *blocks) {
    const int out_width = g->out_width;
    separable_columns c;
    c.inside_begin = (blocks->first + 3) & ~3;
    c.first_block_left = c.inside_begin > 0 && g->pad_left <= 3 && blocks->last >= 0 && out_width >= 4;
    c.end = c.inside_begin;
    while (c.end + 4 <= out_width && c.end <= blocks->last) c.end += 4;
    c.tail = out_width % 4 && out_width >= 4 && out_width - 4 <= blocks->last && out_width - 4 >= blocks->first;
    return c;
}

/* Blocks [block_begin, block_end) of the pass's two output rows, oh and oh + 1, with NaN. */
static void pass_with_nan(float *out, const float *in, const cnn_geometry *g, const cnn_pool_blocks *blocks, int oh,
                          int block_begin, int block_end) {
    if (block_begin >= block_end) return;
    for (int row = oh; row < oh + 2; row++)
        blocks_with_nan(out + (long)row * g->out_width, in, g, blocks, row, row * g->stride_h - g->pad_top, g->kernel_h,
                        block_begin, block_end);
}

/* Output rows [oh_begin, oh_end) (two or more), whose windows lie inside the input's rows,
   by passes of two rows (the last one overlaps the one before when their number is odd).
   A pass that reads a NaN or ±∞ (its sum is not finite) is computed again with NaN. The
   kernel − stride rows a pass shares with the one before were checked for NaN by it if it
   was separable from the same block or one before (a pass whose rows start the plane
   cannot take block 0, the passes after it can); else they are checked here. */
INLINE void separable_rows(float *out, const float *in, const cnn_geometry *g, const cnn_pool_blocks *blocks,
                           int oh_begin, int oh_end, int kernel, int stride) {
    const int out_width = g->out_width, width = g->in_width, checked = kernel - stride;
    const separable_columns columns = separable_columns_of(g, blocks);
    int checked_begin = out_width; /* the previous pass's rows hold no NaN in blocks checked_begin, … */
    for (int oh = oh_begin; oh < oh_end; oh += 2) {
        if (oh + 2 > oh_end) oh = oh_end - 2;
        const int first_row = oh * stride - g->pad_top;
        const float *top = in + (long)first_row * width;
        float *out_upper = out + (long)oh * out_width, *out_lower = out_upper + out_width;
        const int separable_begin =
            columns.first_block_left && (long)first_row * width >= g->pad_left ? 0 : columns.inside_begin;
        int separable = columns.end > separable_begin;
        if (separable && checked_begin > separable_begin && checked)
            separable = !rows_have_nan(in, width, first_row, first_row + checked);
        if (separable) {
            separable = separable_blocks(out_upper, out_lower, top, width, separable_begin, columns.end, g->pad_left,
                                         kernel, stride, checked);
            if (columns.tail)
                separable &= separable_blocks(out_upper, out_lower, top, width, out_width - 4, out_width, g->pad_left,
                                              kernel, stride, checked);
        }
        checked_begin = separable ? separable_begin : out_width;
        if (separable) {
            pass_with_nan(out, in, g, blocks, oh, 0, separable_begin);
            if (!columns.tail) pass_with_nan(out, in, g, blocks, oh, columns.end, out_width);
        } else {
            pass_with_nan(out, in, g, blocks, oh, 0, out_width);
        }
    }
}

void cnn_f32_maxpool_values__wasmsimd(float *out, const float *in, const cnn_geometry *g) {
    const cnn_pool_blocks blocks = cnn_pool_blocks_of(g, g->kernel_w, g->stride_w, g->dilation_w);
    const int kernel = separable_kernel(g), stride = g->stride_h;
    int oh_begin = 0, oh_end = 0; /* the separable rows */
    if (kernel) cnn_pool_inside_rows(g, &oh_begin, &oh_end);
    if (oh_end - oh_begin < 2) oh_begin = oh_end = 0;
    for (int oh = 0; oh < oh_begin; oh++) row_with_nan(out, in, g, &blocks, oh);
    if (oh_end > oh_begin) {
        if (kernel == 2)
            separable_rows(out, in, g, &blocks, oh_begin, oh_end, 2, 2);
        else if (stride == 2)
            separable_rows(out, in, g, &blocks, oh_begin, oh_end, 3, 2);
        else
            separable_rows(out, in, g, &blocks, oh_begin, oh_end, 3, 1);
    }
    for (int oh = oh_end; oh < g->out_height; oh++) row_with_nan(out, in, g, &blocks, oh);
}
