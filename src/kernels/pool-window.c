/* pool-window.c — window arithmetic shared by the pooling kernels, backward and traces. */
#include "pool.h"

cnn_avg_window cnn_avg_pool_window(const cnn_geometry *g, int out_row, int out_col) {
    const cnn_avg_span rows =
        cnn_avg_pool_span(out_row, g->stride_h, g->pad_top, g->kernel_h, g->in_height, g->pad_bottom);
    const cnn_avg_span cols =
        cnn_avg_pool_span(out_col, g->stride_w, g->pad_left, g->kernel_w, g->in_width, g->pad_right);
    cnn_avg_window w = {rows.begin, rows.end, cols.begin, cols.end, cnn_avg_pool_divisor(g, rows, cols)};
    return w;
}

/* 0 ≤ origin + k·dilation < size, i.e. ceil(−origin / dilation) ≤ k ≤ floor((size − 1 − origin) / dilation),
   within [0, kernel) (64-bit: padding and dilation reach 2^31). */
void cnn_pool_kernel_taps(int origin, int dilation, int size, int kernel, int *begin, int *end) {
    const long long step = dilation, last = (long long)size - 1 - origin; /* k·dilation ≤ last */
    long long first, stop;
    if (step == 1) { /* most windows: no division */
        first = origin >= 0 ? 0 : -(long long)origin;
        stop = last < 0 ? 0 : last + 1;
    } else {
        first = origin >= 0 ? 0 : (-(long long)origin + step - 1) / step;
        stop = last < 0 ? 0 : last / step + 1;
    }
    if (stop > kernel) stop = kernel;
    if (first > stop) first = stop;
    *begin = (int)first;
    *end = (int)stop;
}

void cnn_pool_kernel_rows(const cnn_geometry *g, int row0, int *begin, int *end) {
    cnn_pool_kernel_taps(row0, g->dilation_h, g->in_height, g->kernel_h, begin, end);
}

/* 0 ≤ oh·stride_h − pad_top  and  oh·stride_h − pad_top + span ≤ H,  span = (KH − 1)·dilation_h + 1,
   i.e. ceil(pad_top / stride_h) ≤ oh ≤ floor((H − span + pad_top) / stride_h), within [0, OH). */
void cnn_pool_inside_rows(const cnn_geometry *g, int *begin, int *end) {
    const long long stride = g->stride_h, span = (long long)(g->kernel_h - 1) * g->dilation_h + 1;
    const long long room = (long long)g->in_height - span + g->pad_top; /* oh·stride_h ≤ room */
    const long long first = ((long long)g->pad_top + stride - 1) / stride;
    const long long stop = room < 0 ? 0 : room / stride + 1 < g->out_height ? room / stride + 1 : g->out_height;
    *begin = (int)(first < stop ? first : stop);
    *end = (int)stop;
}
