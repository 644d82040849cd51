/* test_network.c — the compiled network's setup-time checks (issue 14, items 6, 8 and 12):
   counts computed in 64-bit and refused past the limit before anything is allocated,
   backward only for the batch of the last forward pass, and batch norm's momentum and eps
   carried into the layer. */
#include <stdlib.h>
#include <string.h>
#include "cnn_network.h"
#include "harness.h"

#define LIMIT 0x7fffffff

/* One record {kind, has_bias, geometry} with the hyper-parameters the network reads. */
static void set_record(int32_t *record, cnn_layer_kind kind, int has_bias, int out_channels, int kernel) {
    cnn_geometry g = cnn_geometry_default();
    g.out_channels = out_channels, g.kernel_h = g.kernel_w = kernel;
    record[0] = kind, record[1] = has_bias;
    memcpy(record + 2, &g, sizeof g);
}

/* Issue 14, item 8: a Linear layer of 65,536 outputs on a 1×256×256 input has 2^32 weights;
   `long` (32-bit in wasm) made the count 0 and the network was accepted. */
static void linear_weight_count_past_int32(void) {
    int32_t record[CNN_LAYER_FIELDS];
    set_record(record, CNN_LAYER_LINEAR, 1, 65536, 0);
    clear_last_error();
    CHECK(cnn_network_create(record, 1, 1, 1, 256, 256) == NULL, "a Linear layer of 2^32 weights must be refused");
    CHECK(strstr(cnn_last_error(), "layer 1") && strstr(cnn_last_error(), "weight"), "error \"%s\"", cnn_last_error());
}

/* Layers whose weights each fit the limit but together pass it: 32768·32768 = 2^30 twice. */
static void parameter_total_past_int32(void) {
    int32_t records[2 * CNN_LAYER_FIELDS];
    set_record(records, CNN_LAYER_LINEAR, 0, 32768, 0);
    set_record(records + CNN_LAYER_FIELDS, CNN_LAYER_LINEAR, 0, 32768, 0);
    clear_last_error();
    CHECK(cnn_network_create(records, 2, 1, 32768, 1, 1) == NULL && strstr(cnn_last_error(), "layer 2") &&
              strstr(cnn_last_error(), "parameters"),
          "2^31 parameters in total must be refused: \"%s\"", cnn_last_error());
}

/* Issue 14, item 7: batch norm with 2^31 − 1 channels is refused before its arrays exist. */
static void batch_norm_channels_past_block(void) {
    CHECK(cnn_batch_norm2d_params(LIMIT, 1) == -1 && strstr(cnn_last_error(), "channels"),
          "batch_norm2d_params(2^31 − 1): \"%s\"", cnn_last_error());
    CHECK(cnn_batch_norm2d_params(CNN_MAX_BATCH_NORM_CHANNELS, 1) == 2.0 * CNN_MAX_BATCH_NORM_CHANNELS,
          "2^26 channels are allowed");
    int32_t record[CNN_LAYER_FIELDS];
    set_record(record, CNN_LAYER_BATCH_NORM2D, 1, 0, 0);
    reset_largest_malloc();
    CHECK(cnn_network_create(record, 1, 1, CNN_MAX_BATCH_NORM_CHANNELS + 1, 1, 1) == NULL &&
              largest_malloc_since_reset() < 4096,
          "a batch-norm layer of 2^26 + 1 channels must be refused before allocating (largest %zu bytes)",
          largest_malloc_since_reset());
}

/* A 2-channel conv then batch norm, capacity 4, input 2×3×3. */
static cnn_network *small_network(void) {
    int32_t records[2 * CNN_LAYER_FIELDS];
    set_record(records, CNN_LAYER_CONV2D, 1, 2, 2);
    set_record(records + CNN_LAYER_FIELDS, CNN_LAYER_BATCH_NORM2D, 1, 0, 0);
    cnn_network *net = cnn_network_create(records, 2, 4, 2, 3, 3);
    CHECK(net != NULL, "network: %s", cnn_last_error());
    return net;
}

/* Issue 14, item 6: backward with a smaller (or larger) batch than the last forward read past
   grad_output; now refused by name, and refused before any forward. */
static void backward_batch_must_match_forward(void) {
    cnn_network *net = small_network();
    if (!net) return;
    float *grad_output = random_floats(1 * 2 * 2 * 2); /* exactly one sample */
    CHECK_FAILS(cnn_network_backward(net, grad_output, 1, 1), CNN_INVALID_ARGUMENT, "network backward", "forward");
    float *input = cnn_network_input(net);
    for (int i = 0; i < 4 * 18; i++) input[i] = random_uniform(-1, 1);
    CHECK(cnn_network_forward(net, 3, 1) == CNN_OK, "forward: %s", cnn_last_error());
    CHECK_FAILS(cnn_network_backward(net, grad_output, 1, 1), CNN_INVALID_ARGUMENT, "network backward", "batch");
    CHECK_FAILS(cnn_network_backward(net, grad_output, 4, 1), CNN_INVALID_ARGUMENT, "network backward", "batch");
    CHECK(cnn_network_forward(net, 1, 1) == CNN_OK && cnn_network_backward(net, grad_output, 1, 1) == CNN_OK,
          "backward after a forward of the same batch: %s", cnn_last_error());
    free(grad_output);
    cnn_network_destroy(net);
}

/* Issue 14, item 12: momentum 0.9 and eps 0.5 reach the layer: its output and running
   statistics equal cnn_batch_norm2d_forward's with the same options, in training and eval. */
static void batch_norm_options_reach_the_layer(void) {
    cnn_network *net = small_network();
    if (!net) return;
    CHECK_FAILS(cnn_network_set_batch_norm(net, 0, 0.9f, 0.5f), CNN_INVALID_ARGUMENT, "network", "batch-norm");
    CHECK_FAILS(cnn_network_set_batch_norm(net, 1, 1.5f, 0.5f), CNN_INVALID_ARGUMENT, "layer 2", "momentum");
    CHECK_FAILS(cnn_network_set_batch_norm(net, 1, 0.9f, 0.0f), CNN_INVALID_ARGUMENT, "layer 2", "eps");
    CHECK(cnn_network_set_batch_norm(net, 1, 0.9f, 0.5f) == CNN_OK, "set: %s", cnn_last_error());
    float *input = cnn_network_input(net);
    for (int i = 0; i < 4 * 18; i++) input[i] = random_uniform(-2, 2);
    const float *params = cnn_network_parameters(net);
    float *weights = cnn_network_parameters(net);
    for (int i = 0; i < 2 * 2 * 4 + 2; i++) weights[i] = random_uniform(-1, 1);
    for (int training = 1; training >= 0; training--) {
        float running[4] = {0, 0, 1, 1}, save_mean[2], save_invstd[2], want[4 * 8];
        memcpy(running, cnn_network_running_stats(net, 1), sizeof running);
        CHECK(cnn_network_forward(net, 4, training) == CNN_OK, "forward: %s", cnn_last_error());
        int32_t shape[3];
        const float *conv = cnn_network_activation(net, 0, shape), *got = cnn_network_activation(net, 1, shape);
        CHECK(cnn_batch_norm2d_forward(want, save_mean, save_invstd, running, running + 2, conv, params + 18,
                                       params + 20, training, 0.9f, 0.5f, 4, 2, 2, 2) == CNN_OK,
              "reference: %s", cnn_last_error());
        int same = memcmp(running, cnn_network_running_stats(net, 1), sizeof running) == 0;
        for (int i = 0; i < 4 * 8; i++) same &= got[i] == want[i];
        CHECK(same, "batch norm with momentum 0.9 and eps 0.5 differs from the op's (training %d)", training);
    }
    cnn_network_destroy(net);
}

void test_network(void) {
    run_isolated("Linear weight count past int32", linear_weight_count_past_int32);
    run_isolated("parameter total past int32", parameter_total_past_int32);
    run_isolated("batch norm channels past the block limit", batch_norm_channels_past_block);
    run_isolated("backward batch must match forward", backward_batch_must_match_forward);
    run_isolated("batch norm momentum and eps reach the layer", batch_norm_options_reach_the_layer);
}
