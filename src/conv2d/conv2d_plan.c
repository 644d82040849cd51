/* conv2d_plan.c — a convolution plan: for one geometry, the route each pass of conv2d takes
   (see conv2d.c's top for the routes) and one scratch block for all of them, made once.

   Setup (cnn_conv2d_plan_create), per pass, in the order tried:
     forward      depthwise (groups = C = OC); Winograd F(2×2, 3×3); Winograd along rows
                  (5 or 7 wide); the implicit GEMM where it pays; im2col + GEMM
     grad_input   depthwise; as a forward convolution (conv2d_grad_input.c, Winograd or
                  the implicit GEMM); col2im of weightᵀ · grad_out (im2col route)
     grad_weight  depthwise; Winograd F(2×2, 3×3); Winograd along rows; the implicit GEMM
                  (not 1×1); grad_out · colᵀ (im2col route)
   A Winograd route also has its exact route, the one the next rules give, which runs when
   a tensor is not finite (a transform would spread a NaN or ±∞ to outputs whose window does
   not hold it, and ∞ − ∞ gives NaN where PyTorch has ±∞). A route is taken only when its
   scratch fits CNN_MAX_SCRATCH; the block is the largest any route of the plan takes:
     scratch = max over the plan's routes r of r's _scratch_floats(g at the plan's batch)
   Run (cnn_conv2d_plan_forward / _backward): the routes chosen, on any batch up to the
   plan's, every buffer carved from the block; the one check left is whether the tensors are
   finite, and only for a Winograd route. */
#include <stdlib.h>
#include "../internal.h"

/* A 1×1, stride-1, unpadded convolution: im2col's col would be the image itself. */
static int is_pointwise(const cnn_geometry *g) {
    return g->kernel_h == 1 && g->kernel_w == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_top == 0 &&
           g->pad_left == 0 && g->pad_bottom == 0 && g->pad_right == 0;
}

/* The implicit GEMM reads the image in place of im2col; it lost to the packed GEMM only
   where no im2col is needed (1×1) and on strided layers with many taps (measured:
   64→128 3×3 stride 2 ran 11% slower, the 3-channel 7×7 stride-2 stem 19% faster). */
enum { IMPLICIT_MAX_STRIDED_TAPS = 256 };

static int fits(long long floats) { return floats <= CNN_MAX_SCRATCH; }

static cnn_conv_route exact_forward(const cnn_geometry *g) {
    const long long taps = (long long)g->in_channels / g->groups * g->kernel_h * g->kernel_w;
    const int pays = !is_pointwise(g) && (g->stride_w == 1 || taps <= IMPLICIT_MAX_STRIDED_TAPS);
    return pays && cnn_conv_implicit_applies(g) && fits(cnn_conv2d_implicit_scratch_floats(g)) ? CNN_CONV_IMPLICIT
                                                                                               : CNN_CONV_IM2COL;
}

static cnn_conv_route winograd_forward(const cnn_geometry *g) {
    if (cnn_winograd_applies(g) && fits(cnn_conv2d_winograd_scratch_floats(g))) return CNN_CONV_WINOGRAD;
    if (cnn_winograd_rows_applies(g) && fits(cnn_conv2d_winograd_rows_scratch_floats(g))) return CNN_CONV_WINOGRAD_ROWS;
    return exact_forward(g);
}

static cnn_conv_route exact_grad_weight(const cnn_geometry *g) {
    return !is_pointwise(g) && cnn_conv_implicit_applies(g) && fits(cnn_conv2d_implicit_grad_weight_scratch_floats(g))
               ? CNN_CONV_IMPLICIT
               : CNN_CONV_IM2COL;
}

static cnn_conv_route winograd_grad_weight(const cnn_geometry *g) {
    if (cnn_winograd_applies(g) && fits(cnn_conv2d_winograd_grad_weight_scratch_floats(g))) return CNN_CONV_WINOGRAD;
    if (cnn_winograd_rows_applies(g) && fits(cnn_conv2d_winograd_rows_grad_weight_scratch_floats(g)))
        return CNN_CONV_WINOGRAD_ROWS;
    return exact_grad_weight(g);
}

static int grad_input_route(const cnn_geometry *g, int winograd) {
    int route = cnn_conv2d_grad_input_as_forward_applies(g, winograd);
    if (route == CNN_GRAD_INPUT_WINOGRAD && !fits(cnn_conv2d_grad_input_as_forward_scratch_floats(g, route)))
        route = cnn_conv2d_grad_input_as_forward_applies(g, 0);
    return route && fits(cnn_conv2d_grad_input_as_forward_scratch_floats(g, route)) ? route : 0;
}

static long long forward_scratch(const cnn_geometry *g, cnn_conv_route route) {
    switch (route) {
        case CNN_CONV_WINOGRAD:
            return cnn_conv2d_winograd_scratch_floats(g);
        case CNN_CONV_WINOGRAD_ROWS:
            return cnn_conv2d_winograd_rows_scratch_floats(g);
        case CNN_CONV_IMPLICIT:
            return cnn_conv2d_implicit_scratch_floats(g);
        case CNN_CONV_DEPTHWISE:
            return cnn_depthwise_conv2d_scratch_floats(g);
        default:
            return cnn_conv2d_im2col_scratch_floats(g);
    }
}

/* grad_weight's scratch; the im2col route's is counted with grad_input's col2im (same buffers). */
static long long grad_weight_scratch(const cnn_geometry *g, cnn_conv_route route) {
    switch (route) {
        case CNN_CONV_WINOGRAD:
            return cnn_conv2d_winograd_grad_weight_scratch_floats(g);
        case CNN_CONV_WINOGRAD_ROWS:
            return cnn_conv2d_winograd_rows_grad_weight_scratch_floats(g);
        case CNN_CONV_IMPLICIT:
            return cnn_conv2d_implicit_grad_weight_scratch_floats(g);
        default:
            return 0;
    }
}

static long long max_of(const long long *values, int count) {
    long long largest = 0;
    for (int i = 0; i < count; i++) largest = values[i] > largest ? values[i] : largest;
    return largest;
}

static void choose_routes(cnn_conv2d_plan *plan) {
    const cnn_geometry *g = &plan->g;
    if (g->groups == g->in_channels && g->out_channels == g->in_channels) {
        plan->forward = plan->forward_exact = plan->grad_weight = plan->grad_weight_exact = CNN_CONV_DEPTHWISE;
        plan->grad_input = plan->grad_input_exact = 0;
        plan->scratch_floats = cnn_depthwise_conv2d_scratch_floats(g);
        return;
    }
    plan->forward = winograd_forward(g), plan->forward_exact = exact_forward(g);
    plan->grad_weight = winograd_grad_weight(g), plan->grad_weight_exact = exact_grad_weight(g);
    plan->grad_input = grad_input_route(g, 1), plan->grad_input_exact = grad_input_route(g, 0);
    const int im2col_backward = !plan->grad_input || !plan->grad_input_exact || plan->grad_weight == CNN_CONV_IM2COL ||
                                plan->grad_weight_exact == CNN_CONV_IM2COL;
    const long long sizes[] = {
        forward_scratch(g, plan->forward),
        forward_scratch(g, plan->forward_exact),
        plan->grad_input ? cnn_conv2d_grad_input_as_forward_scratch_floats(g, plan->grad_input) : 0,
        plan->grad_input_exact ? cnn_conv2d_grad_input_as_forward_scratch_floats(g, plan->grad_input_exact) : 0,
        grad_weight_scratch(g, plan->grad_weight),
        grad_weight_scratch(g, plan->grad_weight_exact),
        im2col_backward ? cnn_conv2d_im2col_backward_scratch_floats(g) : 0,
    };
    plan->scratch_floats = max_of(sizes, (int)(sizeof sizes / sizeof sizes[0]));
}

cnn_status cnn_conv2d_plan_create(cnn_conv2d_plan *plan, const cnn_geometry *g, const char *op) {
    plan->g = *g, plan->scratch = NULL;
    const cnn_status status = cnn_conv2d_geometry(&plan->g);
    if (status) return status;
    choose_routes(plan);
    if (plan->scratch_floats && !(plan->scratch = cnn_alloc_floats(op, plan->scratch_floats))) return CNN_OUT_OF_MEMORY;
    return CNN_OK;
}

void cnn_conv2d_plan_destroy(cnn_conv2d_plan *plan) {
    free(plan->scratch);
    plan->scratch = NULL;
}

static int is_winograd(cnn_conv_route route) { return route == CNN_CONV_WINOGRAD || route == CNN_CONV_WINOGRAD_ROWS; }

/* Whether every one of the tensors is finite (z may be NULL). */
static int all_finite(const float *x, long x_count, const float *y, long y_count, const float *z, long z_count) {
    return cnn_all_finite(x, x_count) && cnn_all_finite(y, y_count) && (!z || cnn_all_finite(z, z_count));
}

void cnn_conv2d_plan_forward(float *out, const float *in, const float *weight, const float *bias,
                             const cnn_conv2d_plan *plan, int batch) {
    cnn_geometry g = plan->g;
    g.batch = batch;
    cnn_conv_route route = plan->forward;
    if (is_winograd(route)) {
        const long in_count = (long)batch * g.in_channels * g.in_height * g.in_width;
        const long weight_count = (long)g.out_channels * (g.in_channels / g.groups) * g.kernel_h * g.kernel_w;
        if (!all_finite(in, in_count, weight, weight_count, NULL, 0)) route = plan->forward_exact;
    }
    switch (route) {
        case CNN_CONV_DEPTHWISE:
            cnn_depthwise_conv2d_forward(out, in, weight, bias, &g, plan->scratch);
            break;
        case CNN_CONV_WINOGRAD:
            cnn_conv2d_winograd(out, in, weight, bias, &g, plan->scratch);
            break;
        case CNN_CONV_WINOGRAD_ROWS:
            cnn_conv2d_winograd_rows(out, in, weight, bias, &g, plan->scratch);
            break;
        case CNN_CONV_IMPLICIT:
            cnn_conv2d_implicit(out, in, weight, bias, &g, 0, plan->scratch);
            break;
        case CNN_CONV_IM2COL:
            cnn_conv2d_im2col(out, in, weight, bias, &g, plan->scratch);
            break;
    }
}

/* grad_input, then grad_weight, each by its route (the exact ones if a Winograd route would
   read a tensor that is not finite); what is left to the im2col route goes last, together. */
void cnn_conv2d_plan_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                              const float *in, const float *weight, const cnn_conv2d_plan *plan, int batch) {
    cnn_geometry g = plan->g;
    g.batch = batch;
    if (plan->forward == CNN_CONV_DEPTHWISE) {
        cnn_depthwise_conv2d_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, &g, plan->scratch);
        return;
    }
    const long out_plane = (long)g.out_height * g.out_width;
    if (grad_bias) cnn_accumulate_bias_grad(grad_bias, grad_out, g.batch, g.out_channels, out_plane);
    int input_route = grad_in ? plan->grad_input : 0;
    cnn_conv_route weight_route = plan->grad_weight;
    if ((grad_weight && is_winograd(weight_route)) || input_route == CNN_GRAD_INPUT_WINOGRAD) {
        const long taps = (long)(g.in_channels / g.groups) * g.kernel_h * g.kernel_w;
        if (!all_finite(grad_out, (long)g.batch * g.out_channels * out_plane, in,
                        (long)g.batch * g.in_channels * g.in_height * g.in_width, weight,
                        (long)g.out_channels * taps)) {
            input_route = grad_in ? plan->grad_input_exact : 0;
            weight_route = plan->grad_weight_exact;
        }
    }
    if (input_route) {
        cnn_conv2d_grad_input_as_forward(grad_in, grad_out, weight, &g, input_route, plan->scratch);
        grad_in = NULL;
    }
    if (grad_weight && weight_route != CNN_CONV_IM2COL) {
        if (weight_route == CNN_CONV_WINOGRAD)
            cnn_conv2d_winograd_grad_weight(grad_weight, grad_out, in, &g, plan->scratch);
        else if (weight_route == CNN_CONV_WINOGRAD_ROWS)
            cnn_conv2d_winograd_rows_grad_weight(grad_weight, grad_out, in, &g, plan->scratch);
        else
            cnn_conv2d_implicit_grad_weight(grad_weight, grad_out, in, &g, plan->scratch);
        grad_weight = NULL;
    }
    if (grad_in || grad_weight)
        cnn_conv2d_im2col_backward(grad_in, grad_weight, grad_out, in, weight, &g, plan->scratch);
}
