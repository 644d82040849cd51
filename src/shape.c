/* shape.c — the one copy of the size, parameter, MAC and receptive-field
   arithmetic. The ops validate through these functions; the page asks them. */
#include <stdlib.h>
#include "internal.h"

cnn_geometry cnn_geometry_default(void) {
    cnn_geometry g = {0};
    g.stride_h = g.stride_w = 1;
    g.dilation_h = g.dilation_w = 1;
    g.groups = 1;
    g.count_include_pad = 1;
    return g;
}

/* Effective kernel: a dilated kernel spans dilation·(kernel − 1) + 1 pixels. */
static long long effective_kernel(long long kernel, long long dilation) { return dilation * (kernel - 1) + 1; }

/* out = floor((in + pad_total − dilation·(kernel − 1) − 1) / stride) + 1 */
static cnn_status conv_out(const char *op, const char *axis, long long in, long long kernel, long long stride,
                           long long pad_total, long long dilation, int32_t *out) {
    long long span = effective_kernel(kernel, dilation);
    if (in + pad_total > CNN_MAX_ELEMENTS)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "padding: the padded %s %lld + %lld = %lld must be at most 2^31 - 1",
                        axis, in, pad_total, in + pad_total);
    if (span > in + pad_total)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "kernel_%s: the effective kernel dilation·(kernel−1)+1 = %lld·(%lld−1)+1 = %lld "
                        "is larger than the padded input %lld + %lld = %lld",
                        axis, dilation, kernel, span, in, pad_total, in + pad_total);
    *out = (int32_t)((in + pad_total - span) / stride + 1);
    return CNN_OK;
}

/* out = (in − 1)·stride − pad_total + dilation·(kernel − 1) + output_padding + 1 */
static cnn_status conv_transpose_out(const char *op, const char *axis, long long in, long long kernel, long long stride,
                                     long long pad_total, long long dilation, long long output_padding, int32_t *out) {
    if (output_padding >= stride && output_padding >= dilation)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "output_padding_%s = %lld must be smaller than stride (%lld) or dilation (%lld)", axis,
                        output_padding, stride, dilation);
    long long size = (in - 1) * stride - pad_total + dilation * (kernel - 1) + output_padding + 1;
    if (size < 1)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "output %s (in−1)·stride − padding + dilation·(kernel−1) + output_padding + 1 = "
                        "(%lld−1)·%lld − %lld + %lld·(%lld−1) + %lld + 1 = %lld is less than 1",
                        axis, in, stride, pad_total, dilation, kernel, output_padding, size);
    if (size + pad_total > CNN_MAX_ELEMENTS)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "output %s %lld plus padding %lld must be at most 2^31 - 1", axis,
                        size, pad_total);
    *out = (int32_t)size;
    return CNN_OK;
}

/* Floor division for a possibly negative numerator (PyTorch's div_rtn). */
static long long floor_div(long long numerator, long long denominator) {
    long long q = numerator / denominator;
    return q * denominator > numerator ? q - 1 : q;
}

static long long gcd(long long a, long long b) {
    while (b) {
        const long long r = a % b;
        a = b, b = r;
    }
    return a;
}

/* x with a·x ≡ 1 (mod m), for a and m coprime (extended Euclid). */
static long long inverse_mod(long long a, long long m) {
    long long r0 = m, r1 = a % m, x0 = 0, x1 = 1;
    while (r1) {
        const long long q = r0 / r1, r2 = r0 - q * r1, x2 = x0 - q * x1;
        r0 = r1, r1 = r2, x0 = x1, x1 = x2;
    }
    return (x0 % m + m) % m;
}

/* The first output of a pooling axis whose window holds no input cell, or −1; in time
   independent of the sizes' magnitude.
   Window o starts at first = o·stride − pad. With pad ≤ kernel/2 (checked before) a
   window starting inside the input holds its first tap, and no window starts at or past
   the input's end; one starting in the left padding (o·stride < pad, o < M = min(size,
   ⌈pad/stride⌉)) has its first tap at or past 0 at first mod dilation (the ⌈−first/dilation⌉-th,
   which is < kernel), so it misses iff (o·stride − pad) mod dilation ≥ in.
   Over o = 0, 1, … those residues repeat with period P = dilation / gcd(stride, dilation),
   taking every value ≡ −pad (mod gcd) in [0, dilation): when M ≥ P, a miss exists iff the
   largest such value r reaches in, at o ≡ (r + pad)/gcd · (stride/gcd)⁻¹ (mod P). When
   M < P ≤ dilation, M ≤ pad/stride + 1 ≤ kernel/2 + 1 and dilation·(kernel − 1) < 2^31
   bound M below 2^16: a plain scan. */
static long long first_window_missing_input(long long in, long long stride, long long pad, long long dilation,
                                            long long size) {
    if (dilation <= in || pad == 0) return -1;
    const long long left = (pad + stride - 1) / stride, count = size < left ? size : left;
    const long long common = gcd(stride, dilation), period = dilation / common;
    if (count < period) {
        for (long long o = 0; o < count; o++)
            if (((o * stride - pad) % dilation + dilation) % dilation >= in) return o;
        return -1;
    }
    const long long residue = ((-pad) % common + common) % common, largest = dilation - common + residue;
    if (largest < in) return -1;
    return (largest + pad) / common % period * inverse_mod(stride / common % period, period) % period;
}

/* floor_or_ceil((in + 2·pad − span) / stride) + 1, before ceil_mode's last-window rule. */
static long long pool_size_before_rule(long long in, long long span, long long stride, long long pad, int ceil_mode) {
    return floor_div(in + 2 * pad - span + (ceil_mode ? stride - 1 : 0), stride) + 1;
}

/* Pooling (PyTorch's pooling_output_shape):
     out = floor_or_ceil((in + 2·pad − dilation·(kernel − 1) − 1) / stride) + 1,
   and with ceil_mode the last window is dropped when it would start in the
   right padding: if (out − 1)·stride ≥ in + pad then out −= 1.
   Every window must also hold at least one input cell: with dilation a
   window's taps can step over the whole input, and such a window has no
   maximum (PyTorch then reads outside the input). */
static cnn_status pool_out(const char *op, const char *axis, long long in, long long kernel, long long stride,
                           long long pad, long long dilation, int ceil_mode, int32_t *out) {
    if (pad > kernel / 2)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "padding_%s = %lld must be at most half the kernel size %lld / 2 = %lld", axis, pad, kernel,
                        kernel / 2);
    const long long span = effective_kernel(kernel, dilation);
    if (in + 2 * pad > CNN_MAX_ELEMENTS)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "padding_%s: the padded input %lld + 2·%lld must be at most 2^31 - 1",
                        axis, in, pad);
    long long size = pool_size_before_rule(in, span, stride, pad, ceil_mode);
    if (ceil_mode && size > 0 && (size - 1) * stride >= in + pad) size -= 1;
    if (size < 1)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "kernel_%s: the effective kernel dilation·(kernel−1)+1 = %lld·(%lld−1)+1 = %lld "
                        "is larger than the padded input %lld + 2·%lld = %lld",
                        axis, dilation, kernel, span, in, pad, in + 2 * pad);
    const long long o = first_window_missing_input(in, stride, pad, dilation, size);
    if (o >= 0)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "output %s %lld: its window (input %lld to %lld, every %lld) holds no input "
                        "cell, only padding; reduce dilation_%s or padding_%s",
                        axis, o, o * stride - pad, o * stride - pad + span - 1, dilation, axis, axis);
    *out = (int32_t)size;
    return CNN_OK;
}

static cnn_status check_window(const char *op, const cnn_geometry *g) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", g->batch)) ||
        (s = cnn_check_positive(op, "in_channels", g->in_channels)) ||
        (s = cnn_check_positive(op, "in_height", g->in_height)) ||
        (s = cnn_check_positive(op, "in_width", g->in_width)) ||
        (s = cnn_check_positive(op, "kernel_h", g->kernel_h)) ||
        (s = cnn_check_positive(op, "kernel_w", g->kernel_w)) ||
        (s = cnn_check_positive(op, "stride_h", g->stride_h)) ||
        (s = cnn_check_positive(op, "stride_w", g->stride_w)) ||
        (s = cnn_check_positive(op, "dilation_h", g->dilation_h)) ||
        (s = cnn_check_positive(op, "dilation_w", g->dilation_w)))
        return s;
    const int32_t pads[4] = {g->pad_top, g->pad_left, g->pad_bottom, g->pad_right};
    const char *pad_names[4] = {"pad_top", "pad_left", "pad_bottom", "pad_right"};
    for (int i = 0; i < 4; i++)
        if (pads[i] < 0)
            return cnn_fail(CNN_INVALID_ARGUMENT, op, "%s must be at least 0, got %d", pad_names[i], pads[i]);
    return cnn_check_elements(op, "input", g->batch, g->in_channels, g->in_height, g->in_width);
}

static cnn_status check_groups(const char *op, const cnn_geometry *g) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "out_channels", g->out_channels)) ||
        (s = cnn_check_positive(op, "groups", g->groups)))
        return s;
    if (g->in_channels % g->groups)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "in_channels = %d must be divisible by groups = %d", g->in_channels,
                        g->groups);
    if (g->out_channels % g->groups)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "out_channels = %d must be divisible by groups = %d", g->out_channels,
                        g->groups);
    return cnn_check_elements(op, "weight", g->out_channels, g->in_channels / g->groups, g->kernel_h, g->kernel_w);
}

cnn_status cnn_conv2d_geometry(cnn_geometry *g) {
    const char *op = "conv2d";
    cnn_status s;
    if ((s = check_window(op, g)) || (s = check_groups(op, g)) ||
        (s = conv_out(op, "h", g->in_height, g->kernel_h, g->stride_h, g->pad_top + (long long)g->pad_bottom,
                      g->dilation_h, &g->out_height)) ||
        (s = conv_out(op, "w", g->in_width, g->kernel_w, g->stride_w, g->pad_left + (long long)g->pad_right,
                      g->dilation_w, &g->out_width)))
        return s;
    return cnn_check_elements(op, "output", g->batch, g->out_channels, g->out_height, g->out_width);
}

cnn_status cnn_conv_transpose2d_geometry(cnn_geometry *g) {
    const char *op = "conv_transpose2d";
    cnn_status s;
    if (g->output_padding_h < 0 || g->output_padding_w < 0)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "output_padding must be at least 0, got (%d, %d)",
                        g->output_padding_h, g->output_padding_w);
    if ((s = check_window(op, g)) || (s = check_groups(op, g)) ||
        (s = conv_transpose_out(op, "h", g->in_height, g->kernel_h, g->stride_h, g->pad_top + (long long)g->pad_bottom,
                                g->dilation_h, g->output_padding_h, &g->out_height)) ||
        (s = conv_transpose_out(op, "w", g->in_width, g->kernel_w, g->stride_w, g->pad_left + (long long)g->pad_right,
                                g->dilation_w, g->output_padding_w, &g->out_width)))
        return s;
    return cnn_check_elements(op, "output", g->batch, g->out_channels, g->out_height, g->out_width);
}

static cnn_status pool_geometry(const char *op, cnn_geometry *g) {
    cnn_status s;
    if ((s = check_window(op, g))) return s;
    if (g->pad_top != g->pad_bottom || g->pad_left != g->pad_right)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "padding must be symmetric: pad_top = pad_bottom and pad_left = pad_right");
    g->out_channels = g->in_channels;
    if ((s = pool_out(op, "h", g->in_height, g->kernel_h, g->stride_h, g->pad_top, g->dilation_h, g->ceil_mode,
                      &g->out_height)) ||
        (s = pool_out(op, "w", g->in_width, g->kernel_w, g->stride_w, g->pad_left, g->dilation_w, g->ceil_mode,
                      &g->out_width)))
        return s;
    return cnn_check_elements(op, "output", g->batch, g->in_channels, g->out_height, g->out_width);
}

cnn_status cnn_max_pool2d_geometry(cnn_geometry *g) { return pool_geometry("max_pool2d", g); }

cnn_status cnn_avg_pool2d_geometry(cnn_geometry *g) {
    if (g->dilation_h != 1 || g->dilation_w != 1)
        return cnn_fail(CNN_INVALID_ARGUMENT, "avg_pool2d", "dilation must be 1 (average pooling has none)");
    return pool_geometry("avg_pool2d", g);
}

/* ------------------------------------------------------------------------- */

int32_t cnn_conv_out_size(int32_t in, int32_t kernel, int32_t stride, int32_t pad_total, int32_t dilation) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = g.in_channels = g.out_channels = g.in_width = g.kernel_w = 1;
    g.in_height = in, g.kernel_h = kernel, g.stride_h = stride, g.dilation_h = dilation;
    g.pad_top = pad_total;
    return cnn_conv2d_geometry(&g) == CNN_OK ? g.out_height : -1;
}

int32_t cnn_conv_transpose_out_size(int32_t in, int32_t kernel, int32_t stride, int32_t pad_total, int32_t dilation,
                                    int32_t output_padding) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = g.in_channels = g.out_channels = g.in_width = g.kernel_w = 1;
    g.in_height = in, g.kernel_h = kernel, g.stride_h = stride, g.dilation_h = dilation;
    g.pad_top = pad_total, g.output_padding_h = output_padding;
    return cnn_conv_transpose2d_geometry(&g) == CNN_OK ? g.out_height : -1;
}

int32_t cnn_pool_out_size(int32_t in, int32_t kernel, int32_t stride, int32_t pad, int32_t dilation,
                          int32_t ceil_mode) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = g.in_channels = g.in_width = g.kernel_w = 1;
    g.in_height = in, g.kernel_h = kernel, g.stride_h = stride, g.dilation_h = dilation;
    g.pad_top = g.pad_bottom = pad, g.ceil_mode = ceil_mode;
    return cnn_max_pool2d_geometry(&g) == CNN_OK ? g.out_height : -1;
}

int32_t cnn_pool_ceil_size_before_rule(int32_t in, int32_t kernel, int32_t stride, int32_t pad, int32_t dilation) {
    if (cnn_pool_out_size(in, kernel, stride, pad, dilation, 1) < 0) return -1;
    return (int32_t)pool_size_before_rule(in, effective_kernel(kernel, dilation), stride, pad, 1);
}

/* conv params = out_channels · (in_channels / groups) · kernel_h · kernel_w (+ out_channels if bias) */
double cnn_conv2d_params(int32_t in_channels, int32_t out_channels, int32_t kernel_h, int32_t kernel_w, int32_t groups,
                         int32_t bias) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = g.in_height = g.in_width = 1;
    g.in_channels = in_channels, g.out_channels = out_channels, g.groups = groups;
    g.kernel_h = kernel_h, g.kernel_w = kernel_w;
    if (check_window("conv2d params", &g) || check_groups("conv2d params", &g)) return -1;
    return (double)out_channels * (in_channels / groups) * kernel_h * kernel_w + (bias ? out_channels : 0);
}

/* transposed params = in_channels · (out_channels / groups) · kernel_h · kernel_w (+ out_channels if bias):
   the weight [C, OC/G, KH, KW] holds as many numbers as a conv from OC to C, the bias one per output. */
double cnn_conv_transpose2d_params(int32_t in_channels, int32_t out_channels, int32_t kernel_h, int32_t kernel_w,
                                   int32_t groups, int32_t bias) {
    const double weights = cnn_conv2d_params(out_channels, in_channels, kernel_h, kernel_w, groups, 0);
    return weights < 0 ? -1 : weights + (bias ? out_channels : 0);
}

/* conv MACs = batch · out_channels · out_h · out_w · (in_channels / groups) · kernel_h · kernel_w */
double cnn_conv2d_macs(const cnn_geometry *g) {
    cnn_geometry checked = *g;
    if (cnn_conv2d_geometry(&checked)) return -1;
    return (double)checked.batch * checked.out_channels * checked.out_height * checked.out_width *
           (checked.in_channels / checked.groups) * checked.kernel_h * checked.kernel_w;
}

/* transposed conv MACs = batch · in_channels · in_h · in_w · (out_channels / groups) · kernel_h · kernel_w:
   every input cell stamps one scaled kernel per output channel of its group. */
double cnn_conv_transpose2d_macs(const cnn_geometry *g) {
    cnn_geometry checked = *g;
    if (cnn_conv_transpose2d_geometry(&checked)) return -1;
    return (double)checked.batch * checked.in_channels * checked.in_height * checked.in_width *
           (checked.out_channels / checked.groups) * checked.kernel_h * checked.kernel_w;
}

double cnn_macs_to_flops(double macs) { return 2.0 * macs; }

double cnn_linear_macs(int32_t batch, int32_t in_features, int32_t out_features) {
    if (cnn_check_positive("linear macs", "batch", batch) ||
        cnn_check_positive("linear macs", "in_features", in_features) ||
        cnn_check_positive("linear macs", "out_features", out_features))
        return -1;
    return (double)batch * in_features * out_features;
}

/* padding='same': total = dilation·(kernel − 1), begin = total / 2, end = total − begin. */
cnn_status cnn_conv2d_pad_same(cnn_geometry *g) {
    const char *op = "conv2d";
    if (g->stride_h != 1 || g->stride_w != 1)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "padding='same' needs stride 1 (got stride (%d, %d)): with a larger stride "
                        "no padding keeps the output size equal to the input size",
                        g->stride_h, g->stride_w);
    cnn_status s;
    if ((s = cnn_check_positive(op, "kernel_h", g->kernel_h)) ||
        (s = cnn_check_positive(op, "kernel_w", g->kernel_w)) ||
        (s = cnn_check_positive(op, "dilation_h", g->dilation_h)) ||
        (s = cnn_check_positive(op, "dilation_w", g->dilation_w)))
        return s;
    const long long total_h = (long long)g->dilation_h * (g->kernel_h - 1);
    const long long total_w = (long long)g->dilation_w * (g->kernel_w - 1);
    if (total_h > CNN_MAX_ELEMENTS || total_w > CNN_MAX_ELEMENTS)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "padding='same': dilation·(kernel−1) = (%lld, %lld) must be at most 2^31 - 1", total_h,
                        total_w);
    g->pad_top = (int32_t)(total_h / 2), g->pad_bottom = (int32_t)(total_h - g->pad_top);
    g->pad_left = (int32_t)(total_w / 2), g->pad_right = (int32_t)(total_w - g->pad_left);
    return CNN_OK;
}

cnn_status cnn_conv_transpose2d_equivalent(int32_t *result, const cnn_geometry *geometry) {
    cnn_geometry g = *geometry;
    cnn_status s = cnn_conv_transpose2d_geometry(&g);
    if (s) return s;
    const int span_h = g.dilation_h * (g.kernel_h - 1), span_w = g.dilation_w * (g.kernel_w - 1);
    result[0] = (g.in_height - 1) * g.stride_h + 1;
    result[1] = (g.in_width - 1) * g.stride_w + 1;
    result[2] = span_h - g.pad_top;
    result[3] = span_w - g.pad_left;
    result[4] = span_h - g.pad_bottom + g.output_padding_h;
    result[5] = span_w - g.pad_right + g.output_padding_w;
    return CNN_OK;
}

/* linear params = out_features · in_features (+ out_features if bias) */
double cnn_linear_params(int32_t in_features, int32_t out_features, int32_t bias) {
    if (cnn_check_positive("linear params", "in_features", in_features) ||
        cnn_check_positive("linear params", "out_features", out_features))
        return -1;
    return (double)out_features * in_features + (bias ? out_features : 0);
}

/* batch-norm params = 2 · channels (weight γ and bias β) when affine; running stats are buffers. */
double cnn_batch_norm2d_params(int32_t channels, int32_t affine) {
    if (cnn_check_positive("batch_norm2d params", "channels", channels)) return -1;
    if (channels > CNN_MAX_BATCH_NORM_CHANNELS) {
        cnn_fail(CNN_INVALID_ARGUMENT, "batch_norm2d params",
                 "channels = %d must be at most 2^26 = %d: its 4 per-channel arrays (weight, bias, running "
                 "mean and variance) together would pass the 2^28-float (1 GiB) block limit",
                 channels, CNN_MAX_BATCH_NORM_CHANNELS);
        return -1;
    }
    return affine ? 2.0 * channels : 0.0;
}

/* Receptive field, layer by layer (formulas in cnn.h). */
cnn_status cnn_receptive_field(double *result, const int32_t *layers, int32_t count) {
    const char *op = "receptive_field";
    if (count < 0 || count > 10000)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "layer count must be between 0 and 10000, got %d", count);
    double rf = 1, jump = 1, start = 0;
    for (int32_t l = 0; l < count; l++) {
        const int32_t kernel = layers[4 * l], stride = layers[4 * l + 1];
        const int32_t pad = layers[4 * l + 2], dilation = layers[4 * l + 3];
        if (kernel < 1 || stride < 1 || dilation < 1 || pad < 0)
            return cnn_fail(CNN_INVALID_ARGUMENT, op,
                            "layer %d: kernel, stride and dilation must be at least 1 and padding at "
                            "least 0, got kernel %d, stride %d, padding %d, dilation %d",
                            l + 1, kernel, stride, pad, dilation);
        rf += (double)(effective_kernel(kernel, dilation) - 1) * jump;
        start -= pad * jump;
        jump *= stride;
        result[4 * l] = rf;
        result[4 * l + 1] = jump;
        result[4 * l + 2] = start;
        result[4 * l + 3] = start + (rf - 1) / 2;
    }
    return CNN_OK;
}

/* span of output pixel i: [s + i·j, s + i·j + r − 1] */
cnn_status cnn_receptive_field_span(double *span, const int32_t *layers, int32_t count, int32_t index) {
    if (count < 1)
        return cnn_fail(CNN_INVALID_ARGUMENT, "receptive_field_span", "needs at least 1 layer, got %d", count);
    if (index < 0)
        return cnn_fail(CNN_INVALID_ARGUMENT, "receptive_field_span", "index must be at least 0, got %d", index);
    double *rows = malloc((size_t)count * 4 * sizeof(double));
    if (!rows) return cnn_fail(CNN_OUT_OF_MEMORY, "receptive_field_span", "out of memory");
    cnn_status s = cnn_receptive_field(rows, layers, count);
    if (!s) {
        const double *last = rows + 4 * (count - 1);
        span[0] = last[2] + index * last[1];
        span[1] = span[0] + last[0] - 1;
    }
    free(rows);
    return s;
}
