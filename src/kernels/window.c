/* window.c — the interior columns of a sliding window (see window.h). */
#include "window.h"

void cnn_window_interior_cols(const cnn_geometry *g, int *begin, int *end) {
    const int span = g->dilation_w * (g->kernel_w - 1);
    const int first = (g->pad_left + g->stride_w - 1) / g->stride_w; /* ow·stride_w ≥ pad_left */
    const int last = g->in_width - 1 - span + g->pad_left;           /* ow·stride_w ≤ last */
    *begin = first < g->out_width ? first : g->out_width;
    *end = last < 0 ? 0 : last / g->stride_w + 1;
    if (*end > g->out_width) *end = g->out_width;
    if (*end < *begin) *end = *begin;
}
