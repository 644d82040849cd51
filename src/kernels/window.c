/* window.c — the interior columns of a sliding window (see window.h). */
#include "window.h"

void cnn_window_interior_cols(const cnn_geometry *g, int *begin, int *end) {
    /* 64-bit: strides, pads and spans near 2^31 must not overflow the rounding. */
    const long long span = (long long)g->dilation_w * (g->kernel_w - 1);
    const long long first = ((long long)g->pad_left + g->stride_w - 1) / g->stride_w; /* ow·stride_w ≥ pad_left */
    const long long last = (long long)g->in_width - 1 - span + g->pad_left;           /* ow·stride_w ≤ last */
    *begin = first < g->out_width ? (int)first : g->out_width;
    *end = last < 0 ? 0 : (int)(last / g->stride_w + 1 < g->out_width ? last / g->stride_w + 1 : g->out_width);
    if (*end > g->out_width) *end = g->out_width;
    if (*end < *begin) *end = *begin;
}
