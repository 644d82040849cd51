/* test_plan.c — convolution plans (issue 14, item 6: setup separated from run).
   A plan made once and run many times, on batches up to its own, gives bit for bit what a
   call of the functional op from an empty plan cache gives, on every route (the Winograd
   ones also on a NaN, through their exact routes); the functional op's cache, cycled past its
   size, too; a Network allocates nothing once created; and a failed allocation while a plan
   or a network is made is a named out-of-memory error that leaves nothing allocated and the
   next attempt working. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cnn_network.h"
#include "harness.h"
#include "internal.h"

enum { CAPACITY = 4, RUNS = 6 };

/* in → out channels, groups, input size, kernel, stride, padding, and the forward route the plan must take. */
static const struct {
    int in_channels, out_channels, groups, size, kernel, stride, pad;
    cnn_conv_route forward;
} SHAPES[] = {
    {32, 4, 1, 7, 3, 2, 1, CNN_CONV_IM2COL},        {1, 8, 1, 12, 5, 1, 2, CNN_CONV_IMPLICIT},
    {8, 16, 1, 10, 3, 1, 1, CNN_CONV_WINOGRAD},     {8, 16, 1, 10, 5, 1, 2, CNN_CONV_WINOGRAD_ROWS},
    {4, 8, 1, 11, 7, 1, 3, CNN_CONV_WINOGRAD_ROWS}, {6, 5, 1, 7, 1, 1, 0, CNN_CONV_IM2COL},
    {4, 4, 4, 9, 3, 1, 1, CNN_CONV_DEPTHWISE},      {4, 4, 4, 9, 3, 2, 1, CNN_CONV_DEPTHWISE},
    {8, 16, 2, 8, 3, 1, 1, CNN_CONV_IMPLICIT},
};
#define SHAPE_COUNT ((int)(sizeof SHAPES / sizeof SHAPES[0]))

static cnn_geometry shape_geometry(int s, int batch) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = batch, g.in_channels = SHAPES[s].in_channels, g.out_channels = SHAPES[s].out_channels;
    g.groups = SHAPES[s].groups, g.in_height = g.in_width = SHAPES[s].size;
    g.kernel_h = g.kernel_w = SHAPES[s].kernel, g.stride_h = g.stride_w = SHAPES[s].stride;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = SHAPES[s].pad;
    cnn_conv2d_geometry(&g);
    return g;
}

/* A layer's tensors at the plan's batch and its results: out, grad_in, grad_weight, grad_bias. */
typedef struct {
    long in_count, out_count, weight_count;
    float *in, *weight, *bias, *grad_out, *result[4];
} tensors;

static tensors make_tensors(const cnn_geometry *g, int with_nan) {
    tensors t;
    t.in_count = (long)g->batch * g->in_channels * g->in_height * g->in_width;
    t.out_count = (long)g->batch * g->out_channels * g->out_height * g->out_width;
    t.weight_count = (long)g->out_channels * (g->in_channels / g->groups) * g->kernel_h * g->kernel_w;
    t.in = random_floats((int)t.in_count), t.weight = random_floats((int)t.weight_count);
    t.bias = random_floats(g->out_channels), t.grad_out = random_floats((int)t.out_count);
    if (with_nan) t.in[t.in_count / 2] = NAN;
    const long counts[4] = {t.out_count, t.in_count, t.weight_count, g->out_channels};
    for (int i = 0; i < 4; i++) t.result[i] = zero_floats((int)counts[i]);
    return t;
}

static void free_tensors(tensors *t) {
    free(t->in), free(t->weight), free(t->bias), free(t->grad_out);
    for (int i = 0; i < 4; i++) free(t->result[i]);
}

/* Forward and backward of the first `batch` images into t->result, by the plan or (NULL) by
   the functional ops from an empty cache. */
static void run(tensors *t, const cnn_conv2d_plan *plan, const cnn_geometry *g, int batch) {
    const long counts[4] = {t->out_count, t->in_count, t->weight_count, g->out_channels};
    for (int i = 0; i < 4; i++) memset(t->result[i], 0, sizeof(float) * (size_t)counts[i]);
    if (plan) {
        cnn_conv2d_plan_forward(t->result[0], t->in, t->weight, t->bias, plan, batch);
        cnn_conv2d_plan_backward(t->result[1], t->result[2], t->result[3], t->grad_out, t->in, t->weight, plan, batch);
        return;
    }
    cnn_geometry fresh = *g;
    fresh.batch = batch;
    cnn_conv2d_plan_cache_clear();
    CHECK(cnn_conv2d_forward(t->result[0], t->in, t->weight, t->bias, &fresh) == CNN_OK &&
              cnn_conv2d_backward(t->result[1], t->result[2], t->result[3], t->grad_out, t->in, t->weight, &fresh) ==
                  CNN_OK,
          "fresh call: %s", cnn_last_error());
}

static int same_results(float *const a[4], float *const b[4], const tensors *t, int outputs) {
    const long counts[4] = {t->out_count, t->in_count, t->weight_count, outputs};
    int same = 1;
    for (int i = 0; i < 4; i++) same &= memcmp(a[i], b[i], sizeof(float) * (size_t)counts[i]) == 0;
    return same;
}

static void plan_reused_matches_fresh_calls(void) {
    static const int BATCHES[RUNS] = {CAPACITY, 2, CAPACITY, 1, 3, CAPACITY};
    for (int s = 0; s < SHAPE_COUNT; s++)
        for (int with_nan = 0; with_nan <= 1; with_nan++) {
            const cnn_geometry g = shape_geometry(s, CAPACITY);
            tensors t = make_tensors(&g, with_nan);
            cnn_conv2d_plan plan;
            CHECK(cnn_conv2d_plan_create(&plan, &g, "conv2d") == CNN_OK, "plan: %s", cnn_last_error());
            CHECK(plan.forward == SHAPES[s].forward, "shape %d: forward route %d, want %d", s, plan.forward,
                  SHAPES[s].forward);
            float *planned[4];
            const long counts[4] = {t.out_count, t.in_count, t.weight_count, g.out_channels};
            for (int i = 0; i < 4; i++) planned[i] = zero_floats((int)counts[i]);
            int same = 1;
            for (int r = 0; r < RUNS; r++) {
                run(&t, &plan, &g, BATCHES[r]);
                for (int i = 0; i < 4; i++) memcpy(planned[i], t.result[i], sizeof(float) * (size_t)counts[i]);
                run(&t, NULL, &g, BATCHES[r]);
                same &= same_results(planned, t.result, &t, g.out_channels);
            }
            CHECK(same, "shape %d%s: a plan run %d times differs from fresh calls", s, with_nan ? " with a NaN" : "",
                  RUNS);
            cnn_conv2d_plan_destroy(&plan);
            for (int i = 0; i < 4; i++) free(planned[i]);
            free_tensors(&t);
        }
}

/* Every shape in turn, twice over: more shapes than the cache holds, so plans are evicted
   and made again; each answer equals a fresh call's, and a repeated call allocates nothing. */
static void cache_cycled_past_its_size(void) {
    tensors t[SHAPE_COUNT];
    float *first[SHAPE_COUNT][4];
    cnn_conv2d_plan_cache_clear();
    for (int pass = 0; pass < 2; pass++)
        for (int s = 0; s < SHAPE_COUNT; s++) {
            const cnn_geometry g = shape_geometry(s, 2);
            if (pass == 0) t[s] = make_tensors(&g, 0);
            float *out = zero_floats((int)t[s].out_count);
            CHECK(cnn_conv2d_forward(out, t[s].in, t[s].weight, t[s].bias, &g) == CNN_OK, "%s", cnn_last_error());
            reset_largest_malloc();
            CHECK(cnn_conv2d_forward(out, t[s].in, t[s].weight, t[s].bias, &g) == CNN_OK, "%s", cnn_last_error());
            CHECK(mallocs_since_reset() == 0, "shape %d: a repeated conv2d call allocated %ld times", s,
                  mallocs_since_reset());
            if (pass == 0)
                first[s][0] = out;
            else {
                CHECK(memcmp(out, first[s][0], sizeof(float) * (size_t)t[s].out_count) == 0,
                      "shape %d: the second pass differs", s);
                free(out);
            }
        }
    for (int s = 0; s < SHAPE_COUNT; s++) free(first[s][0]), free_tensors(&t[s]);
    cnn_conv2d_plan_cache_clear();
}

static void set_record(int32_t *record, cnn_layer_kind kind, int has_bias, int out_channels, int kernel, int pad) {
    cnn_geometry g = cnn_geometry_default();
    g.out_channels = out_channels, g.kernel_h = g.kernel_w = kernel, g.stride_h = g.stride_w = kernel ? kernel : 1;
    if (kind == CNN_LAYER_CONV2D) g.stride_h = g.stride_w = 1;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = pad;
    record[0] = kind, record[1] = has_bias;
    memcpy(record + 2, &g, sizeof g);
}

enum { LAB_LAYERS = 10 };

/* The training lab's model on 12×12 inputs: per block conv k×k (same padding) → batch norm →
   ReLU → 2×2 max pool, channels 8 then 16; flatten; linear to 10 classes. */
static cnn_network *lab_network(int kernel) {
    int32_t records[LAB_LAYERS * CNN_LAYER_FIELDS], *r = records;
    for (int block = 0; block < 2; block++) {
        set_record(r, CNN_LAYER_CONV2D, 0, 8 << block, kernel, kernel / 2), r += CNN_LAYER_FIELDS;
        set_record(r, CNN_LAYER_BATCH_NORM2D, 1, 0, 0, 0), r += CNN_LAYER_FIELDS;
        set_record(r, CNN_LAYER_RELU, 0, 0, 0, 0), r += CNN_LAYER_FIELDS;
        set_record(r, CNN_LAYER_MAX_POOL2D, 0, 0, 2, 0), r += CNN_LAYER_FIELDS;
    }
    set_record(r, CNN_LAYER_FLATTEN, 0, 0, 0, 0), r += CNN_LAYER_FIELDS;
    set_record(r, CNN_LAYER_LINEAR, 1, 10, 0, 0);
    return cnn_network_create(records, LAB_LAYERS, CAPACITY, 1, 12, 12);
}

static void network_steps_allocate_nothing(void) {
    for (int kernel = 3; kernel <= 7; kernel += 2) {
        cnn_network *net = lab_network(kernel);
        CHECK(net != NULL, "kernel %d: %s", kernel, cnn_last_error());
        if (!net) continue;
        float *params = cnn_network_parameters(net), *input = cnn_network_input(net), loss, grad_output[CAPACITY * 10];
        for (int i = 0; i < cnn_network_parameter_count(net); i++) params[i] = random_uniform(-0.3f, 0.3f);
        for (int i = 0; i < CAPACITY * 144; i++) input[i] = random_uniform(0, 1);
        for (int i = 0; i < CAPACITY * 10; i++) grad_output[i] = random_uniform(-1, 1);
        const int32_t targets[CAPACITY] = {1, 7, 3, 0};
        int32_t correct;
        reset_largest_malloc();
        int ok = 1;
        for (int step = 0; step < 3; step++)
            ok &= cnn_network_train_step(net, &loss, &correct, targets, step == 1 ? 2 : CAPACITY) == CNN_OK;
        ok &= cnn_network_forward(net, 3, 0) == CNN_OK && cnn_network_backward(net, grad_output, 3, 1) == CNN_OK;
        CHECK(ok, "kernel %d: %s", kernel, cnn_last_error());
        CHECK(mallocs_since_reset() == 0, "kernel %d: training steps allocated %ld times", kernel,
              mallocs_since_reset());
        cnn_network_destroy(net);
    }
}

/* Every allocation of a plan, and of a network (its plans included), fails in turn. */
static void out_of_memory_while_planning(void) {
    const cnn_geometry g = shape_geometry(2, CAPACITY); /* Winograd */
    int failures = 0;
    for (int n = 1;; n++) {
        cnn_conv2d_plan plan;
        clear_last_error();
        fail_nth_malloc(n);
        const cnn_status status = cnn_conv2d_plan_create(&plan, &g, "conv2d");
        fail_nth_malloc(0);
        if (status == CNN_OK) {
            cnn_conv2d_plan_destroy(&plan);
            break;
        }
        failures++;
        CHECK(status == CNN_OUT_OF_MEMORY && strstr(cnn_last_error(), "conv2d") && strstr(cnn_last_error(), "memory"),
              "plan, malloc %d failing: status %d, \"%s\"", n, status, cnn_last_error());
    }
    CHECK(failures >= 1, "a plan allocated nothing: is malloc wrapped?");
    for (int n = 1;; n++) {
        clear_last_error();
        fail_nth_malloc(n);
        cnn_network *net = lab_network(3);
        fail_nth_malloc(0);
        if (net) {
            float loss;
            int32_t correct;
            const int32_t targets[CAPACITY] = {0, 1, 2, 3};
            CHECK(cnn_network_train_step(net, &loss, &correct, targets, CAPACITY) == CNN_OK,
                  "after %d failed attempts: %s", n - 1, cnn_last_error());
            cnn_network_destroy(net);
            break;
        }
        CHECK(strstr(cnn_last_error(), "network") && strstr(cnn_last_error(), "memory"),
              "network, malloc %d failing: \"%s\"", n, cnn_last_error());
    }
}

void test_plan(void) {
    run_isolated("a plan reused across calls gives what fresh calls give", plan_reused_matches_fresh_calls);
    run_isolated("the functional ops' cache, cycled past its size", cache_cycled_past_its_size);
    run_isolated("a network's steps allocate nothing", network_steps_allocate_nothing);
    run_isolated("out of memory while a plan or a network is made", out_of_memory_while_planning);
}
