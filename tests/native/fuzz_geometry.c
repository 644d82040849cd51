/* fuzz_geometry.c — libFuzzer target: random cnn_geometry values (small ones
   mixed with int32 extremes) through the geometry functions; when one accepts
   a geometry whose tensors are small, run forward, backward and a trace on
   exactly sized buffers and check the trace against the forward output. Any
   sanitizer report, abort or timeout is a finding. Also feeds the shape
   helpers raw int32s. Not part of make test: run tests/native/fuzz.sh. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cnn.h"

/* Tensors above this many elements, or ops above this many multiply-adds, are skipped. */
enum { MAX_ELEMENTS = 1 << 16, MAX_WORK = 1 << 22 };

/* Under ASan, scratch above 256 MiB fails cleanly (CNN_OUT_OF_MEMORY) instead of being used. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1:max_allocation_size_mb=256"; }

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
    static const int32_t EDGES[] = {0,         -1,        INT32_MAX, INT32_MAX - 1, INT32_MIN, 1 << 30,
                                    (1 << 30) + 1, 1 << 16, (1 << 16) + 1, 46340, 46341, 1 << 15};
    const uint8_t b = next_byte(r);
    if (b >= 224) return EDGES[b % (sizeof EDGES / sizeof EDGES[0])];
    return (int32_t)(b % (small_max + 2)) - 1;
}

static cnn_geometry next_geometry(reader *r) {
    cnn_geometry g;
    int32_t *fields = (int32_t *)&g;
    static const int SMALL_MAX[CNN_GEOMETRY_FIELDS] = {
        3, 4, 9, 9,    /* batch, in_channels, in_height, in_width */
        4, 9, 9,       /* out_channels, out_height, out_width */
        5, 5, 3, 3,    /* kernel, stride */
        3, 3, 3, 3,    /* pads */
        3, 3, 2, 3, 3, /* dilation, groups, output_padding */
        1, 1};         /* ceil_mode, count_include_pad */
    for (int i = 0; i < CNN_GEOMETRY_FIELDS; i++) fields[i] = next_field(r, SMALL_MAX[i]);
    return g;
}

/* count ≤ MAX_ELEMENTS deterministic values in [−1, 1). */
/* A tensor worth allocating; a count below 1 means the geometry check failed
   us (an accepted negative size), which the sanitizers will have reported. */
static int small(double count) { return count >= 1 && count <= MAX_ELEMENTS; }

static float *pattern(double count, uint32_t seed) {
    float *values = malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
    if (!values) abort();
    for (int i = 0; i < (int)count; i++) {
        seed = seed * 1664525u + 1013904223u;
        values[i] = (float)(seed >> 8) / 8388608.0f - 1.0f;
    }
    return values;
}

static void check_trace(const cnn_trace_term *terms, int count, const float *result, float out, float bias) {
    if (count < 0) abort(); /* the geometry was accepted and the position is inside */
    double sum = bias, magnitude = fabs(bias);
    for (int t = 0; t < count; t++) sum += terms[t].product, magnitude += fabs(terms[t].product);
    if (fabs(sum - result[0]) > 1e-4 * magnitude + 1e-30 || fabs(out - result[0]) > 1e-4 * magnitude + 1e-30) abort();
}

static void run_conv(const cnn_geometry *g, int transposed, reader *r) {
    /* counts in double: a product of four int32s can pass int64 */
    const double in_count = (double)g->batch * g->in_channels * g->in_height * g->in_width;
    const double out_count = (double)g->batch * g->out_channels * g->out_height * g->out_width;
    const double weight_count = (double)g->out_channels * (g->in_channels / g->groups) * g->kernel_h * g->kernel_w;
    const double work = (transposed ? in_count : out_count) * weight_count / g->out_channels;
    if (!small(in_count) || !small(out_count) || !small(weight_count) || work > MAX_WORK) return;
    float *in = pattern(in_count, 1), *weight = pattern(weight_count, 2), *bias = pattern(g->out_channels, 3);
    float *out = pattern(out_count, 4), *grad_in = pattern(in_count, 5), *grad_weight = pattern(weight_count, 6);
    float *grad_bias = pattern(g->out_channels, 7);
    const int max_terms = (int)(weight_count / g->out_channels);
    cnn_trace_term *terms = malloc(sizeof(cnn_trace_term) * (size_t)max_terms);
    if (!terms) abort();
    const cnn_status status = transposed ? cnn_conv_transpose2d_forward(out, in, weight, bias, g)
                                         : cnn_conv2d_forward(out, in, weight, bias, g);
    if (status == CNN_OK) {
        const int n = next_byte(r) % g->batch, oc = next_byte(r) % g->out_channels;
        const int row = next_byte(r) % g->out_height, col = next_byte(r) % g->out_width;
        float result[2];
        const int count = transposed
            ? cnn_conv_transpose2d_trace(terms, max_terms, result, in, weight, bias, g, n, oc, row, col)
            : cnn_conv2d_trace(terms, max_terms, result, in, weight, bias, g, n, oc, row, col);
        check_trace(terms, count, result,
                    out[(((long long)n * g->out_channels + oc) * g->out_height + row) * g->out_width + col], bias[oc]);
    }
    if (transposed) cnn_conv_transpose2d_backward(grad_in, grad_weight, grad_bias, out, in, weight, g);
    else cnn_conv2d_backward(grad_in, grad_weight, grad_bias, out, in, weight, g);
    free(in), free(weight), free(bias), free(out), free(grad_in), free(grad_weight), free(grad_bias), free(terms);
}

static void run_pool(const cnn_geometry *g, int max, reader *r) {
    const double in_count = (double)g->batch * g->in_channels * g->in_height * g->in_width;
    const double out_count = (double)g->batch * g->in_channels * g->out_height * g->out_width;
    const double taps = (double)g->kernel_h * g->kernel_w;
    if (!small(in_count) || !small(out_count) || !small(taps) || out_count * taps > MAX_WORK) return;
    float *in = pattern(in_count, 1), *out = pattern(out_count, 2), *grad_in = pattern(in_count, 3);
    int32_t *argmax = calloc((size_t)out_count, sizeof(int32_t));
    cnn_trace_term *terms = malloc(sizeof(cnn_trace_term) * (size_t)taps);
    if (!argmax || !terms) abort();
    const cnn_status status = max ? cnn_max_pool2d_forward(out, argmax, in, g) : cnn_avg_pool2d_forward(out, in, g);
    if (status == CNN_OK) {
        if (max && cnn_max_pool2d_backward(grad_in, out, argmax, g) != CNN_OK) abort(); /* its own argmax */
        if (!max) cnn_avg_pool2d_backward(grad_in, out, g);
        const int n = next_byte(r) % g->batch, c = next_byte(r) % g->in_channels;
        const int row = next_byte(r) % g->out_height, col = next_byte(r) % g->out_width;
        float result[2];
        const int count = cnn_pool2d_trace(terms, (int)taps, result, in, g, max ? 0 : 1, n, c, row, col);
        const float cell = out[(((long long)n * g->in_channels + c) * g->out_height + row) * g->out_width + col];
        if (count < 0 || (max && result[0] != cell)) abort();
        if (!max) check_trace(terms, count, result, cell, 0.0f);
    }
    free(in), free(out), free(grad_in), free(argmax), free(terms);
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
    cnn_linear_macs(v[0], v[1], v[2]);
    cnn_receptive_field(rf, layers, 2);
    cnn_receptive_field_span(span, layers, 2, v[5]);
    cnn_geometry g = next_geometry(r);
    cnn_conv2d_macs(&g);
    cnn_conv_transpose2d_macs(&g);
    cnn_conv_transpose2d_equivalent(equivalent, &g);
    cnn_conv2d_pad_same(&g);
    if (cnn_conv2d_geometry(&g) == CNN_OK) run_conv(&g, 0, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size, 0};
    const int op = next_byte(&r) % 5;
    if (op == 4) {
        run_helpers(&r);
        return 0;
    }
    cnn_geometry g = next_geometry(&r);
    switch (op) {
    case 0: if (cnn_conv2d_geometry(&g) == CNN_OK) run_conv(&g, 0, &r); break;
    case 1: if (cnn_conv_transpose2d_geometry(&g) == CNN_OK) run_conv(&g, 1, &r); break;
    case 2: if (cnn_max_pool2d_geometry(&g) == CNN_OK) run_pool(&g, 1, &r); break;
    default: if (cnn_avg_pool2d_geometry(&g) == CNN_OK) run_pool(&g, 0, &r); break;
    }
    return 0;
}
