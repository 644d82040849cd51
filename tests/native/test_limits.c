/* test_limits.c — geometries at the int32 limits. Every field fits an int32,
   but a padded input (in + pad_top + pad_bottom), an effective kernel
   dilation·(kernel − 1) + 1, a zero-inserted input (in − 1)·stride + 1 or a
   window end offset + stride − 1 may not. The core must either refuse with
   CNN_INVALID_ARGUMENT or compute the right answer; int32 overflow on the way
   is undefined behaviour, which UBSan turns into an abort, so each case runs
   in its own process. Buffers are small: only a cell or two of each window
   lies inside the input. Element counts are products of four int32s, which
   can pass even int64. */
#include <stdlib.h>
#include "cnn_train.h"
#include "harness.h"
#include "kernels/window.h"

#define INT32_LIMIT 0x7fffffff

/* 1 → out_channels, a 1×1 input, kernel_h × 1 taps every `dilation` rows, padding `pad` above and below. */
static cnn_geometry tall_window(int out_channels, int kernel_h, int dilation_h, int pad) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = g.in_channels = 1, g.out_channels = out_channels;
    g.in_height = g.in_width = 1, g.kernel_h = kernel_h, g.kernel_w = 1, g.dilation_h = dilation_h;
    g.pad_top = g.pad_bottom = pad;
    return g;
}

static int refused(cnn_status status, const char *op) {
    CHECK(status == CNN_OK || status == CNN_INVALID_ARGUMENT, "%s returned %d", op, status);
    return status == CNN_INVALID_ARGUMENT;
}

/* Products of four sizes near 2^31 reach 2^124: the checks must not overflow. */
static void window_element_counts_past_int64(void) {
    cnn_geometry g = tall_window(1, 1, 1, 0);
    g.batch = g.in_channels = g.in_height = g.in_width = INT32_LIMIT;
    CHECK_FAILS(cnn_conv2d_geometry(&g), CNN_INVALID_ARGUMENT, "conv2d", "input");
    CHECK_FAILS(cnn_max_pool2d_geometry(&g), CNN_INVALID_ARGUMENT, "max_pool2d", "input");
    g = tall_window(INT32_LIMIT, INT32_LIMIT, 1, 0);
    g.in_channels = g.kernel_w = INT32_LIMIT;
    CHECK_FAILS(cnn_conv_transpose2d_geometry(&g), CNN_INVALID_ARGUMENT, "conv_transpose2d", "weight");
    /* input, weight and padded extents each just fit; the output is (2^31 − 1)^4 */
    g = tall_window(INT32_LIMIT, 1, 1, 0);
    g.batch = INT32_LIMIT, g.pad_top = g.pad_left = INT32_LIMIT - 1;
    CHECK_FAILS(cnn_conv2d_geometry(&g), CNN_INVALID_ARGUMENT, "conv2d", "output");
}

static void conv2d_params_past_int64(void) {
    CHECK(cnn_conv2d_params(INT32_LIMIT, INT32_LIMIT, INT32_LIMIT, INT32_LIMIT, 1, 1) == -1,
          "conv2d params of 2^124 weights must be refused");
}

static void plain_size_element_counts_past_int64(void) {
    float buffer[4] = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};
    CHECK_FAILS(cnn_batch_norm2d_forward(buffer, buffer, buffer, buffer, buffer, buffer, NULL, NULL, 0, 0.1f, 1e-5f,
                                         INT32_LIMIT, INT32_LIMIT, INT32_LIMIT, INT32_LIMIT),
                CNN_INVALID_ARGUMENT, "batch_norm2d", "input");
    CHECK_FAILS(
        cnn_adaptive_avg_pool2d_forward(buffer, buffer, INT32_LIMIT, INT32_LIMIT, INT32_LIMIT, INT32_LIMIT, 1, 1),
        CNN_INVALID_ARGUMENT, "adaptive_avg_pool2d", "input");
    CHECK(all_equal(buffer, 4, SENTINEL), "a refused op wrote into its buffer");
}

/* pad_same for kernel 65537, dilation 65536: the total 2^32 fits no int32 pad. */
static void pad_same_total_past_int32(void) {
    cnn_geometry g = tall_window(1, 65537, 65536, 0);
    CHECK_FAILS(cnn_conv2d_pad_same(&g), CNN_INVALID_ARGUMENT, "conv2d", "pad");
}

/* Input 3 at stride 2^30 + 1 with padding 2 + 2 gives output 2^31 − 1, which
   fits; the zero-inserted input (3 − 1)·stride + 1 = 2^31 + 3 does not. */
static void transposed_equivalent_past_int32(void) {
    cnn_geometry g = tall_window(1, 1, 1, 2);
    g.in_height = 3, g.stride_h = (1 << 30) + 1;
    int32_t result[6];
    CHECK_FAILS(cnn_conv_transpose2d_equivalent(result, &g), CNN_INVALID_ARGUMENT, "conv_transpose2d", "");
}

/* Padding 2^31 − 1 above and below, kernel 3 at dilation 2^31 − 1: one output
   row, whose middle tap lands on the single input cell:
   out[oc] = weight[oc][1]·in + bias[oc]. out_channels 1 takes the depthwise
   kernel, 2 the general path. */
static void conv2d_padding_past_int32(int out_channels) {
    const cnn_geometry g = tall_window(out_channels, 3, INT32_LIMIT, INT32_LIMIT);
    const float in[1] = {2.0f}, weight[6] = {1, 3, 5, 7, 11, 13}, bias[2] = {0.5f, -0.5f};
    float out[2] = {SENTINEL, SENTINEL};
    if (refused(cnn_conv2d_forward(out, in, weight, bias, &g), "conv2d")) return;
    for (int oc = 0; oc < out_channels; oc++)
        CHECK(out[oc] == weight[oc * 3 + 1] * in[0] + bias[oc], "conv2d out[%d] = %g", oc, out[oc]);
    cnn_trace_term terms[3];
    float result[2];
    const int count = cnn_conv2d_trace(terms, 3, result, in, weight, bias, &g, 0, 0, 0, 0);
    if (count < 0) return;
    CHECK(count == 3 && result[0] == out[0] && terms[1].in_bounds && !terms[0].in_bounds && !terms[2].in_bounds,
          "conv2d trace: %d terms, result %g", count, result[0]);
}

/* Padding 2^31 − 1 above and below, kernel 65537 at dilation 65536: output
   rows (0 − 1)·1 − (2^32 − 2) + 2^32 + 1 = 3; tap 32768 lands on row
   32768·65536 − (2^31 − 1) = 1. */
static void conv_transpose2d_padding_past_int32(void) {
    const cnn_geometry g = tall_window(1, 65537, 65536, INT32_LIMIT);
    const float in[1] = {2.0f}, bias[1] = {0.25f};
    float *weight = filled_floats(65537, 1.0f), out[3] = {SENTINEL, SENTINEL, SENTINEL};
    weight[32768] = 3.0f;
    if (!refused(cnn_conv_transpose2d_forward(out, in, weight, bias, &g), "conv_transpose2d")) {
        CHECK(out[0] == 0.25f && out[1] == 6.25f && out[2] == 0.25f, "conv_transpose2d out = {%g, %g, %g}", out[0],
              out[1], out[2]);
        cnn_trace_term terms[1];
        float result[2];
        const int count = cnn_conv_transpose2d_trace(terms, 1, result, in, weight, bias, &g, 0, 0, 1, 0);
        CHECK(count == 1 && terms[0].kernel_row == 32768 && result[0] == 6.25f,
              "conv_transpose2d trace of row 1: %d terms, result %g", count, result[0]);
    }
    free(weight);
}

/* out[oc][oh][ow] = bias[oc] + Σ_c,kh,kw in[c][oh·s − pad + kh·d][ow·s − pad + kw·d] · weight[oc][c][kh][kw]
   (groups 1), in double and 64-bit coordinates. */
static float naive_conv2d(const float *in, const float *weight, const float *bias, const cnn_geometry *g, int oc,
                          int oh, int ow) {
    double sum = bias[oc];
    for (int c = 0; c < g->in_channels; c++)
        for (int kh = 0; kh < g->kernel_h; kh++)
            for (int kw = 0; kw < g->kernel_w; kw++) {
                const long long h = (long long)oh * g->stride_h - g->pad_top + (long long)kh * g->dilation_h;
                const long long w = (long long)ow * g->stride_w - g->pad_left + (long long)kw * g->dilation_w;
                if (h >= 0 && h < g->in_height && w >= 0 && w < g->in_width)
                    sum += in[(c * g->in_height + h) * g->in_width + w] *
                           weight[((oc * g->in_channels + c) * g->kernel_h + kh) * g->kernel_w + kw];
            }
    return (float)sum;
}

/* stride_w 2^31 − 2 on a 5×7 input: one output column. Windows computed as
   ceil((limit − offset) / stride) = (limit − offset + stride − 1) / stride
   pass int32 on the way. in → out channels 1 → 1 (depthwise), 1 → 2 (direct),
   2 → 2 (im2col). */
static void conv2d_stride_past_int32(void) {
    static const int CHANNELS[3][2] = {{1, 1}, {1, 2}, {2, 2}};
    for (int path = 0; path < 3; path++) {
        cnn_geometry g = tall_window(CHANNELS[path][1], 3, 1, 1);
        g.in_channels = CHANNELS[path][0];
        g.in_height = 5, g.in_width = 7, g.kernel_w = 3, g.pad_left = g.pad_right = 1, g.stride_w = INT32_LIMIT - 1;
        float *in = random_floats(2 * 35), *weight = random_floats(2 * 2 * 9), *bias = random_floats(2);
        float out[2 * 5] = {0};
        if (!refused(cnn_conv2d_forward(out, in, weight, bias, &g), "conv2d")) {
            int same = cnn_conv2d_geometry(&g) == CNN_OK && g.out_width == 1;
            for (int oc = 0; oc < g.out_channels && same; oc++)
                for (int oh = 0; oh < 5; oh++)
                    same &= close_enough(out[oc * 5 + oh], naive_conv2d(in, weight, bias, &g, oc, oh, 0), 1e-5, 1e-5);
            CHECK(same, "conv2d %d → %d channels with stride_w 2^31 − 2 differs from the naive sum", g.in_channels,
                  g.out_channels);
        }
        free(in), free(weight), free(bias);
    }
}

/* A 1×1 input at stride 2^31 − 2 through a 3×3 transposed kernel: a 3×3 output, in·weight + bias. */
static void conv_transpose2d_stride_past_int32(void) {
    cnn_geometry g = tall_window(1, 3, 1, 0);
    g.kernel_w = 3, g.stride_h = g.stride_w = INT32_LIMIT - 1;
    const float in[1] = {2.0f}, weight[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, bias[1] = {0.5f};
    float out[9] = {0};
    if (refused(cnn_conv_transpose2d_forward(out, in, weight, bias, &g), "conv_transpose2d")) return;
    int same = 1;
    for (int i = 0; i < 9; i++) same &= out[i] == 2.0f * weight[i] + 0.5f;
    CHECK(same, "conv_transpose2d of a 1×1 input at stride 2^31 − 2 must stamp the kernel once");
}

/* The interior columns the SIMD kernels take (kernels/window.c) for a max
   pool 6 wide, padding 3, stride 2^31 − 2 on 5 columns: one output column
   whose window starts in the padding, so none is interior. The pools then
   read columns −3 … 2 of which 0 … 2 exist, and write one cell between guards. */
static void window_interior_stride_past_int32(void) {
    cnn_geometry g = tall_window(1, 1, 1, 0);
    g.in_width = 5, g.kernel_w = 6, g.pad_left = g.pad_right = 3, g.stride_w = INT32_LIMIT - 1;
    CHECK(cnn_max_pool2d_geometry(&g) == CNN_OK && g.out_width == 1, "max_pool2d: %s", cnn_last_error());
    int begin, end;
    cnn_window_interior_cols(&g, &begin, &end);
    CHECK(begin == end && begin >= 0 && begin <= 1, "interior columns [%d, %d), want none", begin, end);
    const float in[5] = {3, 9, 4, 20, 30};
    float out[3] = {SENTINEL, SENTINEL, SENTINEL}; /* guard, cell, guard */
    int32_t argmax[3] = {-7, -7, -7};
    CHECK(cnn_max_pool2d_forward(out + 1, argmax + 1, in, &g) == CNN_OK && out[1] == 9 && argmax[1] == 1 &&
              out[0] == SENTINEL && out[2] == SENTINEL && argmax[0] == -7 && argmax[2] == -7,
          "max_pool2d at stride 2^31 − 2: out %g (want 9), argmax %d, guards %g %g", out[1], argmax[1], out[0], out[2]);
    g.count_include_pad = 0;
    CHECK(cnn_avg_pool2d_forward(out + 1, in, &g) == CNN_OK && close_enough(out[1], 16.0 / 3, 1e-6, 1e-6) &&
              out[0] == SENTINEL && out[2] == SENTINEL,
          "avg_pool2d at stride 2^31 − 2: out %g (want 16/3), guards %g %g", out[1], out[0], out[2]);
}

/* Found by make fuzz: avg_pool2d's divisor with count_include_pad is the padded window's
   size, rows × cols, which passes 2^31 for a kernel of 2^23 + 1 a side (padding 2^22, the
   most PyTorch allows): 8,388,609² ≈ 7.04e13 cells. On a 1×1 input there is one window,
   and the one input value is divided by that count, in 64 bits, forward and backward. */
static void avg_pool2d_divisor_past_int32(void) {
    const int kernel = (1 << 23) + 1, pad = 1 << 22;
    cnn_geometry g = tall_window(1, kernel, 1, pad);
    g.kernel_w = kernel, g.pad_left = g.pad_right = pad;
    CHECK(cnn_avg_pool2d_geometry(&g) == CNN_OK && g.out_height == 1 && g.out_width == 1, "avg_pool2d: %s",
          cnn_last_error());
    const double cells = (double)kernel * kernel;
    const float in[1] = {1e12f};
    float out[1] = {SENTINEL}, grad_in[1] = {0}; /* backward adds into grad_in */
    CHECK(cnn_avg_pool2d_forward(out, in, &g) == CNN_OK && close_enough(out[0], 1e12 / cells, 1e-6, 1e-6),
          "avg_pool2d divisor: out %g, want %g", out[0], 1e12 / cells);
    const float grad_out[1] = {1e12f};
    CHECK(cnn_avg_pool2d_backward(grad_in, grad_out, &g) == CNN_OK &&
              close_enough(grad_in[0], 1e12 / cells, 1e-6, 1e-6),
          "avg_pool2d backward divisor: %g, want %g", grad_in[0], 1e12 / cells);
}

static void depthwise_conv2d_padding_past_int32(void) { conv2d_padding_past_int32(1); }
static void general_conv2d_padding_past_int32(void) { conv2d_padding_past_int32(2); }

/* Issue 14, item 8: max_shift 2^30 and 2^31 − 1 made 2·max_shift + 1 wrap, giving shifts
   outside ±max_shift. Every shift stays within it, and an image shifted past its size is all fill. */
static void random_shift_past_int32(void) {
    static const int32_t MAX_SHIFTS[] = {1 << 30, INT32_LIMIT};
    enum { BATCH = 64 };
    float in[BATCH * 4], out[BATCH * 4];
    int32_t shifts[2 * BATCH];
    for (int i = 0; i < BATCH * 4; i++) in[i] = (float)i;
    for (int m = 0; m < 2; m++) {
        const int32_t max_shift = MAX_SHIFTS[m];
        CHECK(cnn_random_shift(out, shifts, in, -1.0f, max_shift, 7u, BATCH, 1, 2, 2) == CNN_OK, "%s",
              cnn_last_error());
        int within = 1, filled = 1, spread = 0;
        for (int n = 0; n < BATCH; n++) {
            const long long dy = shifts[2 * n], dx = shifts[2 * n + 1];
            within &= dy >= -max_shift && dy <= max_shift && dx >= -max_shift && dx <= max_shift;
            spread |= dy > max_shift / 2 || dy < -max_shift / 2;
            if (dy <= -2 || dy >= 2 || dx <= -2 || dx >= 2) filled &= all_equal(out + 4 * n, 4, -1.0f);
        }
        CHECK(within && filled && spread,
              "random_shift with max_shift %d: shifts within ±max %d, outside images filled %d, "
              "spread %d",
              max_shift, within, filled, spread);
    }
}

void test_limits(void) {
    run_isolated("random_shift, max_shift past int32", random_shift_past_int32);
    run_isolated("window geometry element counts past int64", window_element_counts_past_int64);
    run_isolated("conv2d params past int64", conv2d_params_past_int64);
    run_isolated("batch norm and adaptive pool element counts past int64", plain_size_element_counts_past_int64);
    run_isolated("pad_same total past int32", pad_same_total_past_int32);
    run_isolated("conv_transpose2d_equivalent past int32", transposed_equivalent_past_int32);
    run_isolated("depthwise conv2d, padding past int32", depthwise_conv2d_padding_past_int32);
    run_isolated("conv2d, padding past int32", general_conv2d_padding_past_int32);
    run_isolated("conv_transpose2d, padding past int32", conv_transpose2d_padding_past_int32);
    run_isolated("conv2d, stride 2^31 − 2", conv2d_stride_past_int32);
    run_isolated("conv_transpose2d, stride 2^31 − 2", conv_transpose2d_stride_past_int32);
    run_isolated("SIMD interior columns, stride 2^31 − 2", window_interior_stride_past_int32);
    run_isolated("avg_pool2d divisor past int32", avg_pool2d_divisor_past_int32);
}
