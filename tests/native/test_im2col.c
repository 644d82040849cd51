/* test_im2col.c — im2col against its defining formula, and col2im as its
   adjoint: <im2col(x), c> = <x, col2im(c)> for random x, c, on random window
   views with padding, stride and dilation. The column count is drawn anywhere
   from 1 to past the conv output size: conv_transpose2d's views (output_padding
   ≥ stride) have fewer columns than the image allows, and windows that leave
   the image must read 0 and write nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "internal.h"
#include "kernels/window.h"

static cnn_window_view random_view(void) {
    cnn_window_view v;
    v.channels = random_int(1, 3);
    v.image_h = random_int(1, 9), v.image_w = random_int(1, 9);
    v.kernel_h = random_int(1, 4), v.kernel_w = random_int(1, 4);
    v.stride_h = random_int(1, 3), v.stride_w = random_int(1, 3);
    v.dilation_h = random_int(1, 3), v.dilation_w = random_int(1, 3);
    v.pad_top = random_int(0, 3), v.pad_left = random_int(0, 3);
    v.cols_h = random_int(1, 7), v.cols_w = random_int(1, 7);
    return v;
}

/* image[c][y·stride_h − pad_top + kh·dilation_h][x·stride_w − pad_left + kw·dilation_w], 0 outside. */
static float expected_entry(const float *image, const cnn_window_view *v, int row, int y, int x) {
    const int c = row / (v->kernel_h * v->kernel_w), kh = row / v->kernel_w % v->kernel_h, kw = row % v->kernel_w;
    const int h = y * v->stride_h - v->pad_top + kh * v->dilation_h;
    const int w = x * v->stride_w - v->pad_left + kw * v->dilation_w;
    if (h < 0 || h >= v->image_h || w < 0 || w >= v->image_w) return 0.0f;
    return image[(c * v->image_h + h) * v->image_w + w];
}

static void check_view(const cnn_window_view *v) {
    const int rows = v->channels * v->kernel_h * v->kernel_w, cols = v->cols_h * v->cols_w;
    const int image_count = v->channels * v->image_h * v->image_w;
    float *image = random_floats(image_count), *col = filled_floats(rows * cols, SENTINEL);
    float *other_col = random_floats(rows * cols), *adjoint = zero_floats(image_count);
    cnn_im2col(col, image, v);
    int exact = 1;
    for (int r = 0; r < rows; r++)
        for (int y = 0; y < v->cols_h; y++)
            for (int x = 0; x < v->cols_w; x++)
                exact &= col[(r * v->cols_h + y) * v->cols_w + x] == expected_entry(image, v, r, y, x);
    cnn_col2im(adjoint, other_col, v);
    double forward_side = 0.0, adjoint_side = 0.0, magnitude = 0.0;
    for (int i = 0; i < rows * cols; i++) {
        forward_side += (double)col[i] * other_col[i];
        magnitude += fabs((double)col[i] * other_col[i]);
    }
    for (int i = 0; i < image_count; i++) adjoint_side += (double)image[i] * adjoint[i];
    char view[160];
    snprintf(view, sizeof view,
             "channels %d, image %d×%d, cols %d×%d, kernel %d×%d, stride (%d,%d), dilation (%d,%d), pad (%d,%d)",
             v->channels, v->image_h, v->image_w, v->cols_h, v->cols_w, v->kernel_h, v->kernel_w, v->stride_h,
             v->stride_w, v->dilation_h, v->dilation_w, v->pad_top, v->pad_left);
    CHECK(exact, "%s: im2col differs from its formula", view);
    /* col2im adds float terms into each pixel: relative rounding near 1e-7. */
    CHECK(close_enough(adjoint_side, forward_side, 1e-6 * magnitude + 1e-12, 0.0),
          "%s: col2im is not the adjoint of im2col", view);
    free(image), free(col), free(other_col), free(adjoint);
}

/* cnn_window_interior_cols (the SIMD kernels' fast range) against every
   column: ow is interior when its whole window, ow·stride_w − pad_left up to
   + dilation_w·(KW − 1), lies inside [0, W). Those columns are consecutive. */
static void check_interior_columns(const cnn_geometry *g) {
    int begin = -1, end = -1, first = -1, last = -2;
    cnn_window_interior_cols(g, &begin, &end);
    for (int ow = 0; ow < g->out_width; ow++) {
        const int left = ow * g->stride_w - g->pad_left, right = left + g->dilation_w * (g->kernel_w - 1);
        if (left >= 0 && right < g->in_width) {
            if (first < 0) first = ow;
            last = ow;
        }
    }
    const int ok = first < 0 ? begin == end && begin >= 0 && end <= g->out_width : begin == first && end == last + 1;
    CHECK(ok, "interior columns of W %d, kernel %d, stride %d, pad %d, dilation %d (out %d): [%d, %d), want [%d, %d)",
          g->in_width, g->kernel_w, g->stride_w, g->pad_left, g->dilation_w, g->out_width, begin, end,
          first < 0 ? begin : first, last + 1);
}

void test_im2col(void) {
    for (int i = 0; i < 500; i++) {
        const cnn_window_view v = random_view();
        check_view(&v);
    }
    for (int i = 0; i < 500; i++) {
        cnn_geometry g = cnn_geometry_default();
        g.batch = g.in_channels = g.out_channels = g.in_height = g.kernel_h = 1;
        g.in_width = random_int(1, 12), g.kernel_w = random_int(1, 4), g.stride_w = random_int(1, 4);
        g.dilation_w = random_int(1, 3), g.pad_left = random_int(0, 3), g.pad_right = random_int(0, 3);
        if (cnn_conv2d_geometry(&g) == CNN_OK) check_interior_columns(&g);
    }
}
