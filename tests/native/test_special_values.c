/* test_special_values.c — NaN, infinities and ties, as PyTorch treats them:
   max pooling propagates NaN (PyTorch's CPU kernel takes a tap when
   `val > max || isnan(val)`, so the last NaN of a window wins), ties keep the
   first tap in row-major order, padding never wins; ReLU passes NaN forward
   and sends no gradient through it; a convolution's NaN or ∞ reaches only the
   outputs whose window holds it, on the Winograd-shaped layers too. */
#include <math.h>
#include <stdlib.h>
#include "harness.h"

static cnn_geometry pool_2x2(int height, int width, int stride, int pad) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = 1, g.in_channels = 1, g.in_height = height, g.in_width = width;
    g.kernel_h = g.kernel_w = 2, g.stride_h = g.stride_w = stride;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = pad;
    return g;
}

/* A 2×16 plane in eight 2×2 windows, wide enough for the SIMD kernel's
   groups of four: windows 0–3 hold one NaN at tap 0–3, windows 4–5 two NaNs
   (taps 0 and 2, 1 and 3; the later wins), windows 6–7 none. Every other
   value is larger than the NaN's neighbours, so only the NaN rule keeps NaN. */
static void max_pool_nan(void) {
    enum { W = 16, WINDOWS = 8 };
    static const int NAN_TAPS[WINDOWS][2] = {{0, -1}, {1, -1}, {2, -1}, {3, -1}, {0, 2}, {1, 3}, {-1, -1}, {-1, -1}};
    float in[2 * W], out[WINDOWS], grad_in[2 * W] = {0}, grad_out[WINDOWS];
    int32_t argmax[WINDOWS];
    for (int i = 0; i < 2 * W; i++) in[i] = (float)(i % W + 10 * (i / W));
    int32_t want[WINDOWS];
    for (int w = 0; w < WINDOWS; w++) {
        grad_out[w] = (float)(w + 1);
        want[w] = W + 2 * w + 1; /* the largest value: bottom right */
        for (int k = 0; k < 2 && NAN_TAPS[w][k] >= 0; k++) {
            const int tap = NAN_TAPS[w][k];
            want[w] = tap / 2 * W + 2 * w + tap % 2;
            in[want[w]] = NAN;
        }
    }
    cnn_geometry g = pool_2x2(2, W, 2, 0);
    CHECK(cnn_max_pool2d_forward(out, argmax, in, &g) == CNN_OK, "max_pool2d: %s", cnn_last_error());
    for (int w = 0; w < WINDOWS; w++)
        CHECK(argmax[w] == want[w] && (NAN_TAPS[w][0] >= 0 ? isnan(out[w]) : out[w] == in[want[w]]),
              "window %d: out %g at %d, want %s at %d", w, out[w], argmax[w], NAN_TAPS[w][0] >= 0 ? "NaN" : "max",
              want[w]);
    int routed = cnn_max_pool2d_backward(grad_in, grad_out, argmax, &g) == CNN_OK;
    for (int w = 0; w < WINDOWS; w++) routed &= grad_in[want[w]] == grad_out[w];
    CHECK(routed, "max_pool2d backward sends each gradient to its window's winner, NaN or not");
    float trace_result[2];
    cnn_trace_term terms[4];
    CHECK(cnn_pool2d_trace(terms, 4, trace_result, in, &g, 0, 0, 0, 0, 5) == 4 && isnan(trace_result[0]) &&
              trace_result[1] == 3,
          "the trace of window 5 names its last NaN tap (index 3), got %g", trace_result[1]);
}

static void max_pool_infinities_ties_padding(void) {
    const float minus_infinity[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    float out[9];
    int32_t argmax[9];
    cnn_geometry g = pool_2x2(2, 2, 2, 0);
    CHECK(cnn_max_pool2d_forward(out, argmax, minus_infinity, &g) == CNN_OK && out[0] == -INFINITY && argmax[0] == 0,
          "a window of −∞ gives −∞ at its first tap, got %g at %d", out[0], argmax[0]);
    const float ties[4] = {2, 2, 2, 2};
    CHECK(cnn_max_pool2d_forward(out, argmax, ties, &g) == CNN_OK && out[0] == 2 && argmax[0] == 0,
          "ties keep the first tap, got %d", argmax[0]);
    /* stride 1, padding 1: the corner windows hold one input cell and three
       padding cells; negative inputs must still win over the padding */
    const float negative[4] = {-4, -3, -2, -1};
    g = pool_2x2(2, 2, 1, 1);
    CHECK(cnn_max_pool2d_forward(out, argmax, negative, &g) == CNN_OK && out[0] == -4 && argmax[0] == 0 &&
              out[8] == -1 && argmax[8] == 3 && out[4] == -1,
          "padding never wins: out[0] = %g, out[8] = %g", out[0], out[8]);
}

static void avg_pool_nan(void) {
    const float in[4] = {1, NAN, 3, 4};
    float out[1];
    const cnn_geometry g = pool_2x2(2, 2, 2, 0);
    CHECK(cnn_avg_pool2d_forward(out, in, &g) == CNN_OK && isnan(out[0]), "avg_pool2d propagates NaN");
}

static void relu_nan(void) {
    const float in[5] = {NAN, -1.0f, 2.0f, INFINITY, -INFINITY}, grad_out[5] = {1, 1, 1, 1, 1};
    float out[5], grad_in[5] = {0};
    CHECK(cnn_relu_forward(out, in, 5) == CNN_OK && isnan(out[0]) && out[1] == 0 && out[2] == 2 && out[3] == INFINITY &&
              out[4] == 0,
          "relu passes NaN and +∞, zeroes −1 and −∞");
    CHECK(cnn_relu_backward(grad_in, grad_out, in, 5) == CNN_OK && grad_in[0] == 0 && grad_in[1] == 0 &&
              grad_in[2] == 1 && grad_in[3] == 1 && grad_in[4] == 0,
          "relu backward: gradient where x > 0 only (none through NaN), got %g", grad_in[0]);
}

/* One input cell of a stride-1 layer (batch 1, square kernel, padding k/2) set to `special`
   (NaN or +∞), every other input and weight positive: output (oc, y, x) must be NaN (or +∞)
   exactly where its window holds the cell, for every oc, and finite elsewhere; with NaN in
   one grad_out cell instead, grad_in likewise. */
static void conv_special_stays_local(const char *label, int channels, int kernel, int height, int width,
                                     float special) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = 1, g.in_channels = g.out_channels = channels, g.in_height = height, g.in_width = width;
    g.kernel_h = g.kernel_w = kernel;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = kernel / 2;
    const int plane = height * width, count = channels * plane, weights = channels * channels * kernel * kernel;
    const int cell_c = channels / 2, cell_y = height / 2, cell_x = width / 2 + 1, reach = kernel / 2;
    float *in = zero_floats(count), *weight = zero_floats(weights), *out = zero_floats(count);
    float *grad_out = zero_floats(count), *grad_in = zero_floats(count);
    for (int i = 0; i < count; i++) in[i] = grad_out[i] = 0.5f + (float)(i % 7) / 8;
    for (int i = 0; i < weights; i++) weight[i] = 0.25f + (float)(i % 5) / 16;
    in[cell_c * plane + cell_y * width + cell_x] = special;
    grad_out[cell_c * plane + cell_y * width + cell_x] = NAN;
    CHECK(cnn_conv2d_forward(out, in, weight, NULL, &g) == CNN_OK, "%s: %s", label, cnn_last_error());
    CHECK(cnn_conv2d_backward(grad_in, NULL, NULL, grad_out, in, weight, &g) == CNN_OK, "%s: %s", label,
          cnn_last_error());
    int local = 1, grad_local = 1;
    for (int c = 0; c < channels; c++)
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                const int i = c * plane + y * width + x;
                const int covers = abs(y - cell_y) <= reach && abs(x - cell_x) <= reach;
                local &= covers ? (isnan(special) ? isnan(out[i]) : out[i] == special) : isfinite(out[i]);
                grad_local &= covers ? isnan(grad_in[i]) : isfinite(grad_in[i]);
            }
    CHECK(local, "%s: %g in one input cell must reach exactly the outputs whose window holds it", label, special);
    CHECK(grad_local, "%s: NaN in one grad_out cell must reach exactly the inputs its window holds", label);
    free(in), free(weight), free(out), free(grad_out), free(grad_in);
}

void test_special_values(void) {
    conv_special_stays_local("conv2d 8 → 8 3×3 (Winograd-shaped)", 8, 3, 8, 8, NAN);
    conv_special_stays_local("conv2d 8 → 8 3×3 (Winograd-shaped)", 8, 3, 8, 8, INFINITY);
    conv_special_stays_local("conv2d 4 → 4 5×5 (Winograd-rows-shaped)", 4, 5, 6, 12, NAN);
    conv_special_stays_local("conv2d 4 → 4 5×5 (Winograd-rows-shaped)", 4, 5, 6, 12, INFINITY);
    conv_special_stays_local("conv2d 2 → 2 7×7 (Winograd-rows-shaped)", 2, 7, 8, 12, NAN);
    max_pool_nan();
    max_pool_infinities_ties_padding();
    avg_pool_nan();
    relu_nan();
}
