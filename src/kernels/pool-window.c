/* pool-window.c — window arithmetic shared by the pooling kernels, backward and traces. */
#include "pool.h"

static int min_int(int a, int b) { return a < b ? a : b; }
static int max_int(int a, int b) { return a > b ? a : b; }

/* PyTorch's avg_pool2d: the window is clipped to the padded input first (that
   size is the divisor with count_include_pad), then to the input. */
cnn_avg_window cnn_avg_pool_window(const cnn_geometry *g, int out_row, int out_col) {
    int row_begin = out_row * g->stride_h - g->pad_top;
    int col_begin = out_col * g->stride_w - g->pad_left;
    int row_end = min_int(row_begin + g->kernel_h, g->in_height + g->pad_bottom);
    int col_end = min_int(col_begin + g->kernel_w, g->in_width + g->pad_right);
    const int padded_size = (row_end - row_begin) * (col_end - col_begin);
    cnn_avg_window w;
    w.row_begin = max_int(row_begin, 0);
    w.col_begin = max_int(col_begin, 0);
    w.row_end = min_int(row_end, g->in_height);
    w.col_end = min_int(col_end, g->in_width);
    w.divisor = (float)(g->count_include_pad ? padded_size
                                             : (w.row_end - w.row_begin) * (w.col_end - w.col_begin));
    return w;
}
