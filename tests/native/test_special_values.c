/* test_special_values.c — NaN, infinities and ties, as PyTorch treats them:
   max pooling propagates NaN (PyTorch's CPU kernel takes a tap when
   `val > max || isnan(val)`, so the last NaN of a window wins), ties keep the
   first tap in row-major order, padding never wins; ReLU passes NaN forward
   and sends no gradient through it. */
#include <math.h>
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
    CHECK(cnn_relu_forward(out, in, 5) == CNN_OK && isnan(out[0]) && out[1] == 0 && out[2] == 2 &&
              out[3] == INFINITY && out[4] == 0,
          "relu passes NaN and +∞, zeroes −1 and −∞");
    CHECK(cnn_relu_backward(grad_in, grad_out, in, 5) == CNN_OK && grad_in[0] == 0 && grad_in[1] == 0 &&
              grad_in[2] == 1 && grad_in[3] == 1 && grad_in[4] == 0,
          "relu backward: gradient where x > 0 only (none through NaN), got %g", grad_in[0]);
}

void test_special_values(void) {
    max_pool_nan();
    max_pool_infinities_ties_padding();
    avg_pool_nan();
    relu_nan();
}
