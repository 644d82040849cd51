/* im2col.c — unfold windows of an image into columns, and the adjoint.

   col[(c·KH + kh)·KW + kw][y·cols_w + x] = image[c][y·stride_h − pad_top + kh·dilation_h]
                                                    [x·stride_w − pad_left + kw·dilation_w]
   (0 where the index falls in the padding). col2im adds each column entry back
   to the pixel it came from, so it is the transpose of im2col as a matrix. */
#include <string.h>
#include "internal.h"

/* Range of x with 0 ≤ x·stride + offset < limit, clipped to [0, count):
   x ≥ ceil(−offset / stride) and x ≤ (limit − offset − 1) / stride, in 64 bits
   so that a stride near 2^31 cannot overflow the rounding. */
static void valid_range(int offset, int stride, int limit, int count, int *begin, int *end) {
    const long long reach = (long long)limit - offset;
    const int lo = offset >= 0 ? 0 : (int)((-(long long)offset + stride - 1) / stride);
    const int hi = reach <= 0 ? 0 : (int)((reach - 1) / stride + 1);
    *begin = lo < count ? lo : count;
    *end = hi < count ? hi : count;
    if (*end < *begin) *end = *begin;
}

cnn_window_view cnn_conv_window_view(const cnn_geometry *g, int transposed) {
    cnn_window_view v = {transposed ? g->out_channels / g->groups : g->in_channels / g->groups,
                         transposed ? g->out_height : g->in_height,
                         transposed ? g->out_width : g->in_width,
                         transposed ? g->in_height : g->out_height,
                         transposed ? g->in_width : g->out_width,
                         g->kernel_h,
                         g->kernel_w,
                         g->stride_h,
                         g->stride_w,
                         g->pad_top,
                         g->pad_left,
                         g->dilation_h,
                         g->dilation_w};
    return v;
}

void cnn_im2col(float *col, const float *image, const cnn_window_view *v) {
    const int cols = v->cols_h * v->cols_w;
    for (int c = 0; c < v->channels; c++)
        for (int kh = 0; kh < v->kernel_h; kh++)
            for (int kw = 0; kw < v->kernel_w; kw++) {
                const int y_offset = kh * v->dilation_h - v->pad_top;
                const int x_offset = kw * v->dilation_w - v->pad_left;
                int y_begin, y_end, x_begin, x_end;
                valid_range(y_offset, v->stride_h, v->image_h, v->cols_h, &y_begin, &y_end);
                valid_range(x_offset, v->stride_w, v->image_w, v->cols_w, &x_begin, &x_end);
                const float *plane = image + (long)c * v->image_h * v->image_w;
                for (int y = 0; y < v->cols_h; y++) {
                    float *out = col + y * v->cols_w;
                    if (y < y_begin || y >= y_end) {
                        for (int x = 0; x < v->cols_w; x++) out[x] = 0.0f;
                        continue;
                    }
                    const float *in = plane + (long)(y * v->stride_h + y_offset) * v->image_w + x_offset;
                    for (int x = 0; x < x_begin; x++) out[x] = 0.0f;
                    if (v->stride_w == 1) /* contiguous: a block copy */
                        memcpy(out + x_begin, in + x_begin, (size_t)(x_end - x_begin) * sizeof(float));
                    else
                        for (int x = x_begin; x < x_end; x++) out[x] = in[x * v->stride_w];
                    for (int x = x_end; x < v->cols_w; x++) out[x] = 0.0f;
                }
                col += cols;
            }
}

void cnn_col2im(float *image, const float *col, const cnn_window_view *v) {
    const int cols = v->cols_h * v->cols_w;
    for (int c = 0; c < v->channels; c++)
        for (int kh = 0; kh < v->kernel_h; kh++)
            for (int kw = 0; kw < v->kernel_w; kw++) {
                const int y_offset = kh * v->dilation_h - v->pad_top;
                const int x_offset = kw * v->dilation_w - v->pad_left;
                int y_begin, y_end, x_begin, x_end;
                valid_range(y_offset, v->stride_h, v->image_h, v->cols_h, &y_begin, &y_end);
                valid_range(x_offset, v->stride_w, v->image_w, v->cols_w, &x_begin, &x_end);
                float *plane = image + (long)c * v->image_h * v->image_w;
                for (int y = y_begin; y < y_end; y++) {
                    const float *in = col + y * v->cols_w;
                    float *out = plane + (long)(y * v->stride_h + y_offset) * v->image_w + x_offset;
                    for (int x = x_begin; x < x_end; x++) out[x * v->stride_w] += in[x];
                }
                col += cols;
            }
}
