/* pool.h — pooling kernels over one [H, W] plane, and the window arithmetic
   they share with backward and the traces. Each SIMD plane kernel has a scalar
   twin with the same signature; the cell functions are the scalar reference
   the SIMD kernels use where a block of four cells cannot be loaded.
   Geometry is already validated. */
#ifndef CNN_KERNELS_POOL_H
#define CNN_KERNELS_POOL_H

#include <math.h>
#include <stdint.h>
#include "../cnn.h"

/* One axis of an average window (PyTorch's avg_pool2d): the window is clipped
   to the padded input first, then to the input. [begin, end) is what lies in
   the input; padded_size the size after the first clip (the divisor's factor
   with count_include_pad). */
typedef struct {
    int begin, end, padded_size;
} cnn_avg_span;

static inline cnn_avg_span cnn_avg_pool_span(int out_index, int stride, int pad_before, int kernel, int in_size,
                                             int pad_after) {
    const int begin = out_index * stride - pad_before;
    const int end = begin + kernel < in_size + pad_after ? begin + kernel : in_size + pad_after;
    cnn_avg_span span = {begin < 0 ? 0 : begin, end < in_size ? end : in_size, end - begin};
    return span;
}

/* The divisor of a window: its size including padding when count_include_pad,
   else the number of input cells in it. In 64 bits, as PyTorch's divide_factor: a padded
   window of 2^23 + 1 cells a side is valid and has more than 2^31 cells. */
static inline float cnn_avg_pool_divisor(const cnn_geometry *g, cnn_avg_span rows, cnn_avg_span cols) {
    return (float)(g->count_include_pad ? (int64_t)rows.padded_size * cols.padded_size
                                        : (int64_t)(rows.end - rows.begin) * (cols.end - cols.begin));
}

/* Input rows [row_begin, row_end) and columns [col_begin, col_end) an average
   window covers, and its divisor (see avg_pool2d.c). */
typedef struct {
    int row_begin, row_end, col_begin, col_end;
    float divisor;
} cnn_avg_window;

cnn_avg_window cnn_avg_pool_window(const cnn_geometry *g, int out_row, int out_col);

/* Taps k in [*begin, *end) of a kernel whose input cell origin + k·dilation is inside [0, size):
   a window's loop visits only those, so its time does not grow with kernel or padding. */
void cnn_pool_kernel_taps(int origin, int dilation, int size, int kernel, int *begin, int *end);
/* Kernel rows kh in [*begin, *end) whose input row row0 + kh·dilation_h is inside the input. */
void cnn_pool_kernel_rows(const cnn_geometry *g, int row0, int *begin, int *end);

/* Output rows [*begin, *end) whose windows lie inside the input's rows (*begin = *end if none). */
void cnn_pool_inside_rows(const cnn_geometry *g, int *begin, int *end);

/* PyTorch's max pooling rule, tap by tap from −∞: a tap replaces the running
   max when `value > max || isnan(value)`. So the first of equal taps stays
   (−0 and +0 are equal: whichever comes first), any NaN makes the result NaN,
   and a window of −∞ gives −∞. PyTorch and the argmax kernels take the taps in
   row-major order, the values kernels in column-major order (see
   f32-maxpool-values-scalar.c): only the sign of a zero max can differ. */
static inline int cnn_max_pool_takes(float value, float max) { return value > max || isnan(value); }

/* One output cell, scalar: max (value and argmax) and average. */
void cnn_max_pool_cell(float *out, int32_t *argmax, const float *in, const cnn_geometry *g, int out_row, int out_col);
float cnn_max_pool_value_cell(const float *in, const cnn_geometry *g, int out_row, int out_col);
float cnn_avg_pool_cell(const float *in, const cnn_geometry *g, int out_row, int out_col);

/* A plane kernel: max with argmax; max without it (inference, F.max_pool2d) or average. */
typedef void cnn_max_pool_plane_kernel(float *out, int32_t *argmax, const float *in, const cnn_geometry *g);
typedef void cnn_pool_plane_kernel(float *out, const float *in, const cnn_geometry *g);

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

/* ---- Blocks: what the SIMD kernels share ----------------------------------
   A block is four neighbouring output cells ow … ow + 3 of one output row, one
   per lane. Its window column kw reads, lane j, input column
     col0 + offset + j·stride_w,   col0 = ow·stride_w − pad_left, offset = kw·dilation_w.
   cnn_pool_taps_f32x4 loads those four taps of one input row; all the taps of
   a block lie in row[col0, col0 + reach). */

/* Stride 1: one load. Stride 2: two loads split into even or odd lanes; offset
   0 takes row[0 … 7], offset o ≥ 1 the odd lanes of row[o − 1 … o + 6], so
   offsets 0 and 1 share their loads. Wider strides: four scalar loads. */
static inline v128_t cnn_pool_taps_f32x4(const float *row, int offset, int stride) {
    if (stride == 1) return wasm_v128_load(row + offset);
    if (stride == 2) {
        if (offset == 0) return wasm_i32x4_shuffle(wasm_v128_load(row), wasm_v128_load(row + 4), 0, 2, 4, 6);
        const float *pair = row + offset - 1;
        return wasm_i32x4_shuffle(wasm_v128_load(pair), wasm_v128_load(pair + 4), 1, 3, 5, 7);
    }
    return wasm_f32x4_make(row[offset], row[offset + stride], row[offset + 2 * stride], row[offset + 3 * stride]);
}

/* Floats past col0 the taps of a block read (64-bit: strides reach 2^31). */
static inline long long cnn_pool_block_reach(int kernel_w, int stride, int dilation) {
    const long long last = (long long)(kernel_w - 1) * dilation;
    if (stride == 1) return last + 4;
    if (stride == 2) return last == 0 ? 8 : last + 7;
    return last + 3LL * stride + 1;
}

/* Blocks whose taps all lie in their rows (INSIDE: plain loads) are those with
     first ≤ ow ≤ last:  col0 ≥ 0 and col0 + reach ≤ W.
   Other blocks are MASKED when every float they read is in the plane (lanes
   outside the input row read the neighbouring row's floats and are then
   replaced: −∞ for a max, 0 for a sum), else CELLS (the scalar cells). */
typedef struct {
    long long reach;
    int first, last;
} cnn_pool_blocks;

static inline cnn_pool_blocks cnn_pool_blocks_of(const cnn_geometry *g, int kernel_w, int stride, int dilation) {
    cnn_pool_blocks b;
    b.reach = cnn_pool_block_reach(kernel_w, stride, dilation);
    const long long first = ((long long)g->pad_left + stride - 1) / stride;
    const long long room = (long long)g->in_width + g->pad_left - b.reach; /* ow·stride ≤ room */
    b.first = first < g->out_width ? (int)first : g->out_width;
    b.last = room < 0 ? -1 : room / stride < g->out_width ? (int)(room / stride) : g->out_width;
    return b;
}

typedef enum { CNN_POOL_BLOCK_INSIDE, CNN_POOL_BLOCK_MASKED, CNN_POOL_BLOCK_CELLS } cnn_pool_block;

/* A block at ow outside [first, last], whose window rows are first_row … last_row. */
static inline cnn_pool_block cnn_pool_edge_block(const cnn_geometry *g, const cnn_pool_blocks *b, int ow, int first_row,
                                                 int last_row) {
    const long long width = g->in_width, col0 = (long long)ow * g->stride_w - g->pad_left;
    return first_row * width + col0 >= 0 && last_row * width + col0 + b->reach <= g->in_height * width
               ? CNN_POOL_BLOCK_MASKED
               : CNN_POOL_BLOCK_CELLS;
}

/* Lanes whose column col + j·stride lies in [0, width) (a MASKED block: all in int range). */
static inline v128_t cnn_pool_lanes_inside(int col, int stride, int width) {
    const v128_t vcol = wasm_i32x4_add(wasm_i32x4_splat(col), wasm_i32x4_make(0, stride, 2 * stride, 3 * stride));
    return wasm_u32x4_lt(vcol, wasm_i32x4_splat(width));
}

/* Stores the first count (1 … 3) lanes. */
static inline void cnn_pool_store_lanes(float *out, v128_t v, int count) {
    out[0] = wasm_f32x4_extract_lane(v, 0);
    if (count > 1) out[1] = wasm_f32x4_extract_lane(v, 1);
    if (count > 2) out[2] = wasm_f32x4_extract_lane(v, 2);
}
#endif

#endif
