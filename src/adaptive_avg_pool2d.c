/* adaptive_avg_pool2d.c — adaptive average pooling, forward and backward.
   https://pytorch.org/docs/stable/generated/torch.nn.AdaptiveAvgPool2d.html

   Shapes: in [N, C, H, W], out [N, C, OH, OW]. Output row i averages input rows
     [floor(i·H / OH), ceil((i + 1)·H / OH))
   (columns alike), so windows may overlap when OH does not divide H. Global
   average pooling is OH = OW = 1. Backward spreads grad_out / window size. */
#include "internal.h"

static int window_begin(int i, int in, int out) { return (int)((long long)i * in / out); }
static int window_end(int i, int in, int out) { return (int)(((long long)(i + 1) * in + out - 1) / out); }

static cnn_status check(const char *op, int batch, int channels, int in_h, int in_w, int out_h, int out_w) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) || (s = cnn_check_positive(op, "channels", channels)) ||
        (s = cnn_check_positive(op, "in_height", in_h)) || (s = cnn_check_positive(op, "in_width", in_w)) ||
        (s = cnn_check_positive(op, "output_size height", out_h)) ||
        (s = cnn_check_positive(op, "output_size width", out_w)) ||
        (s = cnn_check_elements(op, "input", batch, channels, in_h, in_w)))
        return s;
    return cnn_check_elements(op, "output", batch, channels, out_h, out_w);
}

cnn_status cnn_adaptive_avg_pool2d_forward(float *out, const float *in, int32_t batch, int32_t channels, int32_t in_h,
                                           int32_t in_w, int32_t out_h, int32_t out_w) {
    cnn_status s = check("adaptive_avg_pool2d", batch, channels, in_h, in_w, out_h, out_w);
    if (s) return s;
    for (long p = 0; p < (long)batch * channels; p++) {
        const float *plane = in + p * in_h * in_w;
        for (int i = 0; i < out_h; i++) {
            const int row_begin = window_begin(i, in_h, out_h), row_end = window_end(i, in_h, out_h);
            for (int j = 0; j < out_w; j++) {
                const int col_begin = window_begin(j, in_w, out_w), col_end = window_end(j, in_w, out_w);
                float sum = 0.0f;
                for (int h = row_begin; h < row_end; h++)
                    for (int w = col_begin; w < col_end; w++) sum += plane[(long)h * in_w + w];
                out[(p * out_h + i) * out_w + j] = sum / (float)((row_end - row_begin) * (col_end - col_begin));
            }
        }
    }
    return CNN_OK;
}

cnn_status cnn_adaptive_avg_pool2d_backward(float *grad_in, const float *grad_out, int32_t batch, int32_t channels,
                                            int32_t in_h, int32_t in_w, int32_t out_h, int32_t out_w) {
    cnn_status s = check("adaptive_avg_pool2d backward", batch, channels, in_h, in_w, out_h, out_w);
    if (s) return s;
    for (long p = 0; p < (long)batch * channels; p++) {
        float *plane = grad_in + p * in_h * in_w;
        for (int i = 0; i < out_h; i++) {
            const int row_begin = window_begin(i, in_h, out_h), row_end = window_end(i, in_h, out_h);
            for (int j = 0; j < out_w; j++) {
                const int col_begin = window_begin(j, in_w, out_w), col_end = window_end(j, in_w, out_w);
                const float share =
                    grad_out[(p * out_h + i) * out_w + j] / (float)((row_end - row_begin) * (col_end - col_begin));
                for (int h = row_begin; h < row_end; h++)
                    for (int w = col_begin; w < col_end; w++) plane[(long)h * in_w + w] += share;
            }
        }
    }
    return CNN_OK;
}
