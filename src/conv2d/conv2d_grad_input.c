/* conv2d_grad_input.c — conv2d's grad_input as a forward convolution, for stride 1.

   With stride 1, grad_in[c][h][w] = Σ_{oc, kh, kw} W[oc][c][kh][kw] · grad_out[oc][h + pad_top − kh·dh][w + pad_left − kw·dw].
   Substituting kh' = KH − 1 − kh (and kw' likewise) makes it a correlation:
     grad_in = conv2d(grad_out, W', padding dh·(KH − 1) − pad_top, …, same dilation and groups)
     W'[group·C/G + c][oc][kh'][kw'] = W[group·OC/G + oc][c][KH − 1 − kh'][KW − 1 − kw']
   whose padding must not be negative (pad ≤ dilation·(kernel − 1)). That forward runs as
   Winograd when 3×3 (winograd.c) or 5 or 7 wide (winograd_rows.c), else as the implicit GEMM
   (conv_implicit.c), and is added to grad_in. */
#include "../internal.h"

/* The forward convolution whose output is grad_in (see the top), if it exists. */
static int grad_input_geometry(const cnn_geometry *g, cnn_geometry *t) {
    const int reach_h = g->dilation_h * (g->kernel_h - 1), reach_w = g->dilation_w * (g->kernel_w - 1);
    if (g->stride_h != 1 || g->stride_w != 1 || g->pad_top > reach_h || g->pad_bottom > reach_h ||
        g->pad_left > reach_w || g->pad_right > reach_w)
        return 0;
    *t = *g;
    t->in_channels = g->out_channels, t->in_height = g->out_height, t->in_width = g->out_width;
    t->out_channels = g->in_channels;
    t->pad_top = reach_h - g->pad_top, t->pad_bottom = reach_h - g->pad_bottom;
    t->pad_left = reach_w - g->pad_left, t->pad_right = reach_w - g->pad_right;
    return cnn_conv2d_geometry(t) == CNN_OK && t->out_height == g->in_height && t->out_width == g->in_width;
}

/* A Winograd forward pass and the scratch it takes. */
typedef struct {
    void (*run)(float *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g,
                float *scratch);
    long long (*scratch_floats)(const cnn_geometry *g);
} forward_pass;

/* grad_in as a forward pass pays off when it is Winograd-shaped, or when it has enough
   output channels to fill the microkernel's rows and a window to slide (measured: 1 and
   3 channels, and 1×1 kernels, whose col2im is a plain GEMM, ran slower). */
enum { GRAD_INPUT_MIN_CHANNELS = 8 };

/* The Winograd route the forward pass of t takes, if any and allowed. */
static int winograd_route(const cnn_geometry *t, int winograd, forward_pass *pass) {
    if (!winograd) return 0;
    if (cnn_winograd_applies(t)) {
        *pass = (forward_pass){cnn_conv2d_winograd, cnn_conv2d_winograd_scratch_floats};
        return 1;
    }
    *pass = (forward_pass){cnn_conv2d_winograd_rows, cnn_conv2d_winograd_rows_scratch_floats};
    return cnn_winograd_rows_applies(t);
}

int cnn_conv2d_grad_input_as_forward_applies(const cnn_geometry *g, int winograd) {
    cnn_geometry t;
    forward_pass pass;
    if (!grad_input_geometry(g, &t)) return 0;
    if (winograd_route(&t, winograd, &pass)) return CNN_GRAD_INPUT_WINOGRAD;
    return t.out_channels / t.groups >= GRAD_INPUT_MIN_CHANNELS && g->kernel_h * g->kernel_w > 1 &&
           cnn_conv_implicit_applies(&t);
}

/* The scratch: W', then for Winograd a scratch output and the pass's own, else the implicit GEMM's. */
typedef struct {
    float *flipped, *result, *pass_scratch;
} buffers;

static void take_buffers(buffers *b, cnn_scratch *s, const cnn_geometry *g, const cnn_geometry *t, int route,
                         const forward_pass *pass) {
    const int group_out = g->out_channels / g->groups;
    b->flipped = cnn_scratch_take(s, (long long)g->in_channels * group_out * g->kernel_h * g->kernel_w);
    b->result = route == CNN_GRAD_INPUT_WINOGRAD
                    ? cnn_scratch_take(s, (long long)t->batch * t->out_channels * t->out_height * t->out_width)
                    : NULL;
    b->pass_scratch = cnn_scratch_take(s, route == CNN_GRAD_INPUT_WINOGRAD ? pass->scratch_floats(t)
                                                                           : cnn_conv2d_implicit_scratch_floats(t));
}

long long cnn_conv2d_grad_input_as_forward_scratch_floats(const cnn_geometry *g, int route) {
    cnn_geometry t;
    forward_pass pass;
    buffers b;
    cnn_scratch s = {NULL, 0};
    grad_input_geometry(g, &t);
    winograd_route(&t, route == CNN_GRAD_INPUT_WINOGRAD, &pass);
    take_buffers(&b, &s, g, &t, route, &pass);
    return s.used;
}

void cnn_conv2d_grad_input_as_forward(float *grad_in, const float *grad_out, const float *weight, const cnn_geometry *g,
                                      int route, float *scratch) {
    cnn_geometry t;
    forward_pass pass;
    buffers b;
    cnn_scratch s = {scratch, 0};
    grad_input_geometry(g, &t); /* exists: route is what _applies() gave */
    winograd_route(&t, route == CNN_GRAD_INPUT_WINOGRAD, &pass);
    take_buffers(&b, &s, g, &t, route, &pass);
    const int channels = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    const int window = g->kernel_h * g->kernel_w;
    /* W'[group·C/G + c][oc][kh][kw] = W[group·OC/G + oc][c][KH−1−kh][KW−1−kw] */
    for (int group = 0; group < g->groups; group++)
        for (int c = 0; c < channels; c++)
            for (int oc = 0; oc < group_out; oc++)
                for (int k = 0; k < window; k++)
                    b.flipped[(((long)group * channels + c) * group_out + oc) * window + k] =
                        weight[(((long)group * group_out + oc) * channels + c) * window + window - 1 - k];
    if (route != CNN_GRAD_INPUT_WINOGRAD) {
        cnn_conv2d_implicit(grad_in, grad_out, b.flipped, NULL, &t, 1, b.pass_scratch);
        return;
    }
    /* Winograd writes its output: into the scratch one, then added. */
    const long count = (long)t.batch * t.out_channels * t.out_height * t.out_width;
    pass.run(b.result, grad_out, b.flipped, NULL, &t, b.pass_scratch);
    for (long i = 0; i < count; i++) grad_in[i] += b.result[i];
}
