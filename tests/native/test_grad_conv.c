/* test_grad_conv.c — conv2d and conv_transpose2d gradients against finite differences.
   Both ops are linear in each tensor, so only float rounding separates the
   two sides, and a step of 1/4 keeps it small. tensors: input, weight, and
   bias when the case has one. */
#include <stdlib.h>
#include "gradcheck.h"

static const float LINEAR_STEP = 0.25f;

static const float *bias_of(const gradcheck_op *op) { return op->tensor_count > 2 ? op->tensors[2].values : NULL; }
static float *grad_bias_of(const gradcheck_op *op) { return op->tensor_count > 2 ? op->tensors[2].grads : NULL; }

static cnn_status conv_forward(const gradcheck_op *op, float *out) {
    return cnn_conv2d_forward(out, op->tensors[0].values, op->tensors[1].values, bias_of(op), op->context);
}
static cnn_status conv_backward(const gradcheck_op *op, const float *grad_out) {
    return cnn_conv2d_backward(op->tensors[0].grads, op->tensors[1].grads, grad_bias_of(op), grad_out,
                               op->tensors[0].values, op->tensors[1].values, op->context);
}
static cnn_status transposed_forward(const gradcheck_op *op, float *out) {
    return cnn_conv_transpose2d_forward(out, op->tensors[0].values, op->tensors[1].values, bias_of(op), op->context);
}
static cnn_status transposed_backward(const gradcheck_op *op, const float *grad_out) {
    return cnn_conv_transpose2d_backward(op->tensors[0].grads, op->tensors[1].grads, grad_bias_of(op), grad_out,
                                         op->tensors[0].values, op->tensors[1].values, op->context);
}

/* Checks one geometry; weight is [OC, C/G, KH, KW] for conv2d and
   [C, OC/G, KH, KW] for the transposed conv, the same count either way. */
static void check_case(const char *label, cnn_geometry g, int transposed, int has_bias) {
    const cnn_status status = transposed ? cnn_conv_transpose2d_geometry(&g) : cnn_conv2d_geometry(&g);
    CHECK(status == CNN_OK, "%s: geometry rejected: %s", label, cnn_last_error());
    if (status) return;
    const int weight_count = g.out_channels * (g.in_channels / g.groups) * g.kernel_h * g.kernel_w;
    const int input_count = g.batch * g.in_channels * g.in_height * g.in_width;
    gradcheck_op op = {.label = label,
                       .context = &g,
                       .outputs = g.batch * g.out_channels * g.out_height * g.out_width,
                       .tensor_count = has_bias ? 3 : 2,
                       .tensors = {gradcheck_tensor_of("in", random_floats(input_count), input_count),
                                   gradcheck_tensor_of("weight", random_floats(weight_count), weight_count)},
                       .forward = transposed ? transposed_forward : conv_forward,
                       .backward = transposed ? transposed_backward : conv_backward,
                       .step = LINEAR_STEP};
    if (has_bias) op.tensors[2] = gradcheck_tensor_of("bias", random_floats(g.out_channels), g.out_channels);
    check_gradients(&op);
    gradcheck_free(&op);
}

static cnn_geometry window(int batch, int in_channels, int in_height, int in_width, int out_channels, int kernel_h,
                           int kernel_w) {
    cnn_geometry g = cnn_geometry_default();
    g.batch = batch, g.in_channels = in_channels, g.in_height = in_height, g.in_width = in_width;
    g.out_channels = out_channels, g.kernel_h = kernel_h, g.kernel_w = kernel_w;
    return g;
}

static void set_pads(cnn_geometry *g, int top, int left, int bottom, int right) {
    g->pad_top = top, g->pad_left = left, g->pad_bottom = bottom, g->pad_right = right;
}

static void conv2d_cases(void) {
    cnn_geometry g = window(2, 3, 5, 4, 4, 3, 2);
    g.stride_h = 2;
    set_pads(&g, 1, 0, 2, 1);
    check_case("conv2d stride (2,1), pads (1,0,2,1)", g, 0, 1);

    g = window(1, 4, 6, 5, 4, 3, 3);
    g.dilation_h = g.dilation_w = 2, g.groups = 2;
    set_pads(&g, 2, 2, 2, 2);
    check_case("conv2d dilation 2, groups 2", g, 0, 1);

    g = window(2, 3, 6, 5, 6, 3, 3);
    g.groups = 3, g.stride_h = g.stride_w = 2;
    set_pads(&g, 1, 1, 1, 1);
    check_case("conv2d depthwise ×2, stride 2", g, 0, 1);

    g = window(2, 3, 7, 17, 3, 3, 3); /* wide enough for the SIMD kernel's 4-column groups */
    g.groups = 3, g.stride_h = 2, g.dilation_w = 2;
    set_pads(&g, 1, 2, 0, 1);
    check_case("conv2d depthwise groups = C = OC (the depthwise kernel), stride (2,1), dilation (1,2)", g, 0, 1);

    g = window(2, 3, 6, 13, 3, 3, 3); /* 13 columns: two SIMD groups and a short one */
    g.groups = 3;
    set_pads(&g, 1, 1, 1, 1);
    check_case("conv2d depthwise 3×3 stride 1 (grad_input by the flipped kernel), 13 columns", g, 0, 1);

    g = window(1, 2, 9, 18, 2, 5, 3); /* 18 output columns: past grad_weight's 16 lanes */
    g.groups = 2, g.dilation_w = 2, g.stride_h = 2;
    set_pads(&g, 2, 1, 0, 3);
    check_case("conv2d depthwise 5×3, stride (2,1), dilation (1,2), pads (2,1,0,3)", g, 0, 0);

    g = window(2, 2, 7, 11, 2, 3, 3);
    g.groups = 2, g.stride_h = g.stride_w = 3;
    set_pads(&g, 2, 0, 0, 2);
    check_case("conv2d depthwise stride 3 (gathered grad_input), pads (2,0,0,2)", g, 0, 1);

    g = window(2, 2, 2, 1, 2, 3, 3); /* a padded copy 82 × 84 for 18 multiplications: the per-cell loops */
    g.groups = 2, g.dilation_h = g.dilation_w = 40;
    set_pads(&g, 40, 40, 40, 40);
    check_case("conv2d depthwise dilation 40, padding 40 (no padded copy)", g, 0, 1);

    g = window(2, 1, 6, 19, 9, 3, 2); /* 9 output channels and 9 columns: past the 8 × 4 SIMD tile */
    g.stride_w = 2, g.dilation_h = 2;
    set_pads(&g, 2, 0, 1, 1);
    check_case("conv2d 1 → 9 channels, stride (1,2) (implicit GEMM, two column phases), dilation (2,1)", g, 0, 1);

    g = window(2, 9, 6, 11, 5, 5, 3); /* grad_in as a forward pass: 9 output channels there */
    g.dilation_w = 2;
    set_pads(&g, 2, 1, 1, 3);
    check_case("conv2d 9 → 5 channels 5×3 stride 1, dilation (1,2), pads (2,1,1,3) (grad_in as a forward pass)", g, 0,
               1);

    g = window(1, 16, 5, 9, 6, 3, 2);
    g.groups = 2;
    set_pads(&g, 0, 1, 2, 0);
    check_case("conv2d 16 → 6 channels groups 2, kernel 3×2 (grad_in as a grouped forward pass)", g, 0, 1);

    g = window(2, 6, 7, 13, 4, 3, 3); /* each group's channels at their own offset in the phase-split image */
    g.groups = 2, g.stride_h = 2, g.stride_w = 3;
    set_pads(&g, 1, 2, 0, 1);
    check_case("conv2d groups 2, stride (2,3), pads (1,2,0,1) (implicit GEMM, three column phases)", g, 0, 1);

    g = window(2, 8, 5, 7, 9, 3, 3);
    set_pads(&g, 1, 0, 2, 1);
    check_case("conv2d 8 → 9 channels 3×3 stride 1 (Winograd), odd output 6×6 cropped tiles", g, 0, 1);

    g = window(2, 4, 5, 11, 4, 3, 5); /* 4·3 tap rows each way: grad_in takes the same route */
    set_pads(&g, 1, 2, 0, 3);
    check_case("conv2d 4 → 4 channels 3×5 stride 1 (Winograd F(4, 5) along rows), pads (1,2,0,3)", g, 0, 1);

    g = window(2, 5, 6, 10, 3, 4, 5); /* 9 columns: a last tile of 1 */
    set_pads(&g, 2, 1, 1, 2);
    check_case("conv2d 5 → 3 channels 4×5 stride 1 (Winograd F(4, 5) along rows), 9 columns", g, 0, 1);

    g = window(2, 2, 5, 9, 3, 7, 7); /* 2·7 tap rows, 9 columns: a last tile of 1 */
    set_pads(&g, 3, 3, 2, 3);
    check_case("conv2d 2 → 3 channels 7×7 stride 1 (Winograd F(2, 7) along rows), pads (3,3,2,3)", g, 0, 1);

    g = window(2, 3, 4, 3, 5, 1, 1);
    check_case("conv2d pointwise 1×1", g, 0, 0);

    g = window(1, 2, 5, 6, 3, 4, 2);
    CHECK(cnn_conv2d_pad_same(&g) == CNN_OK, "pad_same: %s", cnn_last_error());
    check_case("conv2d padding='same', kernel 4×2", g, 0, 0);

    g = window(1, 2, 7, 6, 2, 2, 3);
    g.stride_h = 3, g.stride_w = 2, g.dilation_w = 2;
    set_pads(&g, 0, 3, 1, 0);
    check_case("conv2d stride (3,2), dilation (1,2), pads (0,3,1,0)", g, 0, 1);
}

static void conv_transpose2d_cases(void) {
    cnn_geometry g = window(2, 2, 3, 3, 3, 3, 3);
    g.stride_h = g.stride_w = 2, g.output_padding_h = g.output_padding_w = 1;
    set_pads(&g, 1, 1, 1, 1);
    check_case("conv_transpose2d stride 2, pad 1, output_padding 1", g, 1, 1);

    g = window(1, 4, 3, 2, 2, 2, 3);
    g.stride_w = 2, g.dilation_h = 2, g.groups = 2;
    check_case("conv_transpose2d stride (1,2), dilation (2,1), groups 2", g, 1, 0);

    g = window(2, 3, 3, 4, 3, 3, 2);
    g.dilation_h = g.dilation_w = 2, g.output_padding_h = 1, g.groups = 3;
    set_pads(&g, 0, 1, 2, 0);
    check_case("conv_transpose2d output_padding 1 < dilation 2, depthwise, pads (0,1,2,0)", g, 1, 1);

    g = window(1, 2, 3, 3, 4, 2, 3);
    g.stride_h = 3, g.stride_w = 2, g.output_padding_h = 2, g.groups = 2;
    set_pads(&g, 2, 0, 1, 1);
    check_case("conv_transpose2d stride (3,2), output_padding (2,0), groups 2", g, 1, 1);
}

/* A gradient passed as NULL is skipped and leaves the others as they were:
   the pointwise conv takes a separate path when grad_in is NULL. */
static void null_gradients(void) {
    cnn_geometry g = window(2, 3, 4, 3, 5, 1, 1);
    CHECK(cnn_conv2d_geometry(&g) == CNN_OK, "pointwise geometry: %s", cnn_last_error());
    const int input_count = 2 * 3 * 4 * 3, weight_count = 5 * 3, out_count = 2 * 5 * 4 * 3;
    float *in = random_floats(input_count), *weight = random_floats(weight_count);
    float *grad_out = random_floats(out_count);
    float *grad_in = zero_floats(input_count), *grad_weight = zero_floats(weight_count);
    float *grad_bias = zero_floats(5);
    CHECK(cnn_conv2d_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, &g) == CNN_OK, "full backward: %s",
          cnn_last_error());
    float *grad_weight_alone = zero_floats(weight_count), *grad_in_alone = zero_floats(input_count);
    CHECK(cnn_conv2d_backward(NULL, grad_weight_alone, NULL, grad_out, in, weight, &g) == CNN_OK,
          "grad_weight alone: %s", cnn_last_error());
    CHECK(cnn_conv2d_backward(grad_in_alone, NULL, NULL, grad_out, in, weight, &g) == CNN_OK, "grad_in alone: %s",
          cnn_last_error());
    CHECK(cnn_conv2d_backward(NULL, NULL, NULL, grad_out, in, weight, &g) == CNN_OK, "no gradient at all: %s",
          cnn_last_error());
    int same = 1;
    for (int i = 0; i < weight_count; i++) same &= close_enough(grad_weight_alone[i], grad_weight[i], 1e-6, 1e-5);
    for (int i = 0; i < input_count; i++) same &= close_enough(grad_in_alone[i], grad_in[i], 1e-6, 1e-5);
    CHECK(same, "conv2d pointwise: gradients computed alone differ from those computed together");
    free(in), free(weight), free(grad_out), free(grad_in), free(grad_weight), free(grad_bias);
    free(grad_weight_alone), free(grad_in_alone);
}

void test_grad_conv(void) {
    conv2d_cases();
    conv_transpose2d_cases();
    null_gradients();
}
