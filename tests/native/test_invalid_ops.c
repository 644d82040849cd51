/* test_invalid_ops.c — bad arguments to the ops sized by plain integers
   (adaptive pooling, batch norm, ReLU, linear, cross entropy), the random
   fills and the receptive field: the right status, the op and the argument in
   cnn_last_error(), every buffer left as it was; then a valid call works. */
#include <math.h>
#include <stdlib.h>
#include "harness.h"

enum { BUFFER = 64, HUGE_SIZE = 65536 }; /* HUGE_SIZE² = 2^32 elements */

static float *buffers[6];

static void fill_buffers(void) {
    for (int i = 0; i < 6; i++) buffers[i] = filled_floats(BUFFER, SENTINEL);
}

static void check_buffers_untouched(const char *op, const char *argument) {
    int untouched = 1;
    for (int i = 0; i < 6; i++) untouched &= all_equal(buffers[i], BUFFER, SENTINEL);
    CHECK(untouched, "%s with a bad %s wrote into a buffer", op, argument);
    for (int i = 0; i < 6; i++) free(buffers[i]);
}

static void adaptive_avg_pool(void) {
    static const struct {
        const char *argument;
        int batch, channels, in_h, in_w, out_h, out_w;
    } BAD[] = {
        {"batch", 0, 1, 4, 4, 2, 2},
        {"channels", 1, -1, 4, 4, 2, 2},
        {"in_height", 1, 1, 0, 4, 2, 2},
        {"in_width", 1, 1, 4, -4, 2, 2},
        {"output_size height", 1, 1, 4, 4, 0, 2},
        {"output_size width", 1, 1, 4, 4, 2, -1},
        {"input", HUGE_SIZE, HUGE_SIZE, 1, 1, 1, 1},
        {"output", 1, 1, 1, 1, HUGE_SIZE, HUGE_SIZE},
    };
    for (int i = 0; i < (int)(sizeof BAD / sizeof BAD[0]); i++) {
        fill_buffers();
        CHECK_FAILS(cnn_adaptive_avg_pool2d_forward(buffers[0], buffers[1], BAD[i].batch, BAD[i].channels, BAD[i].in_h,
                                                    BAD[i].in_w, BAD[i].out_h, BAD[i].out_w),
                    CNN_INVALID_ARGUMENT, "adaptive_avg_pool2d", BAD[i].argument);
        CHECK_FAILS(cnn_adaptive_avg_pool2d_backward(buffers[0], buffers[1], BAD[i].batch, BAD[i].channels, BAD[i].in_h,
                                                     BAD[i].in_w, BAD[i].out_h, BAD[i].out_w),
                    CNN_INVALID_ARGUMENT, "adaptive_avg_pool2d backward", BAD[i].argument);
        check_buffers_untouched("adaptive_avg_pool2d", BAD[i].argument);
    }
}

static void batch_norm(void) {
    static const struct {
        const char *argument;
        int training, batch, channels, height, width;
        float momentum, eps;
        int backward_checks_it; /* backward takes sizes only */
    } BAD[] = {
        {"batch", 1, 0, 2, 2, 2, 0.1f, 1e-5f, 1},
        {"channels", 1, 2, -1, 2, 2, 0.1f, 1e-5f, 1},
        {"height", 0, 2, 2, 0, 2, 0.1f, 1e-5f, 1},
        {"width", 0, 2, 2, 2, -2, 0.1f, 1e-5f, 1},
        {"input", 0, HUGE_SIZE, HUGE_SIZE, 1, 1, 0.1f, 1e-5f, 1},
        {"eps", 1, 2, 2, 2, 2, 0.1f, 0.0f, 0},
        {"eps", 0, 2, 2, 2, 2, 0.1f, NAN, 0},
        {"momentum", 1, 2, 2, 2, 2, 1.5f, 1e-5f, 0},
        {"momentum", 1, 2, 2, 2, 2, NAN, 1e-5f, 0},
        {"training", 1, 1, 2, 1, 1, 0.1f, 1e-5f, 0}, /* one value per channel: no variance */
    };
    for (int i = 0; i < (int)(sizeof BAD / sizeof BAD[0]); i++) {
        fill_buffers();
        float *out = buffers[0], *save_mean = buffers[1], *save_invstd = buffers[2];
        float *running_mean = buffers[3], *running_var = buffers[4], *in = buffers[5];
        CHECK_FAILS(cnn_batch_norm2d_forward(out, save_mean, save_invstd, running_mean, running_var, in, in, in,
                                             BAD[i].training, BAD[i].momentum, BAD[i].eps, BAD[i].batch,
                                             BAD[i].channels, BAD[i].height, BAD[i].width),
                    CNN_INVALID_ARGUMENT, "batch_norm2d", BAD[i].argument);
        if (BAD[i].backward_checks_it)
            CHECK_FAILS(cnn_batch_norm2d_backward(out, save_mean, save_invstd, in, in, in, in, in, BAD[i].training,
                                                  BAD[i].batch, BAD[i].channels, BAD[i].height, BAD[i].width),
                        CNN_INVALID_ARGUMENT, "batch_norm2d backward", BAD[i].argument);
        check_buffers_untouched("batch_norm2d", BAD[i].argument);
    }
}

static void relu_and_linear(void) {
    fill_buffers();
    CHECK_FAILS(cnn_relu_forward(buffers[0], buffers[1], -1), CNN_INVALID_ARGUMENT, "relu", "count");
    CHECK_FAILS(cnn_relu_backward(buffers[0], buffers[1], buffers[2], -1), CNN_INVALID_ARGUMENT, "relu backward",
                "count");
    check_buffers_untouched("relu", "count");
    static const struct {
        const char *argument;
        int batch, in_features, out_features;
    } BAD[] = {
        {"batch", 0, 3, 4},
        {"in_features", 2, 0, 4},
        {"out_features", 2, 3, -1},
        {"input", HUGE_SIZE, HUGE_SIZE, 1},
        {"weight", 1, HUGE_SIZE, HUGE_SIZE},
        {"output", HUGE_SIZE, 1, HUGE_SIZE},
    };
    for (int i = 0; i < (int)(sizeof BAD / sizeof BAD[0]); i++) {
        fill_buffers();
        CHECK_FAILS(cnn_linear_forward(buffers[0], buffers[1], buffers[2], buffers[3], BAD[i].batch, BAD[i].in_features,
                                       BAD[i].out_features),
                    CNN_INVALID_ARGUMENT, "linear", BAD[i].argument);
        CHECK_FAILS(cnn_linear_backward(buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], buffers[5],
                                        BAD[i].batch, BAD[i].in_features, BAD[i].out_features),
                    CNN_INVALID_ARGUMENT, "linear backward", BAD[i].argument);
        check_buffers_untouched("linear", BAD[i].argument);
    }
}

/* Targets are checked for every row before anything is written. */
static void cross_entropy(void) {
    const int32_t targets[3] = {0, 1, 2}, low[3] = {0, 1, -1}, high[3] = {0, 5, 2};
    static const struct {
        const char *argument;
        int batch, classes, targets;
    } BAD[] = {
        {"batch", 0, 5, 0},          {"classes", 3, 0, 0},       {"input", HUGE_SIZE, HUGE_SIZE, 0},
        {"target[2] = -1", 3, 5, 1}, {"target[1] = 5", 3, 5, 2},
    };
    for (int i = 0; i < (int)(sizeof BAD / sizeof BAD[0]); i++) {
        const int32_t *chosen = BAD[i].targets == 0 ? targets : BAD[i].targets == 1 ? low : high;
        fill_buffers();
        CHECK_FAILS(cnn_cross_entropy_forward(buffers[0], buffers[1], buffers[2], chosen, BAD[i].batch, BAD[i].classes),
                    CNN_INVALID_ARGUMENT, "cross_entropy", BAD[i].argument);
        CHECK_FAILS(cnn_cross_entropy_backward(buffers[0], 1.0f, buffers[2], chosen, BAD[i].batch, BAD[i].classes),
                    CNN_INVALID_ARGUMENT, "cross_entropy backward", BAD[i].argument);
        check_buffers_untouched("cross_entropy", BAD[i].argument);
    }
}

static void random_fills(void) {
    fill_buffers();
    CHECK_FAILS(cnn_random_uniform(buffers[0], -1, 0.0f, 1.0f, 1), CNN_INVALID_ARGUMENT, "random_uniform", "count");
    CHECK_FAILS(cnn_random_uniform(buffers[0], 4, 1.0f, 0.0f, 1), CNN_INVALID_ARGUMENT, "random_uniform", "low");
    CHECK_FAILS(cnn_random_uniform(buffers[0], 4, NAN, 1.0f, 1), CNN_INVALID_ARGUMENT, "random_uniform", "low");
    CHECK_FAILS(cnn_random_normal(buffers[0], -5, 0.0f, 1.0f, 1), CNN_INVALID_ARGUMENT, "random_normal", "count");
    CHECK_FAILS(cnn_random_normal(buffers[0], 4, 0.0f, -1.0f, 1), CNN_INVALID_ARGUMENT, "random_normal", "std");
    CHECK_FAILS(cnn_init_default(buffers[0], buffers[1], 4, 2, 0, 1), CNN_INVALID_ARGUMENT, "init_default", "fan_in");
    CHECK_FAILS(cnn_init_default(buffers[0], buffers[1], -4, 2, 3, 1), CNN_INVALID_ARGUMENT, "random_uniform", "count");
    check_buffers_untouched("random fills", "argument");
}

static void receptive_field(void) {
    const int32_t good[4] = {3, 2, 1, 1}, bad_kernel[8] = {3, 1, 1, 1, 0, 1, 0, 1}, bad_pad[4] = {3, 1, -1, 1};
    double result[8] = {SENTINEL, SENTINEL, SENTINEL, SENTINEL, SENTINEL, SENTINEL, SENTINEL, SENTINEL};
    CHECK_FAILS(cnn_receptive_field(result, good, -1), CNN_INVALID_ARGUMENT, "receptive_field", "count");
    CHECK_FAILS(cnn_receptive_field(result, bad_kernel, 2), CNN_INVALID_ARGUMENT, "receptive_field", "layer 2");
    CHECK_FAILS(cnn_receptive_field(result + 4, bad_pad, 1), CNN_INVALID_ARGUMENT, "receptive_field", "padding");
    CHECK_FAILS(cnn_receptive_field_span(result, good, 0, 0), CNN_INVALID_ARGUMENT, "receptive_field_span", "layer");
    CHECK_FAILS(cnn_receptive_field_span(result, good, 1, -1), CNN_INVALID_ARGUMENT, "receptive_field_span", "index");
    int untouched = 1;
    for (int i = 4; i < 8; i++) untouched &= result[i] == SENTINEL;
    CHECK(untouched, "a rejected receptive_field wrote a result");
}

/* After all the failures, valid calls still work. */
static void valid_calls(void) {
    const float in[4] = {-1.0f, 2.0f, -3.0f, 4.0f}, weight[2] = {1.0f, 1.0f};
    const int32_t targets[2] = {1, 0};
    float out[4], probs[4], loss;
    CHECK(cnn_relu_forward(out, in, 4) == CNN_OK && out[0] == 0 && out[1] == 2 && out[3] == 4, "relu after failures");
    CHECK(cnn_linear_forward(out, in, weight, NULL, 2, 2, 1) == CNN_OK && out[0] == 1 && out[1] == 1,
          "linear after failures");
    CHECK(cnn_adaptive_avg_pool2d_forward(out, in, 1, 1, 2, 2, 1, 1) == CNN_OK && out[0] == 0.5f,
          "adaptive_avg_pool2d after failures");
    const float logits[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    CHECK(cnn_cross_entropy_forward(&loss, probs, logits, targets, 2, 2) == CNN_OK &&
              close_enough(loss, 0.6931471805599453, 1e-6, 0) && probs[0] == 0.5f,
          "cross_entropy of equal logits = log 2, got %g", loss);
}

void test_invalid_ops(void) {
    adaptive_avg_pool();
    batch_norm();
    relu_and_linear();
    cross_entropy();
    random_fills();
    receptive_field();
    valid_calls();
}
