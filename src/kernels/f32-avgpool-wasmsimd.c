/* f32-avgpool-wasmsimd.c — average pooling of one plane in SIMD128: four output cells per
   f32x4 (a block, see pool.h). Sums in the scalar twin's order (row-major, from +0), so
   results are identical:
     sum = ((0 + tap[0][0]) + tap[0][1]) + …,   out = sum / divisor.
   Taps outside the input row add +0 instead, which changes nothing: a sum started at +0 is
   never −0. Inside blocks share one divisor per output row; when it is a power of two
   the kernel multiplies by its reciprocal, which is exact, so the same as dividing. */
#include <wasm_simd128.h>
#include "microkernels.h"

#define INLINE __attribute__((always_inline)) static inline

/* The block's four sums over `rows` input rows, the first at row (its col0 column), the
   next `width` floats further. */
INLINE v128_t block_sum(const float *row, int rows, int col0, int width, int kernel_w, int stride,
                        cnn_pool_block kind) {
    v128_t vsum = wasm_f32x4_splat(0.0f);
    for (int r = 0; r < rows; r++, row += width)
        for (int kw = 0; kw < kernel_w; kw++) {
            v128_t vtap = cnn_pool_taps_f32x4(row, kw, stride);
            if (kind == CNN_POOL_BLOCK_MASKED)
                vtap = wasm_v128_and(vtap, cnn_pool_lanes_inside(col0 + kw, stride, width));
            vsum = wasm_f32x4_add(vsum, vtap);
        }
    return vsum;
}

/* Divisors of the block's four windows, lane by lane. (Not a vector loaded from the four
   cnn_avg_window results: Emscripten 3.1.6's LLVM moves such lane loads past the next
   call, which reuses the result's stack slot.) */
static v128_t block_divisors(const cnn_geometry *g, int oh, int ow) {
    const cnn_avg_span rows = cnn_avg_pool_span(oh, g->stride_h, g->pad_top, g->kernel_h, g->in_height, g->pad_bottom);
    float divisor[4];
    for (int j = 0; j < 4; j++)
        divisor[j] = cnn_avg_pool_divisor(
            g, rows, cnn_avg_pool_span(ow + j, g->stride_w, g->pad_left, g->kernel_w, g->in_width, g->pad_right));
    return wasm_f32x4_make(divisor[0], divisor[1], divisor[2], divisor[3]);
}

/* Output rows [oh_begin, oh_end), whose windows cover `rows` input rows from
   max(oh·stride_h − pad_top, 0) and whose inside blocks share one divisor (the rows whose
   windows lie inside the input's rows, or a single row): blocks ow = 0, 4, …, the last one
   ending at the row's end (it overlaps the one before). rows, kernel_w and stride
   (= stride_w) are arguments of always inlined functions, so that the common windows get
   copies with them folded in (the taps of a row then share loads). */
INLINE void output_rows(float *out, const float *in, const cnn_geometry *g, const cnn_pool_blocks *blocks, int oh_begin,
                        int oh_end, int rows, int kernel_w, int stride) {
    const int out_width = g->out_width, width = g->in_width;
    /* Inside blocks: the divisor of any inside window of the rows. */
    const float divisor =
        blocks->first <= blocks->last ? cnn_avg_pool_window(g, oh_begin, blocks->first).divisor : 1.0f;
    const int power_of_two = divisor >= 1.0f && ((int)divisor & ((int)divisor - 1)) == 0;
    const v128_t vdivisor = wasm_f32x4_splat(divisor), vreciprocal = wasm_f32x4_splat(1.0f / divisor);
    const int inside_begin = (blocks->first + 3) & ~3;
    int inside_end = inside_begin;
    while (inside_end + 4 <= out_width && inside_end <= blocks->last) inside_end += 4;
    for (int oh = oh_begin; oh < oh_end; oh++) {
        const int row0 = oh * g->stride_h - g->pad_top, first_row = row0 > 0 ? row0 : 0;
        const float *window_rows = in + (long)first_row * width;
        float *out_row = out + (long)oh * out_width;
        for (int ow = inside_begin; ow < inside_end; ow += 4) {
            const int col0 = ow * stride - g->pad_left;
            const v128_t vsum =
                block_sum(window_rows + col0, rows, col0, width, kernel_w, stride, CNN_POOL_BLOCK_INSIDE);
            wasm_v128_store(out_row + ow,
                            power_of_two ? wasm_f32x4_mul(vsum, vreciprocal) : wasm_f32x4_div(vsum, vdivisor));
        }
        for (int ow = 0; ow < out_width; ow += 4) {
            if (ow == inside_begin) ow = inside_end;
            if (ow >= out_width) break;
            const int block = ow + 4 > out_width && out_width >= 4 ? out_width - 4 : ow;
            const int lanes = out_width - block < 4 ? out_width - block : 4;
            const int col0 = (int)((long long)block * stride - g->pad_left); /* in range unless CELLS */
            v128_t vout;
            if (block >= blocks->first && block <= blocks->last)
                vout = wasm_f32x4_div(
                    block_sum(window_rows + col0, rows, col0, width, kernel_w, stride, CNN_POOL_BLOCK_INSIDE),
                    vdivisor);
            else if (rows > 0 &&
                     cnn_pool_edge_block(g, blocks, block, first_row, first_row + rows - 1) == CNN_POOL_BLOCK_MASKED)
                vout = wasm_f32x4_div(
                    block_sum(window_rows + col0, rows, col0, width, kernel_w, stride, CNN_POOL_BLOCK_MASKED),
                    block_divisors(g, oh, block));
            else {
                for (int j = 0; j < lanes; j++) out_row[block + j] = cnn_avg_pool_cell(in, g, oh, block + j);
                continue;
            }
            if (lanes == 4)
                wasm_v128_store(out_row + block, vout);
            else
                cnn_pool_store_lanes(out_row + block, vout, lanes);
        }
    }
}

void cnn_f32_avgpool__wasmsimd(float *out, const float *in, const cnn_geometry *g) {
    const int kernel_w = g->kernel_w, stride = g->stride_w;
    const cnn_pool_blocks blocks = cnn_pool_blocks_of(g, kernel_w, stride, 1);
    int inside_begin, inside_end;
    cnn_pool_inside_rows(g, &inside_begin, &inside_end);
    /* The rows whose windows lie inside the input's rows in one call, the others one by one. */
    for (int oh = 0, next; oh < g->out_height; oh = next) {
        next = oh == inside_begin && inside_end > inside_begin ? inside_end : oh + 1;
        const cnn_avg_window window = cnn_avg_pool_window(g, oh, 0);
        const int rows = window.row_end - window.row_begin;
        /* The usual square windows get their own copies. */
        const int square = rows == kernel_w && g->kernel_h == kernel_w;
        if (square && stride == 2 && kernel_w == 2)
            output_rows(out, in, g, &blocks, oh, next, 2, 2, 2);
        else if (square && stride == 2 && kernel_w == 3)
            output_rows(out, in, g, &blocks, oh, next, 3, 3, 2);
        else if (square && stride == 1 && kernel_w == 3)
            output_rows(out, in, g, &blocks, oh, next, 3, 3, 1);
        else
            output_rows(out, in, g, &blocks, oh, next, rows, kernel_w, stride);
    }
}
