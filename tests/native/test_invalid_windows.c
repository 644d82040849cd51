/* test_invalid_windows.c — bad arguments to conv2d, conv_transpose2d, the
   pools, their traces and the shape helpers: each call must return the right
   status, name the op and the argument in cnn_last_error(), and leave every
   buffer it was given as it was (small buffers: under ASan, an access past
   them would also abort). Then a valid call still works. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

enum { BUFFER = 64, TERMS = 8 };

typedef struct {
    size_t field;
    int32_t value;
} field_value;

/* A valid geometry broken by up to four field changes; `argument` must appear in the error. */
typedef struct {
    const char *argument;
    field_value set[4];
} bad_geometry;

#define SET(field, value)                                                                                              \
    { offsetof(cnn_geometry, field) + 1, value }

static cnn_geometry apply(cnn_geometry g, const bad_geometry *bad) {
    for (int i = 0; i < 4 && bad->set[i].field; i++)
        *(int32_t *)((char *)&g + bad->set[i].field - 1) = bad->set[i].value;
    return g;
}

/* Rules every sliding-window op shares. */
static const bad_geometry WINDOW_RULES[] = {
    {"batch", {SET(batch, 0)}},
    {"in_channels", {SET(in_channels, -1)}},
    {"in_height", {SET(in_height, 0)}},
    {"in_width", {SET(in_width, -3)}},
    {"kernel_h", {SET(kernel_h, 0)}},
    {"kernel_w", {SET(kernel_w, -1)}},
    {"stride_h", {SET(stride_h, 0)}},
    {"stride_w", {SET(stride_w, -2)}},
    {"pad_top", {SET(pad_top, -1), SET(pad_bottom, -1)}},
    {"pad_left", {SET(pad_left, -1), SET(pad_right, -1)}},
    {"input", {SET(batch, 65536), SET(in_channels, 65536)}}, /* 2^32·H·W elements */
};

static const bad_geometry CONV_RULES[] = {
    {"dilation_h", {SET(dilation_h, 0)}},
    {"dilation_w", {SET(dilation_w, -1)}},
    {"pad_bottom", {SET(pad_bottom, -1)}},
    {"pad_right", {SET(pad_right, -4)}},
    {"out_channels", {SET(out_channels, 0)}},
    {"groups", {SET(groups, 0)}},
    {"groups", {SET(in_channels, 3), SET(groups, 2)}},
    {"groups", {SET(out_channels, 3), SET(groups, 2)}},
    {"weight", {SET(out_channels, 1 << 30)}},
    {"output", {SET(in_channels, 1), SET(in_height, 32768), SET(in_width, 32768)}}, /* 2^30 in, 2^31 out */
};

static const bad_geometry CONV2D_ONLY_RULES[] = {
    {"kernel_h", {SET(kernel_h, 8)}},                     /* 8 > 5 + 2 padding */
    {"kernel_w", {SET(kernel_w, 5), SET(dilation_w, 2)}}, /* effective 9 > 5 + 2 */
};

static const bad_geometry TRANSPOSED_ONLY_RULES[] = {
    {"output_padding_h", {SET(stride_h, 2), SET(output_padding_h, 2)}},
    {"output_padding_w", {SET(output_padding_w, 1)}}, /* not below stride 1 nor dilation 1 */
    {"output_padding", {SET(output_padding_h, -1)}},
    {"output h", {SET(pad_top, 4), SET(pad_bottom, 4)}}, /* 4 − 8 + 2 + 1 < 1 */
};

static const bad_geometry POOL_RULES[] = {
    {"padding_h", {SET(pad_top, 2), SET(pad_bottom, 2)}}, /* more than kernel 3 / 2 */
    {"symmetric", {SET(pad_top, 0)}},
    {"symmetric", {SET(pad_right, 0)}},
    {"kernel_h", {SET(kernel_h, 8)}}, /* 8 > 5 + 2 padding */
    /* 46340² input elements fit in int32, the 46341² outputs of a 2×2 window with padding 1 do not */
    {"output", {SET(in_channels, 1), SET(in_height, 46340), SET(in_width, 46340), SET(kernel_h, 2)}},
};

static const bad_geometry MAX_POOL_ONLY_RULES[] = {
    {"dilation_h", {SET(dilation_h, 0)}},
    {"kernel_w", {SET(kernel_w, 2), SET(dilation_w, 7)}}, /* effective 8 > 5 + 2 */
};

static const bad_geometry AVG_POOL_ONLY_RULES[] = {
    {"dilation", {SET(dilation_h, 2)}},
};

typedef enum { CONV2D, CONV_TRANSPOSE2D, MAX_POOL2D, AVG_POOL2D } window_op;
static const char *const OP_NAMES[] = {"conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d"};

/* batch 1, 2 → 2 channels, 5×5, kernel 3 with padding 1 (pools: channels only in). */
static cnn_geometry valid_geometry(window_op op) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = 1, g.in_channels = 2, g.in_height = g.in_width = 5, g.out_channels = 2;
    g.kernel_h = g.kernel_w = 3;
    if (op == MAX_POOL2D || op == AVG_POOL2D) g.kernel_w = 2;
    g.pad_top = g.pad_bottom = g.pad_left = g.pad_right = 1;
    return g;
}

/* Every entry point of the op with geometry g must fail with `argument` and write nothing. */
static void check_rejected(window_op op, const cnn_geometry *g, const char *argument) {
    const char *name = OP_NAMES[op];
    float *buffers[6];
    for (int i = 0; i < 6; i++) buffers[i] = filled_floats(BUFFER, SENTINEL);
    int32_t argmax[BUFFER] = {0};
    cnn_trace_term terms[TERMS], untouched_terms[TERMS];
    memset(terms, 0xab, sizeof terms);
    memcpy(untouched_terms, terms, sizeof terms);
    cnn_geometry solved = *g;
    float *out = buffers[0], *in = buffers[1], *weight = buffers[2], *bias = buffers[3];
    float *grad_weight = buffers[4], *grad_bias = buffers[5];
    switch (op) {
        case CONV2D:
            CHECK_FAILS(cnn_conv2d_geometry(&solved), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_conv2d_forward(out, in, weight, bias, g), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_conv2d_backward(out, grad_weight, grad_bias, in, in, weight, g), CNN_INVALID_ARGUMENT, name,
                        argument);
            CHECK_FAILS(STATUS_OF(cnn_conv2d_macs(g)), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(STATUS_OF(cnn_conv2d_trace(terms, TERMS, out, in, weight, bias, g, 0, 0, 0, 0)),
                        CNN_INVALID_ARGUMENT, name, argument);
            break;
        case CONV_TRANSPOSE2D:
            CHECK_FAILS(cnn_conv_transpose2d_geometry(&solved), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_conv_transpose2d_forward(out, in, weight, bias, g), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_conv_transpose2d_backward(out, grad_weight, grad_bias, in, in, weight, g),
                        CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(STATUS_OF(cnn_conv_transpose2d_macs(g)), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_conv_transpose2d_equivalent(argmax, g), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(STATUS_OF(cnn_conv_transpose2d_trace(terms, TERMS, out, in, weight, bias, g, 0, 0, 0, 0)),
                        CNN_INVALID_ARGUMENT, name, argument);
            break;
        case MAX_POOL2D:
            CHECK_FAILS(cnn_max_pool2d_geometry(&solved), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_max_pool2d_forward(out, argmax, in, g), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_max_pool2d_backward(out, in, argmax, g), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(STATUS_OF(cnn_pool2d_trace(terms, TERMS, out, in, g, 0, 0, 0, 0, 0)), CNN_INVALID_ARGUMENT,
                        name, argument);
            break;
        case AVG_POOL2D:
            CHECK_FAILS(cnn_avg_pool2d_geometry(&solved), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_avg_pool2d_forward(out, in, g), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(cnn_avg_pool2d_backward(out, in, g), CNN_INVALID_ARGUMENT, name, argument);
            CHECK_FAILS(STATUS_OF(cnn_pool2d_trace(terms, TERMS, out, in, g, 1, 0, 0, 0, 0)), CNN_INVALID_ARGUMENT,
                        name, argument);
            break;
    }
    int untouched = memcmp(terms, untouched_terms, sizeof terms) == 0;
    for (int i = 0; i < 6; i++) untouched &= all_equal(buffers[i], BUFFER, SENTINEL);
    for (int i = 0; i < BUFFER; i++) untouched &= argmax[i] == 0;
    CHECK(untouched, "%s with a bad %s wrote into a buffer", name, argument);
    for (int i = 0; i < 6; i++) free(buffers[i]);
}

static void check_rules(window_op op, const bad_geometry *rules, int count) {
    for (int r = 0; r < count; r++) {
        const cnn_geometry g = apply(valid_geometry(op), &rules[r]);
        check_rejected(op, &g, rules[r].argument);
    }
}
#define CHECK_RULES(op, rules) check_rules(op, rules, (int)(sizeof rules / sizeof rules[0]))

static float trace_result[2] = {SENTINEL, SENTINEL};

/* A trace of the valid geometry at (n, channel, row, col), as a status. */
static cnn_status trace(window_op op, int max_terms, int n, int channel, int row, int col) {
    float in[BUFFER], weight[BUFFER];
    for (int i = 0; i < BUFFER; i++) in[i] = weight[i] = 1.0f;
    cnn_trace_term terms[32];
    const cnn_geometry g = valid_geometry(op);
    const int kind = op == MAX_POOL2D ? 0 : op == AVG_POOL2D ? 1 : 2; /* 2: no such pool */
    switch (op) {
        case CONV2D:
            return STATUS_OF(
                cnn_conv2d_trace(terms, max_terms, trace_result, in, weight, NULL, &g, n, channel, row, col));
        case CONV_TRANSPOSE2D:
            return STATUS_OF(
                cnn_conv_transpose2d_trace(terms, max_terms, trace_result, in, weight, NULL, &g, n, channel, row, col));
        default:
            return STATUS_OF(cnn_pool2d_trace(terms, max_terms, trace_result, in, &g, kind, n, channel, row, col));
    }
}

/* Out-of-range positions, too few terms and an unknown pool kind, on valid geometries. */
static void trace_positions(void) {
    const cnn_status invalid = CNN_INVALID_ARGUMENT;
    CHECK_FAILS(trace(CONV2D, 32, 1, 0, 0, 0), invalid, "conv2d trace", "n");
    CHECK_FAILS(trace(CONV2D, 32, 0, 2, 0, 0), invalid, "conv2d trace", "channel");
    CHECK_FAILS(trace(CONV2D, 32, 0, 0, 5, 0), invalid, "conv2d trace", "row");
    CHECK_FAILS(trace(CONV2D, 32, 0, 0, 0, -1), invalid, "conv2d trace", "col");
    CHECK_FAILS(trace(CONV2D, 17, 0, 0, 0, 0), invalid, "conv2d trace", "max_terms");               /* 2·3·3 terms */
    CHECK_FAILS(trace(CONV_TRANSPOSE2D, 32, 0, 0, 0, 5), invalid, "conv_transpose2d trace", "col"); /* 5×5 out */
    CHECK_FAILS(trace(CONV_TRANSPOSE2D, 17, 0, 0, 0, 0), invalid, "conv_transpose2d trace", "max_terms");
    CHECK_FAILS(trace(MAX_POOL2D, 32, 0, -1, 0, 0), invalid, "pool2d trace", "channel");
    CHECK_FAILS(trace(AVG_POOL2D, 5, 0, 0, 0, 0), invalid, "pool2d trace", "max_terms"); /* 3·2 terms */
    CHECK(trace_result[0] == SENTINEL && trace_result[1] == SENTINEL, "a rejected trace wrote its result");
    float in[BUFFER] = {0}, result[2];
    cnn_trace_term terms[8];
    const cnn_geometry pool = valid_geometry(MAX_POOL2D);
    CHECK_FAILS(STATUS_OF(cnn_pool2d_trace(terms, 8, result, in, &pool, 2, 0, 0, 0, 0)), invalid, "pool2d trace",
                "kind");
}

/* An argmax outside the input plane is an error, found before any gradient moves. */
static void max_pool_bad_argmax(void) {
    cnn_geometry g = valid_geometry(MAX_POOL2D);
    CHECK(cnn_max_pool2d_geometry(&g) == CNN_OK, "max_pool2d: %s", cnn_last_error());
    const int outputs = 2 * g.out_height * g.out_width;
    int32_t argmax[BUFFER] = {0};
    float *grad_in = filled_floats(50, SENTINEL), *grad_out = filled_floats(outputs, 1.0f);
    argmax[outputs - 1] = 25;
    CHECK_FAILS(cnn_max_pool2d_backward(grad_in, grad_out, argmax, &g), CNN_INVALID_ARGUMENT, "max_pool2d", "argmax");
    CHECK(all_equal(grad_in, 50, SENTINEL),
          "max_pool2d backward with argmax[%d] = 25 outside the 5×5 plane added to grad_in before failing",
          outputs - 1);
    free(grad_in), free(grad_out);
}

static void shape_helpers(void) {
    CHECK_FAILS(STATUS_OF(cnn_conv_out_size(0, 3, 1, 0, 1)), CNN_INVALID_ARGUMENT, "conv2d", "in_height");
    CHECK_FAILS(STATUS_OF(cnn_conv_out_size(5, 3, 0, 0, 1)), CNN_INVALID_ARGUMENT, "conv2d", "stride_h");
    CHECK_FAILS(STATUS_OF(cnn_conv_out_size(5, 3, 1, -1, 1)), CNN_INVALID_ARGUMENT, "conv2d", "pad_top");
    CHECK_FAILS(STATUS_OF(cnn_conv_transpose_out_size(3, 3, 2, 0, 1, 2)), CNN_INVALID_ARGUMENT, "conv_transpose2d",
                "output_padding_h");
    CHECK_FAILS(STATUS_OF(cnn_pool_out_size(5, 3, 1, 2, 1, 0)), CNN_INVALID_ARGUMENT, "max_pool2d", "padding_h");
    CHECK_FAILS(STATUS_OF(cnn_pool_out_size(5, 3, 1, 0, 0, 0)), CNN_INVALID_ARGUMENT, "max_pool2d", "dilation_h");
    CHECK_FAILS(STATUS_OF(cnn_conv2d_params(3, 4, 3, 3, 2, 1)), CNN_INVALID_ARGUMENT, "conv2d params", "groups");
    CHECK_FAILS(STATUS_OF(cnn_conv2d_params(3, 4, 0, 3, 1, 1)), CNN_INVALID_ARGUMENT, "conv2d params", "kernel_h");
    CHECK_FAILS(STATUS_OF(cnn_linear_macs(0, 3, 4)), CNN_INVALID_ARGUMENT, "linear macs", "batch");
    CHECK_FAILS(STATUS_OF(cnn_linear_params(3, -4, 1)), CNN_INVALID_ARGUMENT, "linear params", "out_features");
    CHECK_FAILS(STATUS_OF(cnn_batch_norm2d_params(0, 1)), CNN_INVALID_ARGUMENT, "batch_norm2d params", "channels");
    cnn_geometry g = valid_geometry(CONV2D);
    g.stride_w = 2, g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 7;
    CHECK_FAILS(cnn_conv2d_pad_same(&g), CNN_INVALID_ARGUMENT, "conv2d", "stride");
    g.stride_w = 1, g.kernel_h = 0;
    CHECK_FAILS(cnn_conv2d_pad_same(&g), CNN_INVALID_ARGUMENT, "conv2d", "kernel_h");
    CHECK(g.pad_top == 7 && g.pad_left == 7 && g.pad_bottom == 7 && g.pad_right == 7,
          "a rejected pad_same changed the pads");
}

/* The worked example of cnn.h after all the failures. */
static void valid_call_still_works(void) {
    const float x[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    float y[4];
    int32_t argmax[4];
    cnn_geometry g = cnn_geometry_default();
    g.batch = 1, g.in_channels = 1, g.in_height = 4, g.in_width = 4;
    g.kernel_h = g.kernel_w = 2, g.stride_h = g.stride_w = 2;
    CHECK(cnn_max_pool2d_forward(y, argmax, x, &g) == CNN_OK && y[0] == 6 && y[1] == 8 && y[2] == 14 && y[3] == 16 &&
              argmax[0] == 5 && argmax[3] == 15,
          "the worked example of cnn.h after failures: %s", cnn_last_error());
    const float weight[4] = {1, 0, 0, -1}, bias[1] = {0.5f};
    g.out_channels = 1;
    CHECK(cnn_conv2d_forward(y, x, weight, bias, &g) == CNN_OK && y[0] == -4.5f && y[3] == -4.5f,
          "conv2d 2×2 stride 2 of a ramp: x[h][w] − x[h+1][w+1] + 0.5 = −4.5");
}

void test_invalid_windows(void) {
    for (window_op op = CONV2D; op <= AVG_POOL2D; op++) CHECK_RULES(op, WINDOW_RULES);
    CHECK_RULES(CONV2D, CONV_RULES);
    CHECK_RULES(CONV_TRANSPOSE2D, CONV_RULES);
    CHECK_RULES(CONV2D, CONV2D_ONLY_RULES);
    CHECK_RULES(CONV_TRANSPOSE2D, TRANSPOSED_ONLY_RULES);
    CHECK_RULES(MAX_POOL2D, POOL_RULES);
    CHECK_RULES(AVG_POOL2D, POOL_RULES);
    CHECK_RULES(MAX_POOL2D, MAX_POOL_ONLY_RULES);
    CHECK_RULES(AVG_POOL2D, AVG_POOL_ONLY_RULES);
    trace_positions();
    max_pool_bad_argmax();
    shape_helpers();
    valid_call_still_works();
}
