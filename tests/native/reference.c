/* reference.c — naive convolution from the definitions (see reference.h). */
#include <math.h>
#include "reference.h"

double reference_input_count(const cnn_geometry *g) {
    return (double)g->batch * g->in_channels * g->in_height * g->in_width;
}
double reference_output_count(const cnn_geometry *g) {
    return (double)g->batch * g->out_channels * g->out_height * g->out_width;
}
double reference_weight_count(const cnn_geometry *g) {
    return (double)g->out_channels * (g->in_channels / g->groups) * g->kernel_h * g->kernel_w;
}

/* Calls visit(term) for every product term in[i]·weight[k] → out[o]: the one loop both directions share. */
typedef struct {
    long long out, in, weight, bias;
} term;

static void for_each_term(const cnn_geometry *g, void (*visit)(const term *t, void *context), void *context) {
    const int channels = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    for (long long n = 0; n < g->batch; n++)
        for (long long oc = 0; oc < g->out_channels; oc++)
            for (long long oh = 0; oh < g->out_height; oh++)
                for (long long ow = 0; ow < g->out_width; ow++) {
                    const long long out = ((n * g->out_channels + oc) * g->out_height + oh) * g->out_width + ow;
                    for (long long c = 0; c < channels; c++)
                        for (long long kh = 0; kh < g->kernel_h; kh++)
                            for (long long kw = 0; kw < g->kernel_w; kw++) {
                                const long long h = oh * g->stride_h - g->pad_top + kh * g->dilation_h;
                                const long long w = ow * g->stride_w - g->pad_left + kw * g->dilation_w;
                                if (h < 0 || h >= g->in_height || w < 0 || w >= g->in_width) continue;
                                const long long channel = oc / group_out * channels + c;
                                const term t = {out,
                                                ((n * g->in_channels + channel) * g->in_height + h) * g->in_width + w,
                                                ((oc * channels + c) * g->kernel_h + kh) * g->kernel_w + kw, oc};
                                visit(&t, context);
                            }
                }
}

typedef struct {
    double *out, *grad_in, *grad_weight;
    const float *in, *weight, *grad_out;
} sums;

static void add_forward(const term *t, void *context) {
    sums *s = context;
    s->out[t->out] += (double)s->in[t->in] * s->weight[t->weight];
}

static void add_backward(const term *t, void *context) {
    sums *s = context;
    if (s->grad_in) s->grad_in[t->in] += (double)s->grad_out[t->out] * s->weight[t->weight];
    if (s->grad_weight) s->grad_weight[t->weight] += (double)s->grad_out[t->out] * s->in[t->in];
}

void reference_conv2d(double *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g) {
    const long long plane = (long long)g->out_height * g->out_width, count = (long long)reference_output_count(g);
    for (long long i = 0; i < count; i++) out[i] = bias ? bias[i / plane % g->out_channels] : 0.0;
    sums s = {out, 0, 0, in, weight, 0};
    for_each_term(g, add_forward, &s);
}

void reference_conv2d_backward(double *grad_in, double *grad_weight, double *grad_bias, const float *grad_out,
                               const float *in, const float *weight, const cnn_geometry *g) {
    const long long in_count = (long long)reference_input_count(g), weight_count = (long long)reference_weight_count(g);
    const long long plane = (long long)g->out_height * g->out_width, out_count = (long long)reference_output_count(g);
    for (long long i = 0; grad_in && i < in_count; i++) grad_in[i] = 0.0;
    for (long long i = 0; grad_weight && i < weight_count; i++) grad_weight[i] = 0.0;
    for (long long i = 0; grad_bias && i < g->out_channels; i++) grad_bias[i] = 0.0;
    for (long long i = 0; grad_bias && i < out_count; i++) grad_bias[i / plane % g->out_channels] += grad_out[i];
    sums s = {0, grad_in, grad_weight, in, weight, grad_out};
    for_each_term(g, add_backward, &s);
}

void reference_pool2d(double *out, const float *in, const cnn_geometry *g, int max) {
    const long long planes = (long long)g->batch * g->in_channels;
    for (long long p = 0; p < planes; p++)
        for (long long oh = 0; oh < g->out_height; oh++)
            for (long long ow = 0; ow < g->out_width; ow++) {
                const long long top = oh * g->stride_h - g->pad_top, left = ow * g->stride_w - g->pad_left;
                double best = -INFINITY, sum = 0;
                long long cells = 0;
                for (long long kh = 0; kh < g->kernel_h; kh++)
                    for (long long kw = 0; kw < g->kernel_w; kw++) {
                        const long long h = top + kh * g->dilation_h, w = left + kw * g->dilation_w;
                        if (h < 0 || h >= g->in_height || w < 0 || w >= g->in_width) continue;
                        const double value = in[(p * g->in_height + h) * g->in_width + w];
                        best = value > best || value != value ? value : best, sum += value, cells++;
                    }
                const long long bottom =
                    top + g->kernel_h < g->in_height + g->pad_bottom ? top + g->kernel_h : g->in_height + g->pad_bottom;
                const long long right =
                    left + g->kernel_w < g->in_width + g->pad_right ? left + g->kernel_w : g->in_width + g->pad_right;
                const double divisor = g->count_include_pad ? (double)(bottom - top) * (right - left) : (double)cells;
                out[(p * g->out_height + oh) * g->out_width + ow] = max ? best : sum / divisor;
            }
}
