/* test_grad_pool.c — max, average and adaptive average pooling gradients
   against finite differences. Max pooling gets inputs at least 0.05 apart, so
   no step of 2⁻⁷ changes a winner; the averages are linear. */
#include <stdlib.h>
#include "gradcheck.h"

static int output_count(const cnn_geometry *g) { return g->batch * g->in_channels * g->out_height * g->out_width; }

static cnn_status max_forward(const gradcheck_op *op, float *out) {
    int32_t *argmax = calloc((size_t)op->outputs, sizeof(int32_t));
    const cnn_status status = cnn_max_pool2d_forward(out, argmax, op->tensors[0].values, op->context);
    free(argmax);
    return status;
}
/* Backward needs the forward's argmax at the point of the check. */
static cnn_status max_backward(const gradcheck_op *op, const float *grad_out) {
    int32_t *argmax = calloc((size_t)op->outputs, sizeof(int32_t));
    float *out = zero_floats(op->outputs);
    cnn_status status = cnn_max_pool2d_forward(out, argmax, op->tensors[0].values, op->context);
    if (!status) status = cnn_max_pool2d_backward(op->tensors[0].grads, grad_out, argmax, op->context);
    free(argmax);
    free(out);
    return status;
}
static cnn_status avg_forward(const gradcheck_op *op, float *out) {
    return cnn_avg_pool2d_forward(out, op->tensors[0].values, op->context);
}
static cnn_status avg_backward(const gradcheck_op *op, const float *grad_out) {
    return cnn_avg_pool2d_backward(op->tensors[0].grads, grad_out, op->context);
}

static void check_pool(const char *label, cnn_geometry g, int max) {
    const cnn_status status = max ? cnn_max_pool2d_geometry(&g) : cnn_avg_pool2d_geometry(&g);
    CHECK(status == CNN_OK, "%s: geometry rejected: %s", label, cnn_last_error());
    if (status) return;
    const int input_count = g.batch * g.in_channels * g.in_height * g.in_width;
    float *in = max ? separated_floats(input_count, 0.05f) : random_floats(input_count);
    gradcheck_op op = {.label = label,
                       .context = &g,
                       .outputs = output_count(&g),
                       .tensor_count = 1,
                       .tensors = {gradcheck_tensor_of("in", in, input_count)},
                       .forward = max ? max_forward : avg_forward,
                       .backward = max ? max_backward : avg_backward};
    check_gradients(&op);
    gradcheck_free(&op);
}

static cnn_geometry pool(int batch, int channels, int height, int width, int kernel_h, int kernel_w, int stride_h,
                         int stride_w, int pad_h, int pad_w) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = batch, g.in_channels = channels, g.in_height = height, g.in_width = width;
    g.kernel_h = kernel_h, g.kernel_w = kernel_w, g.stride_h = stride_h, g.stride_w = stride_w;
    g.pad_top = g.pad_bottom = pad_h, g.pad_left = g.pad_right = pad_w;
    return g;
}

static void max_pool_cases(void) {
    check_pool("max_pool2d 3×3 stride 2 pad 1", pool(2, 2, 5, 6, 3, 3, 2, 2, 1, 1), 1);
    cnn_geometry g = pool(1, 2, 7, 6, 2, 3, 2, 2, 0, 0);
    g.dilation_h = 2, g.ceil_mode = 1;
    check_pool("max_pool2d 2×3 dilation (2,1) ceil_mode", g, 1);
    check_pool("max_pool2d 2×2 stride 1 (overlapping windows), 13 wide for the SIMD kernel",
               pool(1, 3, 4, 13, 2, 2, 1, 1, 0, 0), 1);
}

static void avg_pool_cases(void) {
    cnn_geometry g = pool(2, 2, 6, 5, 3, 3, 2, 2, 1, 1);
    g.ceil_mode = 1, g.count_include_pad = 0;
    check_pool("avg_pool2d 3×3 stride 2 pad 1 ceil_mode, count_include_pad off", g, 0);
    check_pool("avg_pool2d 2×3 stride (2,1) pad 1, count_include_pad on, 14 wide for the SIMD kernel",
               pool(1, 2, 5, 14, 2, 3, 2, 1, 1, 1), 0);
    /* in 6, kernel 4, stride 3, pad 2, ceil: the last window hangs past the
       right padding and its divisor counts only up to it. */
    g = pool(1, 1, 6, 6, 4, 4, 3, 3, 2, 2);
    g.ceil_mode = 1;
    check_pool("avg_pool2d ceil_mode window past the padding, count_include_pad on", g, 0);
    /* windows that tile the input (kernel = stride, no padding); row 4 and columns 9
       and 10 belong to no window */
    check_pool("avg_pool2d 2×3 stride (2,3), windows tiling a 5×11 input but its edges",
               pool(2, 2, 5, 11, 2, 3, 2, 3, 0, 0), 0);
}

typedef struct {
    const char *label;
    int batch, channels, in_h, in_w, out_h, out_w;
} adaptive_sizes;

static cnn_status adaptive_forward(const gradcheck_op *op, float *out) {
    const adaptive_sizes *s = op->context;
    return cnn_adaptive_avg_pool2d_forward(out, op->tensors[0].values, s->batch, s->channels, s->in_h, s->in_w,
                                           s->out_h, s->out_w);
}
static cnn_status adaptive_backward(const gradcheck_op *op, const float *grad_out) {
    const adaptive_sizes *s = op->context;
    return cnn_adaptive_avg_pool2d_backward(op->tensors[0].grads, grad_out, s->batch, s->channels, s->in_h, s->in_w,
                                            s->out_h, s->out_w);
}

static void adaptive_cases(void) {
    const adaptive_sizes cases[] = {
        {"adaptive_avg_pool2d 7×5 → 3×4 (overlapping windows)", 2, 1, 7, 5, 3, 4},
        {"adaptive_avg_pool2d 3×4 → 5×5 (more outputs than inputs)", 1, 2, 3, 4, 5, 5},
        {"adaptive_avg_pool2d 4×6 → 1×1 (global)", 2, 3, 4, 6, 1, 1},
    };
    for (int c = 0; c < (int)(sizeof cases / sizeof cases[0]); c++) {
        const adaptive_sizes *s = &cases[c];
        const int input_count = s->batch * s->channels * s->in_h * s->in_w;
        gradcheck_op op = {.label = s->label,
                           .context = s,
                           .outputs = s->batch * s->channels * s->out_h * s->out_w,
                           .tensor_count = 1,
                           .tensors = {gradcheck_tensor_of("in", random_floats(input_count), input_count)},
                           .forward = adaptive_forward,
                           .backward = adaptive_backward};
        check_gradients(&op);
        gradcheck_free(&op);
    }
}

void test_grad_pool(void) {
    max_pool_cases();
    avg_pool_cases();
    adaptive_cases();
}
