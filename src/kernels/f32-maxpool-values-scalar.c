/* f32-maxpool-values-scalar.c — max pooling of one plane without the argmax, the scalar twin
   (see pool.h): each window's max by cnn_max_of, the semantics of WebAssembly's f32.max. */
#include <math.h>
#include "pool.h"

/* NaN if either is NaN; +0 over −0; otherwise the larger. */
float cnn_max_of(float a, float b) {
    if (isnan(a) || isnan(b)) return a + b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}

float cnn_max_pool_value_cell(const float *in, const cnn_geometry *g, int out_row, int out_col) {
    const int row0 = out_row * g->stride_h - g->pad_top, col0 = out_col * g->stride_w - g->pad_left;
    float best = -INFINITY;
    for (int kh = 0; kh < g->kernel_h; kh++) {
        const int h = row0 + kh * g->dilation_h;
        if (h < 0 || h >= g->in_height) continue;
        for (int kw = 0; kw < g->kernel_w; kw++) {
            const int w = col0 + kw * g->dilation_w;
            if (w >= 0 && w < g->in_width) best = cnn_max_of(best, in[h * g->in_width + w]);
        }
    }
    return best;
}

/* The scalar build's scratch size: none is used (the SIMD twin defines its own). */
#ifndef __wasm_simd128__
long long cnn_max_pool_scratch(const cnn_geometry *g) {
    (void)g;
    return 0;
}
#endif

void cnn_f32_maxpool_values__scalar(float *out, const float *in, const cnn_geometry *g, float *scratch) {
    (void)scratch; /* the twins share a signature; cell by cell needs no scratch */
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow++)
            out[oh * g->out_width + ow] = cnn_max_pool_value_cell(in, g, oh, ow);
}
