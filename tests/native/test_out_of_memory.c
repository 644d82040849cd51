/* test_out_of_memory.c — every allocation of every op that allocates is made
   to fail in turn (harness.c wraps malloc), conv2d's from an empty plan cache (its plan is
   where it allocates): the op must return
   CNN_OUT_OF_MEMORY with an error that names the op the caller called and
   says "memory", free what it had allocated (ASan's leak check), and once no
   allocation fails, give the same answer as an undisturbed run. Then sizes
   whose scratch cannot be had at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "internal.h"

enum { MAX_ALLOCATIONS = 64, BUFFER = 1024 };

typedef enum {
    CONV2D_DIRECT, /* 1 input channel: the padded-copy direct kernel */
    CONV2D_IM2COL,
    CONV2D_WINOGRAD,               /* 3×3 stride 1, 8+ channels */
    CONV2D_WINOGRAD_ROWS,          /* 5 wide, stride 1, 12+ tap rows */
    CONV2D_WINOGRAD_ROWS_BACKWARD, /* grad_in the same way, through a scratch output */
    CONV2D_POINTWISE,
    CONV2D_BACKWARD,
    CONV2D_DEPTHWISE,          /* groups = C = OC: the padded plane */
    CONV2D_DEPTHWISE_BACKWARD, /* stride 1: padded input, padded grad_out, flipped kernel */
    CONV_TRANSPOSE2D_FORWARD,
    CONV_TRANSPOSE2D_BACKWARD,
    LINEAR_FORWARD,
    LINEAR_BACKWARD,
    RECEPTIVE_FIELD_SPAN,
    CALL_COUNT
} call;

/* What each call is, and the op its errors must name. */
static const struct {
    const char *label, *op;
} CALLS[CALL_COUNT] = {
    {"conv2d forward, direct", "conv2d"},
    {"conv2d forward, im2col", "conv2d"},
    {"conv2d forward, Winograd", "conv2d"},
    {"conv2d forward, Winograd rows", "conv2d"},
    {"conv2d backward, Winograd rows", "conv2d"},
    {"conv2d forward, pointwise", "conv2d"},
    {"conv2d backward", "conv2d"},
    {"conv2d forward, depthwise", "conv2d"},
    {"conv2d backward, depthwise", "conv2d"},
    {"conv_transpose2d forward", "conv_transpose2d"},
    {"conv_transpose2d backward", "conv_transpose2d"},
    {"linear forward", "linear"},
    {"linear backward", "linear"},
    {"receptive_field_span", "receptive_field_span"},
};

static cnn_geometry conv(int in_channels, int out_channels, int kernel, int stride_h) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = 2, g.in_channels = in_channels, g.out_channels = out_channels, g.in_height = 5, g.in_width = 4;
    g.kernel_h = g.kernel_w = kernel, g.stride_h = stride_h;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = kernel / 2;
    return g;
}

/* outputs[0..2] receive the results; inputs are read only. */
static cnn_status run(call c, float *const outputs[3], const float *in, const float *weight) {
    const int32_t layers[8] = {3, 2, 1, 1, 3, 1, 1, 2};
    double span[2];
    cnn_status status;
    cnn_conv2d_plan_cache_clear();
    switch (c) {
        case CONV2D_DIRECT: {
            const cnn_geometry g = conv(1, 3, 3, 2);
            return cnn_conv2d_forward(outputs[0], in, weight, weight, &g);
        }
        case CONV2D_IM2COL: {
            const cnn_geometry g = conv(3, 4, 3, 2);
            return cnn_conv2d_forward(outputs[0], in, weight, weight, &g);
        }
        case CONV2D_WINOGRAD: {
            const cnn_geometry g = conv(8, 8, 3, 1);
            return cnn_conv2d_forward(outputs[0], in, weight, weight, &g);
        }
        case CONV2D_WINOGRAD_ROWS: {
            const cnn_geometry g = conv(4, 4, 5, 1);
            return cnn_conv2d_forward(outputs[0], in, weight, weight, &g);
        }
        case CONV2D_WINOGRAD_ROWS_BACKWARD: {
            const cnn_geometry g = conv(4, 4, 5, 1);
            return cnn_conv2d_backward(outputs[0], outputs[1], outputs[2], in, in, weight, &g);
        }
        case CONV2D_POINTWISE: {
            const cnn_geometry g = conv(3, 4, 1, 1);
            return cnn_conv2d_forward(outputs[0], in, weight, weight, &g);
        }
        case CONV2D_BACKWARD: {
            const cnn_geometry g = conv(3, 4, 3, 2);
            return cnn_conv2d_backward(outputs[0], outputs[1], outputs[2], in, in, weight, &g);
        }
        case CONV2D_DEPTHWISE: {
            cnn_geometry g = conv(3, 3, 3, 2);
            g.groups = 3;
            return cnn_conv2d_forward(outputs[0], in, weight, weight, &g);
        }
        case CONV2D_DEPTHWISE_BACKWARD: {
            cnn_geometry g = conv(3, 3, 3, 1);
            g.groups = 3;
            return cnn_conv2d_backward(outputs[0], outputs[1], outputs[2], in, in, weight, &g);
        }
        case CONV_TRANSPOSE2D_FORWARD: {
            const cnn_geometry g = conv(3, 4, 3, 2);
            return cnn_conv_transpose2d_forward(outputs[0], in, weight, weight, &g);
        }
        case CONV_TRANSPOSE2D_BACKWARD: {
            const cnn_geometry g = conv(3, 4, 3, 2);
            return cnn_conv_transpose2d_backward(outputs[0], outputs[1], outputs[2], in, in, weight, &g);
        }
        case LINEAR_FORWARD:
            return cnn_linear_forward(outputs[0], in, weight, weight, 3, 9, 5);
        case LINEAR_BACKWARD:
            return cnn_linear_backward(outputs[0], outputs[1], outputs[2], in, in, weight, 3, 9, 5);
        default:
            status = cnn_receptive_field_span(span, layers, 2, 3);
            outputs[0][0] = (float)span[0], outputs[0][1] = (float)span[1];
            return status;
    }
}

static void fail_each_allocation(call c) {
    float *in = random_floats(BUFFER), *weight = random_floats(BUFFER), *outputs[3], *undisturbed[3];
    for (int i = 0; i < 3; i++) undisturbed[i] = zero_floats(BUFFER), outputs[i] = zero_floats(BUFFER);
    CHECK(run(c, undisturbed, in, weight) == CNN_OK, "%s: %s", CALLS[c].label, cnn_last_error());
    int allocations = 0, all_out_of_memory = 1, all_named = 1;
    char unnamed[256] = "";
    for (int n = 1; n <= MAX_ALLOCATIONS; n++) {
        for (int i = 0; i < 3; i++) memset(outputs[i], 0, sizeof(float) * BUFFER);
        clear_last_error();
        fail_nth_malloc(n);
        const cnn_status status = run(c, outputs, in, weight);
        fail_nth_malloc(0);
        if (status == CNN_OK) break;
        allocations = n;
        all_out_of_memory &= status == CNN_OUT_OF_MEMORY;
        const char *error = cnn_last_error();
        if (!strstr(error, CALLS[c].op) || !strstr(error, "memory")) {
            if (all_named) snprintf(unnamed, sizeof unnamed, "%s", error);
            all_named = 0;
        }
    }
    CHECK(all_out_of_memory, "%s: a failed allocation gave another status than CNN_OUT_OF_MEMORY", CALLS[c].label);
    CHECK(all_named, "%s: out-of-memory errors must name the op %s and say \"memory\", got \"%s\"", CALLS[c].label,
          CALLS[c].op, unnamed);
    int same = 1;
    for (int i = 0; i < 3; i++) same &= memcmp(outputs[i], undisturbed[i], sizeof(float) * BUFFER) == 0;
    CHECK(same, "%s after %d failed allocations: the answer differs from an undisturbed run", CALLS[c].label,
          allocations);
    CHECK(c != CONV2D_IM2COL || allocations >= 1, "conv2d through im2col allocated nothing: is malloc wrapped?");
    free(in), free(weight);
    for (int i = 0; i < 3; i++) free(outputs[i]), free(undisturbed[i]);
}

/* A 1×1 input padded by 12000 on every side, 1 → 2 channels, kernel 2 at
   dilation 24000: one output cell, both taps in the padding, so out = bias.
   An op may compute it, or fail cleanly if it wants scratch the size of the
   padded input (2·24001² floats, 4.6 GB: past harness.c's 1 GiB cap under
   ASan; without ASan it would really be allocated, so only under ASan). */
static void padding_larger_than_memory(void) {
#ifdef HARNESS_ASAN
    cnn_geometry g = cnn_geometry_default();
    g.batch = g.in_channels = 1, g.out_channels = 2, g.in_height = g.in_width = 1;
    g.kernel_h = g.kernel_w = 2, g.dilation_h = g.dilation_w = 24000;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 12000;
    const float in[1] = {1.0f}, weight[8] = {1, 1, 1, 1, 1, 1, 1, 1}, bias[2] = {0.5f, -0.5f};
    float out[2] = {SENTINEL, SENTINEL};
    const cnn_status status = cnn_conv2d_forward(out, in, weight, bias, &g);
    CHECK(status == CNN_OUT_OF_MEMORY || (status == CNN_OK && out[0] == 0.5f && out[1] == -0.5f),
          "conv2d with padding 12000 on 1×1: status %d, out {%g, %g} (want the bias, or out of memory)", status, out[0],
          out[1]);
#endif
}

void test_out_of_memory(void) {
    for (call c = 0; c < CALL_COUNT; c++) fail_each_allocation(c);
    padding_larger_than_memory();
}
