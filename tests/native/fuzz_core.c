/* fuzz_core.c — libFuzzer target over the C API (make fuzz; a 20-second smoke in make test).
   The first byte picks an op; geometry fields come small, or one byte in eight from the int32
   edges; tensors are small and exactly sized (ASan sees any access past them). An accepted
   geometry runs forward and backward and both are compared with the naive reference
   (reference.c), and a conv's trace with its output; a refused one must be refused by the op
   too, without touching its 1-float buffers. Dense ops, the shape helpers and small compiled
   networks take the same bytes. A finding is any sanitizer report, a mismatch (abort), or a
   timeout. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cnn.h"
#include "cnn_network.h"
#include "reference.h"

/* Tensors above this many elements, or ops above this many multiply-adds, are skipped. */
enum { MAX_ELEMENTS = 1 << 10, MAX_WORK = 1 << 12 };

/* A block above 8 MiB fails (malloc returns NULL; fuzz.sh links with --wrap=malloc). The ops'
   tensors here are at most MAX_ELEMENTS and their work MAX_WORK, and their scratch is sized by
   what the output reads, so an op that still needs such a block is a finding (they must return
   CNN_OK). A network gets 64 KiB blocks: larger activations are refused with CNN_OUT_OF_MEMORY
   before anything is filled, which keeps an execution short. */
static size_t block_limit = 8 << 20;
void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_malloc(size_t size) { return size > block_limit ? NULL : __real_malloc(size); }

typedef struct {
    const uint8_t *data;
    size_t size, at;
} reader;

static uint8_t next_byte(reader *r) { return r->at < r->size ? r->data[r->at++] : 0; }

static int32_t next_int32(reader *r) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = v << 8 | next_byte(r);
    return (int32_t)v;
}

/* Mostly −1 … small_max; one byte in eight picks a value near an int32 edge. */
static int32_t next_field(reader *r, int small_max) {
    static const int32_t EDGES[] = {0,
                                    -1,
                                    INT32_MAX,
                                    INT32_MAX - 1,
                                    INT32_MIN,
                                    1 << 30,
                                    (1 << 30) + 1,
                                    (1 << 30) - 1,
                                    1 << 16,
                                    (1 << 16) + 1,
                                    46340,
                                    46341,
                                    1 << 15,
                                    1 << 20,
                                    (1 << 23),
                                    1 << 22};
    const uint8_t b = next_byte(r);
    if (b >= 224) return EDGES[b % (sizeof EDGES / sizeof EDGES[0])];
    return (int32_t)(b % (small_max + 2)) - 1;
}

static cnn_geometry next_geometry(reader *r) {
    cnn_geometry g;
    int32_t *fields = (int32_t *)&g;
    static const int SMALL_MAX[CNN_GEOMETRY_FIELDS] = {3, 9, 9, 9,    /* batch, in_channels, in_height, in_width */
                                                       9, 9, 9,       /* out_channels, out_height, out_width */
                                                       7, 7, 3, 3,    /* kernel, stride */
                                                       3, 3, 3, 3,    /* pads */
                                                       3, 3, 9, 3, 3, /* dilation, groups, output_padding */
                                                       1, 1};         /* ceil_mode, count_include_pad */
    for (int i = 0; i < CNN_GEOMETRY_FIELDS; i++) fields[i] = next_field(r, SMALL_MAX[i]);
    return g;
}

/* The geometry under test, printed with a failed check (a finding). */
static cnn_geometry current;

static void fail_at(int line) {
    const int32_t *f = (const int32_t *)&current;
    fprintf(stderr, "fuzz_core.c:%d: check failed; geometry", line);
    for (int i = 0; i < CNN_GEOMETRY_FIELDS; i++) fprintf(stderr, " %d", f[i]);
    fprintf(stderr, "\nlast error: %s\n", cnn_last_error());
    abort();
}
#define require(ok) ((ok) ? (void)0 : fail_at(__LINE__))

/* A tensor worth allocating. */
static int small(double count) { return count >= 1 && count <= MAX_ELEMENTS; }

/* count deterministic values in [−1, 1), exactly count floats (at least one). */
static float *pattern(double count, uint32_t seed) {
    float *values = malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
    require(values != NULL);
    for (int i = 0; i < (int)count; i++) {
        seed = seed * 1664525u + 1013904223u;
        values[i] = (float)(seed >> 8) / 8388608.0f - 1.0f;
    }
    return values;
}

static double *doubles(double count) {
    double *values = calloc((size_t)(count > 0 ? count : 1), sizeof(double));
    require(values != NULL);
    return values;
}

/* |got − want| small against the magnitude of the terms (float sums of up to MAX_WORK products). */
static void require_close(const float *got, const double *want, double count) {
    for (int i = 0; i < (int)count; i++) require(fabs(got[i] - want[i]) <= 1e-3 + 1e-3 * fabs(want[i]));
}

static void check_trace(const cnn_trace_term *terms, int count, const float *result, float out, float bias) {
    require(count >= 0); /* the geometry was accepted and the position is inside */
    double sum = bias, magnitude = fabs(bias);
    for (int t = 0; t < count; t++) sum += terms[t].product, magnitude += fabs(terms[t].product);
    require(fabs(sum - result[0]) <= 1e-4 * magnitude + 1e-30 && fabs(out - result[0]) <= 1e-4 * magnitude + 1e-30);
}

/* The conv2d geometry whose grad_input a transposed convolution t is: channels and sizes swapped. */
static cnn_geometry adjoint_of(const cnn_geometry *t) {
    cnn_geometry c = *t;
    c.in_channels = t->out_channels, c.out_channels = t->in_channels, c.in_height = t->out_height;
    c.in_width = t->out_width, c.out_height = t->in_height, c.out_width = t->in_width;
    return c;
}

static void run_conv(const cnn_geometry *g, int transposed, reader *r) {
    const cnn_geometry c = transposed ? adjoint_of(g) : *g; /* the conv2d the reference computes */
    const double conv_in = reference_input_count(&c), conv_out = reference_output_count(&c);
    const double weight_count = reference_weight_count(&c);
    const double in_count = transposed ? conv_out : conv_in, out_count = transposed ? conv_in : conv_out;
    if (!small(in_count) || !small(out_count) || !small(weight_count) ||
        conv_out * weight_count / c.out_channels > MAX_WORK)
        return;
    float *in = pattern(in_count, 1), *weight = pattern(weight_count, 2), *bias = pattern(g->out_channels, 3);
    float *out = pattern(out_count, 4), *grad_out = pattern(out_count, 5), *grad_in = pattern(in_count, 6);
    float *grad_weight = pattern(weight_count, 7), *grad_bias = pattern(g->out_channels, 8);
    double *want_out = doubles(out_count), *want_in = doubles(in_count), *want_weight = doubles(weight_count);
    double *want_bias = doubles(g->out_channels);
    /* backward accumulates: the reference adds to the starting values */
    for (int i = 0; i < (int)in_count; i++) want_in[i] = grad_in[i];
    const cnn_status status = transposed ? cnn_conv_transpose2d_forward(out, in, weight, bias, g)
                                         : cnn_conv2d_forward(out, in, weight, bias, g);
    require(status == CNN_OK);
    {
        if (transposed) {
            reference_conv2d_backward(want_out, NULL, NULL, in, in, weight, &c);
            const long long plane = (long long)g->out_height * g->out_width;
            for (long long i = 0; i < (long long)out_count; i++) want_out[i] += bias[i / plane % g->out_channels];
        } else {
            reference_conv2d(want_out, in, weight, bias, &c);
        }
        require_close(out, want_out, out_count);
        const int max_terms = g->in_channels / g->groups * g->kernel_h * g->kernel_w; /* enough, cnn.h */
        cnn_trace_term *terms = malloc(sizeof(cnn_trace_term) * (size_t)(max_terms > 0 ? max_terms : 1));
        require(terms != NULL);
        const int n = next_byte(r) % g->batch, oc = next_byte(r) % g->out_channels;
        const int row = next_byte(r) % g->out_height, col = next_byte(r) % g->out_width;
        float result[2];
        const int count =
            transposed ? cnn_conv_transpose2d_trace(terms, max_terms, result, in, weight, bias, g, n, oc, row, col)
                       : cnn_conv2d_trace(terms, max_terms, result, in, weight, bias, g, n, oc, row, col);
        check_trace(terms, count, result,
                    out[(((long long)n * g->out_channels + oc) * g->out_height + row) * g->out_width + col], bias[oc]);
        free(terms);
    }
    const cnn_status backward =
        transposed ? cnn_conv_transpose2d_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, g)
                   : cnn_conv2d_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, g);
    require(backward == CNN_OK);
    {
        double *fresh_in = doubles(in_count);
        if (transposed) {
            reference_conv2d(fresh_in, grad_out, weight, NULL, &c);
            reference_conv2d_backward(NULL, want_weight, NULL, in, grad_out, weight, &c);
            const long long plane = (long long)g->out_height * g->out_width;
            for (long long i = 0; i < (long long)out_count; i++) want_bias[i / plane % g->out_channels] += grad_out[i];
        } else {
            reference_conv2d_backward(fresh_in, want_weight, want_bias, grad_out, in, weight, &c);
        }
        float *weight_start = pattern(weight_count, 7), *bias_start = pattern(g->out_channels, 8);
        for (int i = 0; i < (int)in_count; i++) want_in[i] += fresh_in[i];
        for (int i = 0; i < (int)weight_count; i++) want_weight[i] += weight_start[i];
        for (int i = 0; i < g->out_channels; i++) want_bias[i] += bias_start[i];
        require_close(grad_in, want_in, in_count);
        require_close(grad_weight, want_weight, weight_count);
        require_close(grad_bias, want_bias, g->out_channels);
        free(fresh_in), free(weight_start), free(bias_start);
    }
    free(in), free(weight), free(bias), free(out), free(grad_out), free(grad_in), free(grad_weight), free(grad_bias);
    free(want_out), free(want_in), free(want_weight), free(want_bias);
}

static void run_pool(const cnn_geometry *g, int max, reader *r) {
    const double in_count = (double)g->batch * g->in_channels * g->in_height * g->in_width;
    const double out_count = (double)g->batch * g->in_channels * g->out_height * g->out_width;
    const double taps = (double)g->kernel_h * g->kernel_w;
    if (!small(in_count) || !small(out_count) || !small(taps) || out_count * taps > MAX_WORK) return;
    float *in = pattern(in_count, 1), *out = pattern(out_count, 2), *grad_in = pattern(in_count, 3);
    int32_t *argmax = calloc((size_t)out_count, sizeof(int32_t));
    cnn_trace_term *terms = malloc(sizeof(cnn_trace_term) * (size_t)taps);
    double *want = doubles(out_count);
    require(argmax && terms);
    require((max ? cnn_max_pool2d_forward(out, argmax, in, g) : cnn_avg_pool2d_forward(out, in, g)) == CNN_OK);
    reference_pool2d(want, in, g, max);
    require_close(out, want, out_count);
    if (max)
        require(cnn_max_pool2d_backward(grad_in, out, argmax, g) == CNN_OK); /* its own argmax */
    else
        require(cnn_avg_pool2d_backward(grad_in, out, g) == CNN_OK);
    const int n = next_byte(r) % g->batch, c = next_byte(r) % g->in_channels;
    const int row = next_byte(r) % g->out_height, col = next_byte(r) % g->out_width;
    float result[2];
    const int count = cnn_pool2d_trace(terms, (int)taps, result, in, g, max ? 0 : 1, n, c, row, col);
    const float cell = out[(((long long)n * g->in_channels + c) * g->out_height + row) * g->out_width + col];
    require(count >= 0 && (!max || result[0] == cell));
    if (!max) check_trace(terms, count, result, cell, 0.0f);
    free(in), free(out), free(grad_in), free(argmax), free(terms), free(want);
}

/* A refused geometry must be refused by the op too (1-float buffers: a write past them is a finding). */
static void require_refused(const cnn_geometry *g, int op) {
    float one[1] = {0};
    int32_t index[1] = {0};
    cnn_status status;
    switch (op) {
        case 0:
            status = cnn_conv2d_forward(one, one, one, one, g);
            break;
        case 1:
            status = cnn_conv_transpose2d_backward(one, one, one, one, one, one, g);
            break;
        case 2:
            status = cnn_max_pool2d_forward(one, index, one, g);
            break;
        default:
            status = cnn_avg_pool2d_backward(one, one, g);
            break;
    }
    require(status == CNN_INVALID_ARGUMENT);
}

/* y = x·Wᵀ + b and its backward, ReLU, batch norm and cross entropy on small sizes or edge ones. */
static void run_dense(reader *r) {
    const int32_t batch = next_field(r, 5), in_features = next_field(r, 9), out_features = next_field(r, 9);
    const double in_count = (double)batch * in_features, out_count = (double)batch * out_features;
    const double weight_count = (double)in_features * out_features;
    if (batch < 1 || in_features < 1 || out_features < 1) {
        float one[1] = {0};
        require(cnn_linear_forward(one, one, one, one, batch, in_features, out_features) == CNN_INVALID_ARGUMENT);
        return;
    }
    if (!small(in_count) || !small(out_count) || !small(weight_count)) return;
    float *in = pattern(in_count, 1), *weight = pattern(weight_count, 2), *bias = pattern(out_features, 3);
    float *out = pattern(out_count, 4), *grad_in = pattern(in_count, 5), *grad_out = pattern(out_count, 6);
    require(cnn_linear_forward(out, in, weight, bias, batch, in_features, out_features) == CNN_OK);
    for (int n = 0; n < batch; n++)
        for (int o = 0; o < out_features; o++) {
            double sum = bias[o];
            for (int i = 0; i < in_features; i++) sum += (double)in[n * in_features + i] * weight[o * in_features + i];
            require(fabs(out[n * out_features + o] - sum) <= 1e-4 + 1e-4 * fabs(sum));
        }
    require(cnn_linear_backward(grad_in, NULL, NULL, grad_out, in, weight, batch, in_features, out_features) == CNN_OK);
    require(cnn_relu_forward(out, out, (int32_t)out_count) == CNN_OK);
    for (int i = 0; i < (int)out_count; i++) require(out[i] >= 0);
    /* batch norm over [batch, in_features, 1, 1]: training needs 2 values per channel */
    float mean[16], invstd[16], running[32];
    for (int i = 0; i < 32; i++) running[i] = 1.0f;
    if (in_features <= 16) {
        const cnn_status s = cnn_batch_norm2d_forward(grad_in, mean, invstd, running, running + 16, in, NULL, NULL, 1,
                                                      0.5f, 1e-3f, batch, in_features, 1, 1);
        require(s == CNN_OK || batch < 2);
    }
    int32_t *targets = malloc(sizeof(int32_t) * (size_t)batch);
    require(targets != NULL);
    for (int n = 0; n < batch; n++) targets[n] = (int32_t)(next_byte(r) % (out_features + 1)); /* one past: refused */
    float loss = 0;
    const cnn_status s = cnn_cross_entropy_forward(&loss, out, grad_out, targets, batch, out_features);
    int valid = 1;
    for (int n = 0; n < batch; n++) valid &= targets[n] < out_features;
    require(valid ? s == CNN_OK && loss >= 0 : s == CNN_INVALID_ARGUMENT);
    free(in), free(weight), free(bias), free(out), free(grad_in), free(grad_out), free(targets);
}

/* A network of up to 4 layers from the bytes on a small input: created or refused; if created,
   a training step, then forward and backward of another batch, and a mismatched backward refused. */
static void run_network(reader *r) {
    enum { LAYERS = 4 };
    int32_t records[LAYERS * CNN_LAYER_FIELDS];
    const int count = 1 + next_byte(r) % LAYERS;
    for (int l = 0; l < count; l++) {
        cnn_geometry g = next_geometry(r);
        if (g.out_channels > 16) g.out_channels = 16; /* edges elsewhere; 2^30 channels would only allocate */
        records[l * CNN_LAYER_FIELDS] = 1 + next_byte(r) % 8;
        records[l * CNN_LAYER_FIELDS + 1] = next_byte(r) & 1;
        memcpy(records + l * CNN_LAYER_FIELDS + 2, &g, sizeof g);
    }
    const int capacity = 1 + next_byte(r) % 4, channels = 1 + next_byte(r) % 3;
    const int height = 1 + next_byte(r) % 9, width = 1 + next_byte(r) % 9;
    block_limit = 64 << 10;
    cnn_network *net = cnn_network_create(records, count, capacity, channels, height, width);
    block_limit = 8 << 20;
    if (!net) return;
    int32_t shape[3];
    cnn_network_activation(net, count - 1, shape);
    const double out_per_sample = (double)shape[0] * shape[1] * shape[2];
    if (!small(out_per_sample * capacity) || cnn_network_parameter_count(net) > MAX_WORK) {
        cnn_network_destroy(net);
        return;
    }
    float *input = cnn_network_input(net);
    for (int i = 0; i < capacity * channels * height * width; i++) input[i] = (float)((i * 7919) % 13) / 6.0f - 1.0f;
    for (int l = 0; l < count; l++)
        if (records[l * CNN_LAYER_FIELDS] == CNN_LAYER_BATCH_NORM2D) cnn_network_set_batch_norm(net, l, 0.3f, 0.01f);
    int32_t targets[4] = {0, 1, 2, 3};
    for (int n = 0; n < 4; n++) targets[n] %= (int32_t)out_per_sample;
    float loss;
    int32_t correct;
    cnn_network_train_step(net, &loss, &correct, targets, capacity);
    const int batch = 1 + next_byte(r) % capacity;
    float *grad_output = pattern(out_per_sample * batch, 9);
    if (cnn_network_forward(net, batch, next_byte(r) & 1) == CNN_OK) {
        cnn_network_backward(net, grad_output, batch, 1);
        if (batch > 1) require(cnn_network_backward(net, grad_output, batch - 1, 1) == CNN_INVALID_ARGUMENT);
    }
    free(grad_output);
    cnn_network_destroy(net);
}

/* The shape helpers on raw int32s: any answer is fine, undefined behaviour is not. */
static void run_helpers(reader *r) {
    int32_t v[6], layers[8], equivalent[6];
    for (int i = 0; i < 6; i++) v[i] = next_int32(r);
    for (int i = 0; i < 8; i++) layers[i] = next_int32(r);
    double rf[8], span[2];
    cnn_conv_out_size(v[0], v[1], v[2], v[3], v[4]);
    cnn_conv_transpose_out_size(v[0], v[1], v[2], v[3], v[4], v[5]);
    cnn_pool_out_size(v[0], v[1], v[2], v[3], v[4], v[5]);
    cnn_conv2d_params(v[0], v[1], v[2], v[3], v[4], v[5]);
    cnn_batch_norm2d_params(v[0], v[1]);
    cnn_linear_macs(v[0], v[1], v[2]);
    cnn_receptive_field(rf, layers, 2);
    cnn_receptive_field_span(span, layers, 2, v[5]);
    cnn_geometry g = next_geometry(r);
    cnn_conv2d_macs(&g);
    cnn_conv_transpose2d_macs(&g);
    cnn_conv_transpose2d_equivalent(equivalent, &g);
    if (cnn_conv2d_pad_same(&g) == CNN_OK && cnn_conv2d_geometry(&g) == CNN_OK) run_conv(&g, 0, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size, 0};
    const int op = next_byte(&r) % 7;
    if (op == 4) return run_helpers(&r), 0;
    if (op == 5) return run_dense(&r), 0;
    if (op == 6) return run_network(&r), 0;
    cnn_geometry g = next_geometry(&r);
    const cnn_geometry asked = g;
    current = g;
    cnn_status status;
    switch (op) {
        case 0:
            status = cnn_conv2d_geometry(&g);
            break;
        case 1:
            status = cnn_conv_transpose2d_geometry(&g);
            break;
        case 2:
            status = cnn_max_pool2d_geometry(&g);
            break;
        default:
            status = cnn_avg_pool2d_geometry(&g);
            break;
    }
    current = g;
    if (status != CNN_OK) {
        require(status == CNN_INVALID_ARGUMENT);
        require_refused(&asked, op);
    } else if (op <= 1) {
        run_conv(&g, op, &r);
    } else {
        run_pool(&g, op == 2, &r);
    }
    return 0;
}
