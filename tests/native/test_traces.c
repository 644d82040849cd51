/* test_traces.c — the teaching traces agree with the ops: on random valid
   geometries, at every output position, a trace's terms sum (plus bias) to
   its result and to the forward output, each term's coordinates follow the
   window formula, and the max-pool winner is the forward argmax. */
#include <math.h>
#include <stdlib.h>
#include "harness.h"

enum { CASES = 24, MAX_TERMS = 8 * 3 * 3 };

typedef enum { CONV2D, CONV_TRANSPOSE2D, MAX_POOL2D, AVG_POOL2D } window_op;

static cnn_status solve(window_op op, cnn_geometry *g) {
    switch (op) {
        case CONV2D:
            return cnn_conv2d_geometry(g);
        case CONV_TRANSPOSE2D:
            return cnn_conv_transpose2d_geometry(g);
        case MAX_POOL2D:
            return cnn_max_pool2d_geometry(g);
        default:
            return cnn_avg_pool2d_geometry(g);
    }
}

/* Draws small geometries until the op accepts one. */
static cnn_geometry random_geometry(window_op op) {
    const int pool = op == MAX_POOL2D || op == AVG_POOL2D;
    for (;;) {
        cnn_geometry g = cnn_geometry_default();
        g.batch = random_int(1, 2), g.groups = pool ? 1 : random_int(1, 2);
        g.in_channels = g.groups * random_int(1, 2), g.out_channels = g.groups * random_int(1, 2);
        g.in_height = random_int(1, 7), g.in_width = random_int(1, 13); /* SIMD groups of 4 columns */
        g.kernel_h = random_int(1, 3), g.kernel_w = random_int(1, 3);
        g.stride_h = random_int(1, 3), g.stride_w = random_int(1, 3);
        if (op != AVG_POOL2D) g.dilation_h = random_int(1, 2), g.dilation_w = random_int(1, 2);
        g.pad_top = random_int(0, 2), g.pad_left = random_int(0, 2);
        g.pad_bottom = pool ? g.pad_top : random_int(0, 2);
        g.pad_right = pool ? g.pad_left : random_int(0, 2);
        if (op == CONV_TRANSPOSE2D) g.output_padding_h = random_int(0, 1), g.output_padding_w = random_int(0, 1);
        g.ceil_mode = random_int(0, 1), g.count_include_pad = random_int(0, 1);
        if (solve(op, &g) == CNN_OK) return g;
    }
}

static int input_count(const cnn_geometry *g) { return g->batch * g->in_channels * g->in_height * g->in_width; }
static int output_count(const cnn_geometry *g) { return g->batch * g->out_channels * g->out_height * g->out_width; }
/* in[n][channel][row][col] */
static float input_at(const float *in, const cnn_geometry *g, int n, int channel, int row, int col) {
    return in[(((long)n * g->in_channels + channel) * g->in_height + row) * g->in_width + col];
}

/* Σ products + bias = result = forward output (the forward sums in another order). */
static int sums_match(const cnn_trace_term *terms, int count, float bias, float result, float out) {
    double sum = bias;
    for (int t = 0; t < count; t++) sum += terms[t].product;
    return close_enough(result, sum, 1e-5, 1e-5) && close_enough(out, result, 1e-5, 1e-5);
}

/* Term t of a conv2d trace at (n, oc, oh, ow): tap (kh, kw) of input channel
   c of the group, at row oh·stride_h − pad_top + kh·dilation_h (columns alike). */
static int conv2d_term_ok(const cnn_trace_term *term, int t, const float *in, const float *weight,
                          const cnn_geometry *g, int n, int oc, int oh, int ow) {
    const int group_in = g->in_channels / g->groups, taps = g->kernel_h * g->kernel_w;
    const int c = t / taps, kh = t / g->kernel_w % g->kernel_h, kw = t % g->kernel_w;
    const int channel = oc / (g->out_channels / g->groups) * group_in + c;
    const int row = oh * g->stride_h - g->pad_top + kh * g->dilation_h;
    const int col = ow * g->stride_w - g->pad_left + kw * g->dilation_w;
    const int inside = row >= 0 && row < g->in_height && col >= 0 && col < g->in_width;
    return term->channel == channel && term->kernel_row == kh && term->kernel_col == kw && term->row == row &&
           term->col == col && term->padded_row == row + g->pad_top && term->padded_col == col + g->pad_left &&
           term->in_bounds == inside && term->value == (inside ? input_at(in, g, n, channel, row, col) : 0.0f) &&
           term->weight == weight[(oc * group_in + c) * taps + kh * g->kernel_w + kw] &&
           term->product == term->value * term->weight;
}

static void check_conv2d_traces(const char *label, const cnn_geometry g) {
    const int terms_per_cell = g.in_channels / g.groups * g.kernel_h * g.kernel_w;
    float *in = random_floats(input_count(&g)), *weight = random_floats(g.out_channels * terms_per_cell);
    float *bias = random_floats(g.out_channels), *out = zero_floats(output_count(&g));
    CHECK(cnn_conv2d_forward(out, in, weight, bias, &g) == CNN_OK, "conv2d: %s", cnn_last_error());
    int sums = 1, terms_ok = 1, counts = 1, i = 0;
    for (int n = 0; n < g.batch; n++)
        for (int oc = 0; oc < g.out_channels; oc++)
            for (int oh = 0; oh < g.out_height; oh++)
                for (int ow = 0; ow < g.out_width; ow++, i++) {
                    cnn_trace_term terms[MAX_TERMS];
                    float result[2];
                    const int count = cnn_conv2d_trace(terms, MAX_TERMS, result, in, weight, bias, &g, n, oc, oh, ow);
                    counts &= count == terms_per_cell && result[1] == bias[oc];
                    if (count != terms_per_cell) continue;
                    sums &= sums_match(terms, count, result[1], result[0], out[i]);
                    for (int t = 0; t < count; t++)
                        terms_ok &= conv2d_term_ok(&terms[t], t, in, weight, &g, n, oc, oh, ow);
                }
    CHECK(counts, "conv2d trace %s: term count or bias wrong", label);
    CHECK(sums, "conv2d trace %s: terms do not sum to the forward output", label);
    CHECK(terms_ok, "conv2d trace %s: a term's coordinates, value or weight are wrong", label);
    free(in), free(weight), free(bias), free(out);
}

/* Random geometries (the depthwise, direct and im2col paths), then one that
   takes the Winograd path (3×3, stride 1, 8+ channels). */
static void conv2d_traces(void) {
    for (int c = 0; c < CASES; c++) check_conv2d_traces("random", random_geometry(CONV2D));
    cnn_geometry g = cnn_geometry_default();
    g.batch = 2, g.in_channels = g.out_channels = 8, g.in_height = 5, g.in_width = 6;
    g.kernel_h = g.kernel_w = 3, g.pad_top = g.pad_bottom = g.pad_left = 1;
    CHECK(cnn_conv2d_geometry(&g) == CNN_OK, "Winograd geometry: %s", cnn_last_error());
    check_conv2d_traces("Winograd", g);
}

/* Input cells (any channel) whose tap (kh, kw) lands on (oh, ow):
   row·stride_h − pad_top + kh·dilation_h = oh, columns alike. */
static int landing_taps(const cnn_geometry *g, int oh, int ow) {
    int landing = 0;
    for (int kh = 0; kh < g->kernel_h; kh++)
        for (int kw = 0; kw < g->kernel_w; kw++)
            for (int row = 0; row < g->in_height; row++)
                for (int col = 0; col < g->in_width; col++)
                    landing += row * g->stride_h - g->pad_top + kh * g->dilation_h == oh &&
                               col * g->stride_w - g->pad_left + kw * g->dilation_w == ow;
    return landing;
}

/* A transposed trace term: its input cell and tap land on (oh, ow), and its
   padded place is both row·stride + pad_begin of the equivalent conv and
   oh + (KH − 1 − kh)·dilation, the flipped tap. */
static int transposed_term_ok(const cnn_trace_term *term, const float *in, const float *weight, const cnn_geometry *g,
                              const int32_t *equivalent, int n, int oc, int oh, int ow) {
    const int group_in = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    const int first_channel = oc / group_out * group_in, taps = g->kernel_h * g->kernel_w;
    return term->row * g->stride_h - g->pad_top + term->kernel_row * g->dilation_h == oh &&
           term->col * g->stride_w - g->pad_left + term->kernel_col * g->dilation_w == ow &&
           term->padded_row == term->row * g->stride_h + equivalent[2] &&
           term->padded_col == term->col * g->stride_w + equivalent[3] &&
           term->padded_row == oh + (g->kernel_h - 1 - term->kernel_row) * g->dilation_h &&
           term->padded_col == ow + (g->kernel_w - 1 - term->kernel_col) * g->dilation_w &&
           term->channel >= first_channel && term->channel < first_channel + group_in && term->in_bounds &&
           term->value == input_at(in, g, n, term->channel, term->row, term->col) &&
           term->weight == weight[(term->channel * group_out + oc % group_out) * taps + term->kernel_row * g->kernel_w +
                                  term->kernel_col];
}

static void conv_transpose2d_traces(void) {
    for (int c = 0; c < CASES; c++) {
        const cnn_geometry g = random_geometry(CONV_TRANSPOSE2D);
        const int group_in = g.in_channels / g.groups;
        const int weight_count = g.in_channels * (g.out_channels / g.groups) * g.kernel_h * g.kernel_w;
        int32_t equivalent[6];
        CHECK(cnn_conv_transpose2d_equivalent(equivalent, &g) == CNN_OK, "equivalent: %s", cnn_last_error());
        float *in = random_floats(input_count(&g)), *weight = random_floats(weight_count);
        float *bias = random_floats(g.out_channels), *out = zero_floats(output_count(&g));
        CHECK(cnn_conv_transpose2d_forward(out, in, weight, bias, &g) == CNN_OK, "conv_transpose2d: %s",
              cnn_last_error());
        int sums = 1, terms_ok = 1, counts = 1, i = 0;
        for (int n = 0; n < g.batch; n++)
            for (int oc = 0; oc < g.out_channels; oc++)
                for (int oh = 0; oh < g.out_height; oh++)
                    for (int ow = 0; ow < g.out_width; ow++, i++) {
                        cnn_trace_term terms[MAX_TERMS];
                        float result[2];
                        const int count =
                            cnn_conv_transpose2d_trace(terms, MAX_TERMS, result, in, weight, bias, &g, n, oc, oh, ow);
                        counts &= count == group_in * landing_taps(&g, oh, ow) && result[1] == bias[oc];
                        if (count < 0) continue;
                        sums &= sums_match(terms, count, result[1], result[0], out[i]);
                        for (int t = 0; t < count; t++)
                            terms_ok &= transposed_term_ok(&terms[t], in, weight, &g, equivalent, n, oc, oh, ow);
                    }
        CHECK(counts, "conv_transpose2d trace case %d: term count or bias wrong", c);
        CHECK(sums, "conv_transpose2d trace case %d: terms do not sum to the forward output", c);
        CHECK(terms_ok, "conv_transpose2d trace case %d: a term's coordinates, value or weight are wrong", c);
        free(in), free(weight), free(bias), free(out);
    }
}

/* Max: result[0] is the forward output bit for bit, exactly one term has
   weight 1, result[1] indexes it and it sits at the forward argmax. Avg: the
   terms (weight 1/divisor inside the input, 0 in the padding) sum to the output. */
static int pool_cell_ok(const cnn_trace_term *terms, int count, const float *result, int max, float out, int32_t argmax,
                        const cnn_geometry *g) {
    if (!max) {
        int ok = sums_match(terms, count, 0.0f, result[0], out) && result[1] > 0;
        for (int t = 0; t < count; t++) ok &= terms[t].weight == (terms[t].in_bounds ? 1.0f / result[1] : 0.0f);
        return ok;
    }
    const int winner = (int)result[1];
    int ones = 0;
    for (int t = 0; t < count; t++) ones += terms[t].weight == 1.0f;
    return result[0] == out && ones == 1 && winner >= 0 && winner < count && terms[winner].weight == 1.0f &&
           terms[winner].in_bounds && terms[winner].row * g->in_width + terms[winner].col == argmax &&
           terms[winner].value == out;
}

static void pool_traces(window_op op) {
    const int max = op == MAX_POOL2D;
    for (int c = 0; c < CASES; c++) {
        const cnn_geometry g = random_geometry(op);
        const int outputs = output_count(&g), taps = g.kernel_h * g.kernel_w;
        float *in = max ? separated_floats(input_count(&g), 0.25f) : random_floats(input_count(&g));
        float *out = zero_floats(outputs);
        int32_t *argmax = calloc((size_t)outputs, sizeof(int32_t));
        const cnn_status status =
            max ? cnn_max_pool2d_forward(out, argmax, in, &g) : cnn_avg_pool2d_forward(out, in, &g);
        CHECK(status == CNN_OK, "pool: %s", cnn_last_error());
        int agree = 1, i = 0;
        for (int n = 0; n < g.batch; n++)
            for (int ch = 0; ch < g.in_channels; ch++)
                for (int oh = 0; oh < g.out_height; oh++)
                    for (int ow = 0; ow < g.out_width; ow++, i++) {
                        cnn_trace_term terms[MAX_TERMS];
                        float result[2];
                        const int count =
                            cnn_pool2d_trace(terms, MAX_TERMS, result, in, &g, max ? 0 : 1, n, ch, oh, ow);
                        agree &= count == taps && pool_cell_ok(terms, count, result, max, out[i], argmax[i], &g);
                    }
        CHECK(agree, "%s trace case %d: disagrees with the forward output%s", max ? "max_pool2d" : "avg_pool2d", c,
              max ? " or argmax" : "");
        free(in), free(out), free(argmax);
    }
}

void test_traces(void) {
    conv2d_traces();
    conv_transpose2d_traces();
    pool_traces(MAX_POOL2D);
    pool_traces(AVG_POOL2D);
}
