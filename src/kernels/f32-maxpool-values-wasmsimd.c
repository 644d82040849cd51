/* f32-maxpool-values-wasmsimd.c — max pooling of one plane without the argmax in SIMD128
   (see pool.h), separably. For each output row:
     1. row[u] = max over the window's rows of in[h][u − pad_left], −∞ in the padding
        (contiguous loads, four columns per f32x4.max);
     2. out[ow] = max over kw of row[ow·stride_w + kw·dilation_w]. With stride 2 the row
        is first split into its even and odd columns, so that every tap is a contiguous
        load from one of them; stride 1 reads the row directly; larger strides go
        cell by cell.
   f32x4.max is the scalar twin's cnn_max_of lane by lane and a max does not depend on
   the order of its terms, so the twins agree exactly. scratch holds
   cnn_max_pool_scratch(g) floats: the row, then its even and odd columns. */
#include <math.h>
#include <wasm_simd128.h>
#include "pool.h"

/* Columns of the padded row: every tap of every output, and the whole input, plus slack
   so that the last even/odd split of eight columns covers every tap. */
static int row_columns(const cnn_geometry *g) {
    const int taps_end = (g->out_width - 1) * g->stride_w + (g->kernel_w - 1) * g->dilation_w + 1;
    const int input_end = g->pad_left + g->in_width;
    return (taps_end > input_end ? taps_end : input_end) + 8;
}

long long cnn_max_pool_scratch(const cnn_geometry *g) { return 2LL * row_columns(g) + 8; }

static void max_of_rows(float *row, int columns, const float *in, const cnn_geometry *g, int row0) {
    const v128_t vlowest = wasm_f32x4_splat(-INFINITY);
    int u = 0;
    for (; u + 4 <= columns; u += 4) wasm_v128_store(row + u, vlowest);
    for (; u < columns; u++) row[u] = -INFINITY;
    float *dst = row + g->pad_left;
    for (int kh = 0; kh < g->kernel_h; kh++) {
        const int h = row0 + kh * g->dilation_h;
        if (h < 0 || h >= g->in_height) continue;
        const float *src = in + h * g->in_width;
        int x = 0;
        for (; x + 4 <= g->in_width; x += 4)
            wasm_v128_store(dst + x, wasm_f32x4_max(wasm_v128_load(dst + x), wasm_v128_load(src + x)));
        for (; x < g->in_width; x++) dst[x] = cnn_max_of(dst[x], src[x]);
    }
}

void cnn_f32_maxpool_values__wasmsimd(float *out, const float *in, const cnn_geometry *g, float *scratch) {
    const int columns = row_columns(g);
    float *row = scratch, *even = scratch + columns, *odd = even + columns / 2 + 4;
    for (int oh = 0; oh < g->out_height; oh++) {
        float *out_row = out + oh * g->out_width;
        max_of_rows(row, columns, in, g, oh * g->stride_h - g->pad_top);
        const float *source[2] = {row, row};
        int scale = 1; /* tap offset o reads source[o % scale][ow + o / scale] */
        if (g->stride_w == 2) {
            for (int j = 0; j + 8 <= columns; j += 8) {
                const v128_t va = wasm_v128_load(row + j), vb = wasm_v128_load(row + j + 4);
                wasm_v128_store(even + j / 2, wasm_i32x4_shuffle(va, vb, 0, 2, 4, 6));
                wasm_v128_store(odd + j / 2, wasm_i32x4_shuffle(va, vb, 1, 3, 5, 7));
            }
            source[0] = even, source[1] = odd, scale = 2;
        }
        int ow = 0;
        if (g->stride_w <= 2)
            for (; ow + 4 <= g->out_width; ow += 4) {
                v128_t vmax = wasm_f32x4_splat(-INFINITY);
                for (int kw = 0; kw < g->kernel_w; kw++) {
                    const int offset = kw * g->dilation_w;
                    vmax = wasm_f32x4_max(vmax, wasm_v128_load(source[offset % scale] + ow + offset / scale));
                }
                wasm_v128_store(out_row + ow, vmax);
            }
        for (; ow < g->out_width; ow++) {
            float best = -INFINITY;
            for (int kw = 0; kw < g->kernel_w; kw++) best = cnn_max_of(best, row[ow * g->stride_w + kw * g->dilation_w]);
            out_row[ow] = best;
        }
    }
}
