/* trace.c — what one output cell saw, term by term, for the teaching widgets.
   A trace walks the same window as the op (the geometry functions validate
   it), lists every tap including the padded ones, and takes the op's own cell
   functions for the pooled value and the max winner. */
#include "internal.h"
#include "kernels/pool.h"

static cnn_status check_position(const char *op, const cnn_geometry *g, int channels, int n, int channel, int out_row,
                                 int out_col) {
    if (n < 0 || n >= g->batch) return cnn_fail(CNN_INVALID_ARGUMENT, op, "n = %d must be in [0, %d)", n, g->batch);
    if (channel < 0 || channel >= channels)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "channel = %d must be in [0, %d)", channel, channels);
    if (out_row < 0 || out_row >= g->out_height)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "row = %d must be in [0, %d)", out_row, g->out_height);
    if (out_col < 0 || out_col >= g->out_width)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "col = %d must be in [0, %d)", out_col, g->out_width);
    return CNN_OK;
}

/* Fills the tap's coordinates; returns the input value (0 in the padding). */
static float locate_tap(cnn_trace_term *t, const float *plane, const cnn_geometry *g, int channel, int out_row,
                        int out_col, int kh, int kw) {
    t->channel = channel;
    t->kernel_row = kh;
    t->kernel_col = kw;
    t->row = out_row * g->stride_h - g->pad_top + kh * g->dilation_h;
    t->col = out_col * g->stride_w - g->pad_left + kw * g->dilation_w;
    t->padded_row = t->row + g->pad_top;
    t->padded_col = t->col + g->pad_left;
    t->in_bounds = t->row >= 0 && t->row < g->in_height && t->col >= 0 && t->col < g->in_width;
    t->value = t->in_bounds ? plane[t->row * g->in_width + t->col] : 0.0f;
    return t->value;
}

static cnn_status check_room(const char *op, int needed, int max_terms) {
    if (needed > max_terms)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "max_terms = %d is less than the %d terms of the window", max_terms,
                        needed);
    return CNN_OK;
}

int32_t cnn_conv2d_trace(cnn_trace_term *terms, int32_t max_terms, float *result, const float *in, const float *weight,
                         const float *bias, const cnn_geometry *geometry, int32_t n, int32_t out_channel,
                         int32_t out_row, int32_t out_col) {
    const char *op = "conv2d trace";
    cnn_geometry g = *geometry;
    if (cnn_conv2d_geometry(&g) || check_position(op, &g, g.out_channels, n, out_channel, out_row, out_col)) return -1;
    const int group_in = g.in_channels / g.groups, group_out = g.out_channels / g.groups;
    const int first_channel = out_channel / group_out * group_in;
    const int taps = g.kernel_h * g.kernel_w, count = group_in * taps;
    if (check_room(op, count, max_terms)) return -1;
    double sum = 0.0;
    for (int c = 0; c < group_in; c++) {
        const float *plane = in + ((long)n * g.in_channels + first_channel + c) * g.in_height * g.in_width;
        for (int kh = 0; kh < g.kernel_h; kh++)
            for (int kw = 0; kw < g.kernel_w; kw++) {
                cnn_trace_term *t = terms + c * taps + kh * g.kernel_w + kw;
                const float value = locate_tap(t, plane, &g, first_channel + c, out_row, out_col, kh, kw);
                t->weight = weight[((long)out_channel * group_in + c) * taps + kh * g.kernel_w + kw];
                t->product = value * t->weight;
                sum += t->product;
            }
    }
    result[1] = bias ? bias[out_channel] : 0.0f;
    result[0] = (float)(sum + result[1]);
    return count;
}

int32_t cnn_pool2d_trace(cnn_trace_term *terms, int32_t max_terms, float *result, const float *in,
                         const cnn_geometry *geometry, int32_t kind, int32_t n, int32_t channel, int32_t out_row,
                         int32_t out_col) {
    const char *op = "pool2d trace";
    cnn_geometry g = *geometry;
    if (kind != 0 && kind != 1) {
        cnn_fail(CNN_INVALID_ARGUMENT, op, "kind must be 0 (max) or 1 (avg), got %d", kind);
        return -1;
    }
    if ((kind == 0 ? cnn_max_pool2d_geometry(&g) : cnn_avg_pool2d_geometry(&g)) ||
        check_position(op, &g, g.in_channels, n, channel, out_row, out_col))
        return -1;
    const int count = g.kernel_h * g.kernel_w;
    if (check_room(op, count, max_terms)) return -1;
    const float *plane = in + ((long)n * g.in_channels + channel) * g.in_height * g.in_width;
    int32_t winner = -1;
    cnn_avg_window window = {0};
    if (kind == 0)
        cnn_max_pool_cell(result, &winner, plane, &g, out_row, out_col);
    else {
        window = cnn_avg_pool_window(&g, out_row, out_col);
        result[0] = cnn_avg_pool_cell(plane, &g, out_row, out_col);
        result[1] = window.divisor;
    }
    for (int kh = 0; kh < g.kernel_h; kh++)
        for (int kw = 0; kw < g.kernel_w; kw++) {
            const int i = kh * g.kernel_w + kw;
            cnn_trace_term *t = terms + i;
            const float value = locate_tap(t, plane, &g, channel, out_row, out_col, kh, kw);
            if (kind == 0) {
                t->weight = t->in_bounds && t->row * g.in_width + t->col == winner ? 1.0f : 0.0f;
                if (t->weight == 1.0f) result[1] = (float)i;
            } else {
                t->weight = t->in_bounds ? 1.0f / window.divisor : 0.0f;
            }
            t->product = value * t->weight;
        }
    return count;
}

/* Input cell (row) that tap kh sends to output row out: out = row·stride − pad + kh·dilation,
   so row = (out + pad − kh·dilation) / stride when that divides exactly; −1 otherwise. */
static int transposed_source(int out, int pad, int tap, int dilation, int stride, int in_size) {
    const int numerator = out + pad - tap * dilation;
    if (numerator < 0 || numerator % stride) return -1;
    return numerator / stride < in_size ? numerator / stride : -1;
}

int32_t cnn_conv_transpose2d_trace(cnn_trace_term *terms, int32_t max_terms, float *result, const float *in,
                                   const float *weight, const float *bias, const cnn_geometry *geometry, int32_t n,
                                   int32_t out_channel, int32_t out_row, int32_t out_col) {
    const char *op = "conv_transpose2d trace";
    cnn_geometry g = *geometry;
    if (cnn_conv_transpose2d_geometry(&g) || check_position(op, &g, g.out_channels, n, out_channel, out_row, out_col))
        return -1;
    const int group_in = g.in_channels / g.groups, group_out = g.out_channels / g.groups;
    const int first_channel = out_channel / group_out * group_in, local_out = out_channel % group_out;
    const int taps = g.kernel_h * g.kernel_w;
    if (check_room(op, group_in * taps, max_terms)) return -1;
    const int offset_h = g.dilation_h * (g.kernel_h - 1) - g.pad_top;
    const int offset_w = g.dilation_w * (g.kernel_w - 1) - g.pad_left;
    int count = 0;
    double sum = 0.0;
    for (int c = 0; c < group_in; c++) {
        const int channel = first_channel + c;
        const float *plane = in + ((long)n * g.in_channels + channel) * g.in_height * g.in_width;
        for (int kh = 0; kh < g.kernel_h; kh++) {
            const int row = transposed_source(out_row, g.pad_top, kh, g.dilation_h, g.stride_h, g.in_height);
            if (row < 0) continue;
            for (int kw = 0; kw < g.kernel_w; kw++) {
                const int col = transposed_source(out_col, g.pad_left, kw, g.dilation_w, g.stride_w, g.in_width);
                if (col < 0) continue;
                cnn_trace_term *t = terms + count++;
                t->channel = channel, t->row = row, t->col = col;
                t->kernel_row = kh, t->kernel_col = kw, t->in_bounds = 1;
                t->padded_row = row * g.stride_h + offset_h;
                t->padded_col = col * g.stride_w + offset_w;
                t->value = plane[row * g.in_width + col];
                t->weight = weight[((long)channel * group_out + local_out) * taps + kh * g.kernel_w + kw];
                t->product = t->value * t->weight;
                sum += t->product;
            }
        }
    }
    result[1] = bias ? bias[out_channel] : 0.0f;
    result[0] = (float)(sum + result[1]);
    return count;
}
