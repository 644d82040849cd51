/* test_edges.c — every conv2d route, conv_transpose2d and the pools at the int32 edges of its geometry fields, against the
   naive reference (reference.c), forward and backward, under ASan + UBSan: the core must
   refuse a geometry with CNN_INVALID_ARGUMENT or give the reference's answer, never read
   or write outside the exactly sized buffers. One axis takes stride, padding (each side)
   and dilation from the edge values while the other stays small, then the axes swap.
   Also the issue's reproducers, the scratch of a small output with far-apart taps, and
   pool_out_size's closed form against a window-by-window scan. */
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "reference.h"

#define LIMIT 0x7fffffff

static const int STRIDES[] = {1, 2, 1 << 30, LIMIT - 1, LIMIT};
static const int PADS[] = {0, 1, (1 << 30) - 1, 1 << 30, LIMIT - 1, LIMIT};
static const int DILATIONS[] = {1, 2, 1 << 30, LIMIT - 1, LIMIT};
#define COUNT(array) ((int)(sizeof array / sizeof array[0]))

/* in_channels, out_channels, groups, kernel_h, kernel_w: the routes conv2d.c picks from
   (depthwise 3×3 and general kernels, im2col, implicit GEMM, grouped, grad_input as a
   forward pass, Winograd F(2×2, 3×3) and along rows where stride and dilation are 1). */
static const int ROUTES[][5] = {{2, 2, 2, 3, 3}, {1, 1, 1, 2, 1}, {2, 3, 1, 2, 3},
                                {4, 4, 2, 3, 1}, {8, 8, 1, 3, 3}, {4, 2, 1, 3, 5}};

/* Tensors above this many elements are not worth allocating (the geometry still runs). */
enum { MAX_TEST_ELEMENTS = 4096 };

static void describe(const cnn_geometry *g, char *text, size_t size) {
    snprintf(text, size,
             "C %d→%d groups %d, in %d×%d, kernel %d×%d, stride (%d, %d), pad (%d, %d, %d, %d), dilation (%d, %d)",
             g->in_channels, g->out_channels, g->groups, g->in_height, g->in_width, g->kernel_h, g->kernel_w,
             g->stride_h, g->stride_w, g->pad_top, g->pad_bottom, g->pad_left, g->pad_right, g->dilation_h,
             g->dilation_w);
}

static int matches(const float *got, const double *want, long long count) {
    for (long long i = 0; i < count; i++)
        if (!close_enough(got[i], want[i], 1e-4, 1e-3)) return 0;
    return 1;
}

/* Runs forward and backward of g (if accepted and small) against the reference; returns
   whether the geometry was accepted. */
static int check_against_reference(const cnn_geometry *geometry) {
    char text[256];
    describe(geometry, text, sizeof text);
    cnn_geometry g = *geometry;
    const cnn_status status = cnn_conv2d_geometry(&g);
    if (status != CNN_OK) {
        float one[1] = {0};
        CHECK(status == CNN_INVALID_ARGUMENT, "%s: geometry status %d", text, status);
        CHECK(cnn_conv2d_forward(one, one, one, one, geometry) == CNN_INVALID_ARGUMENT &&
                  cnn_conv2d_backward(one, one, one, one, one, one, geometry) == CNN_INVALID_ARGUMENT,
              "%s: refused by the geometry but not by the op", text);
        return 0;
    }
    const double in_count = reference_input_count(&g), out_count = reference_output_count(&g);
    const double weight_count = reference_weight_count(&g);
    if (in_count > MAX_TEST_ELEMENTS || out_count > MAX_TEST_ELEMENTS || weight_count > MAX_TEST_ELEMENTS) return 1;
    float *in = random_floats((int)in_count), *weight = random_floats((int)weight_count);
    float *bias = random_floats(g.out_channels), *grad_out = random_floats((int)out_count);
    float *out = filled_floats((int)out_count, SENTINEL), *grad_in = zero_floats((int)in_count);
    float *grad_weight = zero_floats((int)weight_count), *grad_bias = zero_floats(g.out_channels);
    double *want_out = malloc(sizeof(double) * (size_t)out_count), *want_in = malloc(sizeof(double) * (size_t)in_count);
    double *want_weight = malloc(sizeof(double) * (size_t)weight_count);
    double *want_bias = malloc(sizeof(double) * (size_t)g.out_channels);
    reference_conv2d(want_out, in, weight, bias, &g);
    reference_conv2d_backward(want_in, want_weight, want_bias, grad_out, in, weight, &g);
    CHECK(cnn_conv2d_forward(out, in, weight, bias, &g) == CNN_OK, "%s: forward: %s", text, cnn_last_error());
    CHECK(matches(out, want_out, (long long)out_count), "%s: forward differs from the reference", text);
    CHECK(cnn_conv2d_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, &g) == CNN_OK, "%s: backward: %s",
          text, cnn_last_error());
    CHECK(matches(grad_in, want_in, (long long)in_count) &&
              matches(grad_weight, want_weight, (long long)weight_count) &&
              matches(grad_bias, want_bias, g.out_channels),
          "%s: backward differs from the reference", text);
    free(in), free(weight), free(bias), free(grad_out), free(out), free(grad_in), free(grad_weight), free(grad_bias);
    free(want_out), free(want_in), free(want_weight), free(want_bias);
    return 1;
}

/* conv_transpose2d is conv2d's grad_input: with the conv2d geometry c that maps its output
   back to its input (channels and sizes swapped, same window), out = reference backward of
   c with grad_out = in, plus bias; its grad_in is conv2d forward of c, its grad_weight the
   reference weight gradient with the two tensors swapped. */
static void check_transposed_against_reference(const cnn_geometry *geometry) {
    char text[256];
    describe(geometry, text, sizeof text);
    cnn_geometry t = *geometry;
    if (cnn_conv_transpose2d_geometry(&t) != CNN_OK) {
        float one[1] = {0};
        CHECK(cnn_conv_transpose2d_forward(one, one, one, one, geometry) == CNN_INVALID_ARGUMENT,
              "transposed %s: refused by the geometry but not by the op", text);
        return;
    }
    cnn_geometry c = t;
    c.in_channels = t.out_channels, c.out_channels = t.in_channels, c.in_height = t.out_height,
    c.in_width = t.out_width;
    c.out_height = t.in_height, c.out_width = t.in_width;
    const double in_count = reference_output_count(&c), out_count = reference_input_count(&c);
    const double weight_count = reference_weight_count(&c);
    if (in_count > MAX_TEST_ELEMENTS || out_count > MAX_TEST_ELEMENTS || weight_count > MAX_TEST_ELEMENTS) return;
    float *in = random_floats((int)in_count), *weight = random_floats((int)weight_count);
    float *bias = random_floats(t.out_channels), *grad_out = random_floats((int)out_count);
    float *out = filled_floats((int)out_count, SENTINEL), *grad_in = zero_floats((int)in_count);
    float *grad_weight = zero_floats((int)weight_count);
    double *want_out = malloc(sizeof(double) * (size_t)out_count), *want_in = malloc(sizeof(double) * (size_t)in_count);
    double *want_weight = malloc(sizeof(double) * (size_t)weight_count);
    reference_conv2d_backward(want_out, NULL, NULL, in, in, weight, &c);
    const long long plane = (long long)t.out_height * t.out_width;
    for (long long i = 0; i < (long long)out_count; i++) want_out[i] += bias[i / plane % t.out_channels];
    reference_conv2d(want_in, grad_out, weight, NULL, &c);
    reference_conv2d_backward(NULL, want_weight, NULL, in, grad_out, weight, &c);
    CHECK(cnn_conv_transpose2d_forward(out, in, weight, bias, &t) == CNN_OK &&
              matches(out, want_out, (long long)out_count),
          "transposed %s: forward differs from the reference (%s)", text, cnn_last_error());
    CHECK(cnn_conv_transpose2d_backward(grad_in, grad_weight, NULL, grad_out, in, weight, &t) == CNN_OK &&
              matches(grad_in, want_in, (long long)in_count) &&
              matches(grad_weight, want_weight, (long long)weight_count),
          "transposed %s: backward differs from the reference (%s)", text, cnn_last_error());
    free(in), free(weight), free(bias), free(grad_out), free(out), free(grad_in), free(grad_weight);
    free(want_out), free(want_in), free(want_weight);
}

/* Max and average pooling (padding counted out) against the reference; backward checked
   by the sanitizers (and max's own argmax). Pooling keeps the
   channels and needs symmetric padding, so the geometry's own pads are made equal. */
static void check_pools_against_reference(const cnn_geometry *geometry) {
    char text[256];
    cnn_geometry g = *geometry;
    g.pad_bottom = g.pad_top, g.pad_right = g.pad_left, g.count_include_pad = 0;
    describe(&g, text, sizeof text);
    for (int max = 0; max <= 1; max++) {
        cnn_geometry p = g;
        const cnn_status status = max ? cnn_max_pool2d_geometry(&p) : cnn_avg_pool2d_geometry(&p);
        const double in_count = (double)p.batch * p.in_channels * p.in_height * p.in_width;
        const double out_count = (double)p.batch * p.in_channels * p.out_height * p.out_width;
        if (status != CNN_OK || out_count > MAX_TEST_ELEMENTS) continue;
        float *in = random_floats((int)in_count), *out = filled_floats((int)out_count, SENTINEL);
        float *grad_in = zero_floats((int)in_count);
        int32_t *argmax = malloc(sizeof(int32_t) * (size_t)out_count);
        CHECK((max ? cnn_max_pool2d_forward(out, argmax, in, &p) : cnn_avg_pool2d_forward(out, in, &p)) == CNN_OK,
              "%s pool %s: %s", max ? "max" : "avg", text, cnn_last_error());
        double *want = malloc(sizeof(double) * (size_t)out_count);
        reference_pool2d(want, in, &p, max);
        const int same = matches(out, want, (long long)out_count);
        free(want);
        CHECK(same, "%s pool %s: differs from the reference", max ? "max" : "avg", text);
        CHECK((max ? cnn_max_pool2d_backward(grad_in, out, argmax, &p) : cnn_avg_pool2d_backward(grad_in, out, &p)) ==
                  CNN_OK,
              "%s pool backward %s: %s", max ? "max" : "avg", text, cnn_last_error());
        free(in), free(out), free(grad_in), free(argmax);
    }
}

/* The fields of one axis, h (vertical = 1) or w. */
static void set_axis(cnn_geometry *g, int vertical, int in, int stride, int pad_begin, int pad_end, int dilation) {
    if (vertical)
        g->in_height = in, g->stride_h = stride, g->pad_top = pad_begin, g->pad_bottom = pad_end,
        g->dilation_h = dilation;
    else
        g->in_width = in, g->stride_w = stride, g->pad_left = pad_begin, g->pad_right = pad_end,
        g->dilation_w = dilation;
}

static void routes_at_int32_edges(void) {
    static const int OTHER_AXIS[2][4] = {{3, 1, 0, 1}, {4, 2, 1, 2}}; /* in, stride, pad, dilation */
    random_seed(14);
    long accepted = 0, calls = 0;
    for (int r = 0; r < COUNT(ROUTES); r++)
        for (int vertical = 0; vertical < 2; vertical++)
            for (int other = 0; other < 2; other++)
                for (int in = 1; in <= 3; in += 2)
                    for (int s = 0; s < COUNT(STRIDES); s++)
                        for (int d = 0; d < COUNT(DILATIONS); d++)
                            for (int p = 0; p < COUNT(PADS); p++)
                                for (int sides = 0; sides < 3; sides++) { /* both, begin only, end only */
                                    if (p == 0 && sides) continue;
                                    cnn_geometry g = cnn_geometry_default();
                                    g.batch = 2, g.in_channels = ROUTES[r][0], g.out_channels = ROUTES[r][1];
                                    g.groups = ROUTES[r][2], g.kernel_h = ROUTES[r][3], g.kernel_w = ROUTES[r][4];
                                    const int *o = OTHER_AXIS[other];
                                    set_axis(&g, !vertical, o[0], o[1], o[2], o[2], o[3]);
                                    set_axis(&g, vertical, in, STRIDES[s], sides == 2 ? 0 : PADS[p],
                                             sides == 1 ? 0 : PADS[p], DILATIONS[d]);
                                    accepted += check_against_reference(&g);
                                    check_transposed_against_reference(&g);
                                    if (g.in_channels == g.out_channels) check_pools_against_reference(&g);
                                    calls++;
                                }
    CHECK(accepted > calls / 10, "only %ld of %ld edge geometries accepted: the sweep tests little", accepted, calls);
}

/* Issue 14, item 1: stride (2^20, 2^31 − 2), padding (2^30 − 2, 1) on a 1×1 input, kernel 1×3:
   2048 × 1 outputs whose windows hold only padding (0 without bias); the padded-plane size
   (2^31 − 2^20 + 1) · (7·(2^31 − 2) + 3) passes 2^63. Depthwise and general routes. */
static void issue_stride_padding(void) {
    for (int out_channels = 1; out_channels <= 3; out_channels += 2) {
        cnn_geometry g = cnn_geometry_default();
        g.batch = g.in_channels = g.in_height = g.in_width = g.kernel_h = 1, g.out_channels = out_channels;
        g.kernel_w = 3, g.stride_h = 1 << 20, g.stride_w = LIMIT - 1;
        g.pad_top = g.pad_bottom = (1 << 30) - 2, g.pad_left = g.pad_right = 1;
        cnn_geometry solved = g;
        CHECK(cnn_conv2d_geometry(&solved) == CNN_OK && solved.out_height == 2048 && solved.out_width == 1,
              "out %d × %d: %s", solved.out_height, solved.out_width, cnn_last_error());
        check_against_reference(&g);
    }
}

/* Issue 14, item 1: input [1, 2, 1, 1], weight [1, 2, 1, 2], stride (2^30, 1), padding
   (2^30 − 1, 2^30 − 1), dilation (1, 2^31 − 2). PyTorch's formula
   ⌊(in + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1 gives (2, 1); every window holds
   only padding, so the output is 0. */
static void issue_dilation(void) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = g.in_height = g.in_width = g.out_channels = g.kernel_h = 1, g.in_channels = g.kernel_w = 2;
    g.stride_h = 1 << 30, g.pad_top = g.pad_bottom = g.pad_left = g.pad_right = (1 << 30) - 1, g.dilation_w = LIMIT - 1;
    cnn_geometry solved = g;
    CHECK(cnn_conv2d_geometry(&solved) == CNN_OK && solved.out_height == 2 && solved.out_width == 1,
          "out %d × %d, want 2 × 1", solved.out_height, solved.out_width);
    const float in[2] = {1, 2}, weight[4] = {1, 1, 1, 1};
    float out[2] = {SENTINEL, SENTINEL};
    CHECK(cnn_conv2d_forward(out, in, weight, NULL, &g) == CNN_OK && out[0] == 0 && out[1] == 0,
          "out {%g, %g}, want {0, 0}", out[0], out[1]);
    check_against_reference(&g);
}

/* Issue 13 (the binding fuzz's 154-second call): max and average pooling of [2, 4, 4, 4] with
   a 2^31 − 1 kernel, its stride, padding 1 and ceil_mode: PyTorch's formula gives one window
   per plane, from −1 over the whole plane, so out = the plane's max (argmax its first cell
   of that value) or mean. The ops visit only the taps inside the input, so this answers at
   once. Backward routes every gradient back. */
static void pool_kernel_past_the_input(void) {
    enum { PLANES = 8, PLANE = 16 };
    float *in = random_floats(PLANES * PLANE), out[PLANES], grad_in[PLANES * PLANE] = {0};
    int32_t argmax[PLANES];
    cnn_geometry g = cnn_geometry_default();
    g.batch = 2, g.in_channels = 4, g.in_height = g.in_width = 4, g.ceil_mode = 1, g.count_include_pad = 0;
    g.kernel_h = g.kernel_w = g.stride_h = g.stride_w = LIMIT;
    g.pad_top = g.pad_bottom = g.pad_left = g.pad_right = 1;
    CHECK(cnn_max_pool2d_forward(out, argmax, in, &g) == CNN_OK, "max: %s", cnn_last_error());
    int same = 1;
    for (int p = 0; p < PLANES; p++) {
        int winner = 0;
        for (int i = 1; i < PLANE; i++) winner = in[p * PLANE + i] > in[p * PLANE + winner] ? i : winner;
        same &= argmax[p] == winner && out[p] == in[p * PLANE + winner];
    }
    CHECK(same, "max pool, kernel 2^31 − 1: not each plane's max");
    CHECK(cnn_max_pool2d_backward(grad_in, out, argmax, &g) == CNN_OK, "max backward: %s", cnn_last_error());
    CHECK(cnn_avg_pool2d_forward(out, in, &g) == CNN_OK, "avg: %s", cnn_last_error());
    same = 1;
    for (int p = 0; p < PLANES; p++) {
        double sum = 0.0;
        for (int i = 0; i < PLANE; i++) sum += in[p * PLANE + i];
        same &= close_enough(out[p], sum / PLANE, 1e-6, 1e-5);
    }
    CHECK(same, "avg pool, kernel 2^31 − 1: not each plane's mean");
    CHECK(cnn_avg_pool2d_backward(grad_in, out, &g) == CNN_OK, "avg backward: %s", cnn_last_error());
    free(in);
}

/* Issue 14, item 7: a 5×5 output of a 5×5 kernel with padding (2, 2^23) and dilation
   (1, 2^22): each window's taps land 2^22 apart, one of them on the input. The padded copy
   the implicit GEMM would read is 9 rows of 2^24 columns; what im2col unfolds is 2·25 taps
   by 25 outputs. No call may allocate more than 1 MiB; nor for the depthwise case below. */
static void far_apart_taps_cost_what_the_output_reads(void) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = 1, g.in_channels = 2, g.out_channels = 3, g.in_height = g.in_width = 5, g.kernel_h = g.kernel_w = 5;
    g.pad_top = g.pad_bottom = 2, g.pad_left = g.pad_right = 1 << 23, g.dilation_w = 1 << 22;
    reset_largest_malloc();
    check_against_reference(&g);
    CHECK(largest_malloc_since_reset() <= (1 << 20), "largest allocation %zu bytes", largest_malloc_since_reset());
    /* found by the fuzzer: depthwise grad_input spread 1×2 grad_out cells at stride 2^22 and sized its
       buffer by that spread, 196,614 × 11 floats for a 6×5 input */
    g = cnn_geometry_default();
    g.batch = 1, g.in_channels = g.out_channels = g.groups = 2, g.in_height = 6, g.in_width = 5;
    g.kernel_h = g.kernel_w = 4, g.stride_h = g.stride_w = 1 << 22, g.pad_top = g.pad_left = 1 << 22;
    g.pad_bottom = g.pad_right = 1, g.dilation_h = 1 << 16;
    reset_largest_malloc();
    check_against_reference(&g);
    CHECK(largest_malloc_since_reset() <= (1 << 20), "depthwise: largest allocation %zu bytes",
          largest_malloc_since_reset());
}

/* Pooling's window rule, window by window: with the size from PyTorch's formula, each
   window's taps first + t·dilation (t < kernel) must hold a cell of [0, in). */
static int scanned_pool_out_size(int in, int kernel, int stride, int pad, int dilation, int ceil_mode) {
    if (pad > kernel / 2) return -1;
    const long long span = (long long)dilation * (kernel - 1) + 1, padded = in + 2LL * pad - span;
    long long size = (padded + (ceil_mode ? stride - 1 : 0)) / stride + 1;
    if (padded + (ceil_mode ? stride - 1 : 0) < 0) return -1;
    if (ceil_mode && (size - 1) * stride >= in + pad) size--;
    if (size < 1) return -1;
    for (long long o = 0; o < size; o++) {
        int hit = 0;
        for (long long t = 0; t < kernel && !hit; t++) {
            const long long at = o * stride - pad + t * dilation;
            hit = at >= 0 && at < in;
        }
        if (!hit) return -1;
    }
    return (int)size;
}

static void pool_out_size_closed_form(void) {
    long differences = 0;
    for (int in = 1; in <= 12; in++)
        for (int kernel = 1; kernel <= 7; kernel++)
            for (int stride = 1; stride <= 5; stride++)
                for (int pad = 0; pad <= kernel / 2; pad++)
                    for (int dilation = 1; dilation <= 9; dilation++)
                        for (int ceil_mode = 0; ceil_mode <= 1; ceil_mode++) {
                            const int got = cnn_pool_out_size(in, kernel, stride, pad, dilation, ceil_mode);
                            const int want = scanned_pool_out_size(in, kernel, stride, pad, dilation, ceil_mode);
                            if (got != want && ++differences <= 5)
                                CHECK(0, "pool_out_size(%d, %d, %d, %d, %d, %d) = %d, the scan gives %d", in, kernel,
                                      stride, pad, dilation, ceil_mode, got, want);
                        }
    CHECK(differences == 0, "%ld differences", differences);
    /* issue 14, item 7: 2^29 windows overhang the left border; answered without visiting them */
    CHECK(cnn_pool_out_size((1 << 30) - 1, 1 << 30, 1, (1 << 29) - 1, 1, 0) == (1 << 30) - 2, "pool_out_size at 2^30");
    /* the miss found by the congruence: stride 3, dilation 2^20 + 7, a 2-cell input */
    CHECK(cnn_pool_out_size(2, 4, 3, 2, (1 << 20) + 7, 0) == -1, "a window of only padding must be refused");
}

void test_edges(void) {
    run_isolated("conv2d routes, conv_transpose2d and pools at int32 edges, against the reference",
                 routes_at_int32_edges);
    run_isolated("issue 14: stride 2^31 − 2, padding 2^30 − 2", issue_stride_padding);
    run_isolated("issue 14: dilation 2^31 − 2", issue_dilation);
    run_isolated("scratch of far-apart taps", far_apart_taps_cost_what_the_output_reads);
    run_isolated("pool_out_size closed form against the scan", pool_out_size_closed_form);
    run_isolated("pooling with a 2^31 − 1 kernel over a 4×4 plane", pool_kernel_past_the_input);
}
